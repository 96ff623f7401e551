package web

import (
	"net/http"
)

// handleQueryDelete removes a named query and its subscriptions.
func (s *Server) handleQueryDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.events.DeleteNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
