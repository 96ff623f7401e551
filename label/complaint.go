package label

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"time"

	"tracegate"
)

// ComplaintStatus is where a consumer complaint stands.
type ComplaintStatus string

// The complaint workflow: new → acknowledged → substantiated | dismissed →
// closed.
const (
	ComplaintNew           ComplaintStatus = "new"
	ComplaintAcknowledged  ComplaintStatus = "acknowledged"
	ComplaintSubstantiated ComplaintStatus = "substantiated"
	ComplaintDismissed     ComplaintStatus = "dismissed"
	ComplaintClosed        ComplaintStatus = "closed"
)

// ComplaintStatuses lists the statuses in workflow order.
var ComplaintStatuses = []ComplaintStatus{ComplaintNew, ComplaintAcknowledged, ComplaintSubstantiated, ComplaintDismissed, ComplaintClosed}

// NextComplaintStatus checks a status change: nil when a complaint at from
// may move to to (one step of the workflow), else ECONFLICT saying which
// steps are open. The product's enterprise may only acknowledge; whether a
// complaint is substantiated or dismissed, and closing it, is the
// regulator's (regulator true): an enterprise does not judge complaints
// about its own goods.
func NextComplaintStatus(from, to ComplaintStatus, regulator bool) error {
	next := map[ComplaintStatus][]ComplaintStatus{
		ComplaintNew:           {ComplaintAcknowledged},
		ComplaintAcknowledged:  {ComplaintSubstantiated, ComplaintDismissed},
		ComplaintSubstantiated: {ComplaintClosed},
		ComplaintDismissed:     {ComplaintClosed},
	}
	for _, s := range next[from] {
		if s == to {
			if !regulator && to != ComplaintAcknowledged {
				return &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: "/status", Message: "only a regulator may set a complaint " + string(to)}
			}
			return nil
		}
	}
	steps := make([]string, 0, 2)
	for _, s := range next[from] {
		steps = append(steps, string(s))
	}
	if len(steps) == 0 {
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/status", Message: "the complaint is " + string(from) + "; it changes no more"}
	}
	return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/status",
		Message: "a complaint that is " + string(from) + " may become " + strings.Join(steps, " or ") + ", not " + string(to)}
}

// ComplaintReply is one answer to a complaint, by the product's enterprise
// or a regulator, optionally moving its status. The consumer reads it on
// the complaint's page under the author's role, never the author's name.
type ComplaintReply struct {
	ID           int64           `json:"id"`
	EnterpriseID int64           `json:"enterpriseId,omitempty"`
	Role         tracegate.Role  `json:"role"`
	Text         string          `json:"text"`
	Status       ComplaintStatus `json:"status,omitempty"` // the status it set; "" for a reply only
	CreatedAt    time.Time       `json:"createdAt"`
}

// ComplaintFilter selects complaints for a list: newest first (by ID),
// after the cursor AfterID (0: from the newest).
type ComplaintFilter struct {
	OwnerID int64           // only complaints about this enterprise's products; 0 for all
	Status  ComplaintStatus // "" for any
	AfterID int64           // only IDs below this; 0 for no cursor
	Limit   int
}

// ComplaintStore keeps complaints and their workflow.
type ComplaintStore interface {
	// FileComplaint stores c (setting ID, CreatedAt and Status new) with
	// its RefHash and OwnerID. With photoQuota > 0 it fails with EQUOTA
	// when c's photo would take all stored complaint photos past
	// photoQuota bytes.
	FileComplaint(ctx context.Context, c *Complaint, photoQuota int64) error
	// ComplaintPhotoBytes returns the bytes of all stored complaint photos.
	ComplaintPhotoBytes(ctx context.Context) (int64, error)
	// ListComplaints returns up to f.Limit complaints (without photos or
	// replies), newest first.
	ListComplaints(ctx context.Context, f ComplaintFilter) ([]Complaint, error)
	// FindComplaint returns the complaint with id and its replies (oldest
	// first), without its photo, or ENOTFOUND.
	FindComplaint(ctx context.Context, id int64) (*Complaint, error)
	// FindComplaintByReference is FindComplaint by the hash of its
	// reference (ComplaintRefHash), or ENOTFOUND.
	FindComplaintByReference(ctx context.Context, refHash [32]byte) (*Complaint, error)
	// ComplaintPhoto returns the photo of complaint id and its media type,
	// or ENOTFOUND when there is no such complaint or it has no photo.
	ComplaintPhoto(ctx context.Context, id int64) ([]byte, string, error)
	// ReplyToComplaint checks and stores reply to complaint id in one
	// transaction: when reply.Status is set, check(current status) must
	// return nil, and the complaint takes the new status. It sets reply's
	// ID and CreatedAt; it fails with ENOTFOUND, or with check's error.
	ReplyToComplaint(ctx context.Context, id int64, reply *ComplaintReply, check func(ComplaintStatus) error) error
}

// refAlphabet is Crockford base32, the alphabet of label codes.
const refAlphabet = alphabet

// NewComplaintReference returns a fresh, unguessable complaint reference:
// "TS-" and 20 base32 symbols (100 random bits) in groups of four. It fails
// only when the system's random source does.
func NewComplaintReference() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString("TS")
	for i, v := range b {
		if i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(refAlphabet[v&31])
	}
	return sb.String(), nil
}

// ComplaintRefHash is what the store keeps of a reference: the SHA-256 of
// its canonical form (upper case, without dashes or spaces, O read as 0 and
// I or L as 1, as Crockford base32 reads). The second result is false when
// ref is not a reference at all.
func ComplaintRefHash(ref string) ([32]byte, bool) {
	r := strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(strings.ToUpper(strings.TrimSpace(ref)))
	if !strings.HasPrefix(r, "TS") || len(r) != 22 {
		return [32]byte{}, false
	}
	for _, c := range r[2:] {
		if !strings.ContainsRune(refAlphabet, c) {
			return [32]byte{}, false
		}
	}
	return sha256.Sum256([]byte(r)), true
}
