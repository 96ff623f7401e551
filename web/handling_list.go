package web

import (
	"net/http"

	"tracegate"
)

// handleHandlingList answers the client relations an enterprise is part
// of, as client (whom it authorised) or as handler (who authorised it): to
// the enterprise itself and to a regulator.
func (s *Server) handleHandlingList(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err == nil {
		err = canSeeEnterprise(principalOf(r), e.ID)
	}
	var hs []tracegate.Handling
	if err == nil {
		hs, err = s.parties.Handlings(r.Context(), e.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"handlings": hs})
}
