package web

import (
	"net/http"
)

// handleAPIKeyList answers an enterprise's keys (never their secrets).
func (s *Server) handleAPIKeyList(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err == nil {
		err = canSeeEnterprise(principalOf(r), e.ID)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	keys, err := s.enterprises.ListAPIKeys(r.Context(), e.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"apiKeys": keys})
}
