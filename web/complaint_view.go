package web

import (
	"context"
	"strconv"

	"tracegate"
	"tracegate/label"
)

// Who sees which complaint: a regulator every one; an enterprise those
// about the products it filed (label.Complaint.OwnerID), without the
// consumer's contact (the consumer gave it to the regulator, for follow-up);
// anyone else none. The consumer reads their own on the complaint's page,
// by its reference, without the enterprise IDs of whoever answered.

// visibleComplaint returns the complaint with the {id} path value as p may
// see it: ENOTFOUND for a complaint that is not p's to see (the same answer
// as for one that does not exist), EINVALID for a malformed ID.
func (s *Server) visibleComplaint(ctx context.Context, p *tracegate.Principal, idText string) (*label.Complaint, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return nil, tracegate.Invalidf("/id", "a complaint ID is a positive integer")
	}
	c, err := s.complaints.Find(ctx, id, complaintOwnerFilter(p))
	if err != nil {
		return nil, err
	}
	redactComplaint(p, c)
	return c, nil
}

// publicComplaint is what the consumer's page shows of a complaint.
type publicComplaint struct {
	Reference string        `json:"reference"`
	Category  string        `json:"category"`
	Text      string        `json:"text"`
	HasPhoto  bool          `json:"hasPhoto"`
	Status    string        `json:"status"`
	CreatedAt string        `json:"createdAt"`
	UpdatedAt string        `json:"updatedAt"`
	Replies   []publicReply `json:"replies"`
}

// publicReply is one answer as the consumer sees it: who by role only.
type publicReply struct {
	From      string `json:"from"` // "enterprise" or "regulator"
	Text      string `json:"text"`
	Status    string `json:"status,omitempty"`
	CreatedAt string `json:"createdAt"`
}

func toPublicComplaint(ref string, c *label.Complaint) publicComplaint {
	pc := publicComplaint{Reference: ref, Category: c.Category, Text: c.Text, HasPhoto: c.PhotoType != "", Status: string(c.Status),
		CreatedAt: c.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), UpdatedAt: c.UpdatedAt.Format("2006-01-02T15:04:05Z07:00"),
		Replies: []publicReply{}}
	for _, r := range c.Replies {
		from := "enterprise"
		if r.Role == tracegate.RoleRegulator {
			from = "regulator"
		}
		pc.Replies = append(pc.Replies, publicReply{From: from, Text: r.Text, Status: string(r.Status), CreatedAt: r.CreatedAt.Format("2006-01-02T15:04:05Z07:00")})
	}
	return pc
}
