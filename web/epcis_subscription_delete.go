package web

import (
	"net/http"
)

// handleSubscriptionDelete ends a subscription.
func (s *Server) handleSubscriptionDelete(w http.ResponseWriter, r *http.Request) {
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err == nil {
		err = s.store.DeleteSubscription(r.Context(), nq.ID, r.PathValue("id"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
