package web

import (
	"net/http"
)

// handleQueryGet answers one named query.
func (s *Server) handleQueryGet(w http.ResponseWriter, r *http.Request) {
	q, err := s.events.NamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}
