package web

import (
	"net/http"
)

// ackBody is the optional body of POST /api/measures/{id}/ack.
type ackBody struct {
	Note string `json:"note"`
}

// handleMeasureAck records that the caller's enterprise (the owner, or one
// holding affected goods) has taken note of a measure; again, it changes
// nothing.
func (s *Server) handleMeasureAck(w http.ResponseWriter, r *http.Request) {
	if !s.measureRequest(w, r) {
		return
	}
	var b ackBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &b); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	m, err := s.measures.Acknowledge(r.Context(), principalOf(r), r.PathValue("id"), b.Note)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
