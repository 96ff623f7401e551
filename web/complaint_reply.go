package web

import (
	"net/http"

	"tracegate/label"
)

// complaintReplyBody is the body of POST /api/complaints/{id}/replies.
type complaintReplyBody struct {
	Text   string                `json:"text"`
	Status label.ComplaintStatus `json:"status"`
}

// handleComplaintReply answers a complaint, optionally moving its status
// one step (label.NextComplaintStatus): the enterprise whose product it is
// may reply and acknowledge; a regulator may also substantiate, dismiss
// and close. The consumer reads the reply on the complaint's page. 201 with
// the reply and the complaint's status; 409 for a step the workflow does
// not allow, 403 for a step that is the regulator's.
func (s *Server) handleComplaintReply(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	p := principalOf(r)
	c, err := s.visibleComplaint(r.Context(), p, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var body complaintReplyBody
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	reply := &label.ComplaintReply{EnterpriseID: p.EnterpriseID, Role: p.Role, Text: body.Text, Status: body.Status}
	if err := s.complaints.Reply(r.Context(), c.ID, reply, seesAll(p)); err != nil {
		s.writeError(w, r, err)
		return
	}
	status := c.Status
	if reply.Status != "" {
		status = reply.Status
	}
	s.log.InfoContext(r.Context(), "complaint answered", "complaint", c.ID, "status", string(status))
	writeJSON(w, http.StatusCreated, map[string]any{"reply": reply, "complaintStatus": status})
}
