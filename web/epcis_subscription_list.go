package web

import (
	"net/http"
)

// handleSubscriptionList lists a named query's subscriptions.
func (s *Server) handleSubscriptionList(w http.ResponseWriter, r *http.Request) {
	list, err := s.events.Subscriptions(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
