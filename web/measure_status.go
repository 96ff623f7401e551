package web

import (
	"net/http"

	"tracegate/measure"
)

// statusBody is the body of POST /api/measures/{id}/status.
type statusBody struct {
	Status measure.Status `json:"status"`
	Note   string         `json:"note"`
}

// handleMeasureStatus moves a measure on in its workflow: the owner to
// in_progress and completed, the regulator to ordered (a draft), verified
// or cancelled. A transition out of order is 409, one that is not the
// caller's 403, both pointing at /status.
func (s *Server) handleMeasureStatus(w http.ResponseWriter, r *http.Request) {
	if !s.measureRequest(w, r) {
		return
	}
	var b statusBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.measures.Transition(r.Context(), principalOf(r), r.PathValue("id"), b.Status, b.Note)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.measuresChanged()
	writeJSON(w, http.StatusOK, m)
}
