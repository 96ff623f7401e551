package web

import (
	"net/http"
)

// handleQueryList lists the caller's named queries.
func (s *Server) handleQueryList(w http.ResponseWriter, r *http.Request) {
	list, err := s.events.NamedQueries(r.Context(), principalOf(r).EnterpriseID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
