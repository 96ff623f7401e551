package web

import (
	"net/http"

	"tracegate"
)

// handleCreditAppealCreate files the calling enterprise's appeal note
// against one entry of its own record: {"ref","note"}. 201 with the open
// appeal.
func (s *Server) handleCreditAppealCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxCreditBody)
	var body struct {
		Ref  string `json:"ref"`
		Note string `json:"note"`
	}
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := tracegate.PrincipalFrom(r.Context())
	a, err := s.credit.FileAppeal(r.Context(), p.USCC, body.Ref, body.Note)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}
