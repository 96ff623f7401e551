package label

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// Complaints is the consumer-complaint use-cases over a store: filing
// within the photo quota, the lists and views within the reader's reach,
// and replies that move the workflow as NextComplaintStatus allows.
type Complaints struct {
	s ComplaintStore
}

// NewComplaints returns the complaints over s.
func NewComplaints(s ComplaintStore) *Complaints { return &Complaints{s: s} }

// File stores c (ComplaintStore.FileComplaint: EQUOTA past photoQuota
// bytes of stored photos, 0 for none).
func (cs *Complaints) File(ctx context.Context, c *Complaint, photoQuota int64) error {
	return cs.s.FileComplaint(ctx, c, max(photoQuota, 0))
}

// PhotoRoom fails with EQUOTA when a photo of size bytes would take the
// stored complaint photos past quota (0 or less: no quota); filing checks
// again under the store's lock.
func (cs *Complaints) PhotoRoom(ctx context.Context, size, quota int64) error {
	if quota <= 0 {
		return nil
	}
	used, err := cs.s.ComplaintPhotoBytes(ctx)
	if err != nil {
		return err
	}
	if used+size > quota {
		return tracegate.Errorf(tracegate.EQUOTA, "the storage for complaint photos is full; send the complaint without a photo")
	}
	return nil
}

// List returns up to f.Limit complaints, newest first; f.OwnerID limits
// them to one enterprise's products (an enterprise's reach: 0 for a
// regulator's).
func (cs *Complaints) List(ctx context.Context, f ComplaintFilter) ([]Complaint, error) {
	return cs.s.ListComplaints(ctx, f)
}

// Find returns complaint id with its replies when it is about the products
// of owner (0: any), else ENOTFOUND, as for one that does not exist.
func (cs *Complaints) Find(ctx context.Context, id, owner int64) (*Complaint, error) {
	c, err := cs.s.FindComplaint(ctx, id)
	if err != nil {
		return nil, err
	}
	if owner != 0 && c.OwnerID != owner {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
	}
	return c, nil
}

// ByReference returns the complaint whose reference hashes to refHash
// (ComplaintRefHash), or ENOTFOUND.
func (cs *Complaints) ByReference(ctx context.Context, refHash [32]byte) (*Complaint, error) {
	return cs.s.FindComplaintByReference(ctx, refHash)
}

// Photo returns the photo of complaint id and its media type.
func (cs *Complaints) Photo(ctx context.Context, id int64) ([]byte, string, error) {
	return cs.s.ComplaintPhoto(ctx, id)
}

// MaxReplyText is the longest reply, in characters.
const MaxReplyText = 2000

// Reply adds r (EnterpriseID, Role, Text and an optional Status set) to
// complaint id: a text of 1 to MaxReplyText characters, a status one of
// ComplaintStatuses reached in one step of the workflow by the replier
// (regulator: whether it judges), and no reply to a closed complaint
// without a status. Bad input fails with EINVALID, a step out of order
// with ECONFLICT.
func (cs *Complaints) Reply(ctx context.Context, id int64, r *ComplaintReply, regulator bool) error {
	r.Text = strings.TrimSpace(r.Text)
	if n := utf8.RuneCountInString(r.Text); n == 0 || n > MaxReplyText {
		return tracegate.Invalidf("/text", "a reply has 1 to %d characters", MaxReplyText)
	}
	if r.Status != "" && !slices.Contains(ComplaintStatuses, r.Status) {
		return tracegate.Invalidf("/status", "status must be one of acknowledged, substantiated, dismissed, closed")
	}
	return cs.s.ReplyToComplaint(ctx, id, r, func(from ComplaintStatus) error {
		if r.Status == "" {
			if from == ComplaintClosed {
				return &tracegate.Error{Code: tracegate.ECONFLICT, Message: "the complaint is closed"}
			}
			return nil
		}
		return NextComplaintStatus(from, r.Status, regulator)
	})
}
