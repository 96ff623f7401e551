package web

import (
	"net/http"
)

// handleSubscriptionDelete ends a subscription.
func (s *Server) handleSubscriptionDelete(w http.ResponseWriter, r *http.Request) {
	err := s.events.Unsubscribe(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
