package web

import "net/http"

// handleNotificationWebhookList lists the caller's enterprise's notification
// webhooks with their delivery state (position, attempts, last error); the
// secrets are never shown.
func (s *Server) handleNotificationWebhookList(w http.ResponseWriter, r *http.Request) {
	list, err := s.notifications.ListNotificationWebhooks(r.Context(), principalOf(r).EnterpriseID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
