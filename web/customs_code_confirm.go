package web

import (
	"net/http"
)

// handleCustomsCodeConfirm confirms a claimed customs code (a regulator
// only): from then on the enterprise sends, dispatches and sees
// declarations under it. An unclaimed code is 404.
func (s *Server) handleCustomsCodeConfirm(w http.ResponseWriter, r *http.Request) {
	c, err := s.parties.ConfirmCustomsCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
