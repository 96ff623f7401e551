package web

import (
	"net/http"
)

// handleSubscriptionList lists a named query's subscriptions.
func (s *Server) handleSubscriptionList(w http.ResponseWriter, r *http.Request) {
	nq, err := s.store.FindNamedQuery(r.Context(), principalOf(r).EnterpriseID, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListSubscriptions(r.Context(), nq.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
