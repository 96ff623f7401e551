package web

import "net/http"

// handleNotificationWebhookDelete removes one of the caller's enterprise's
// notification webhooks; another enterprise's is not found.
func (s *Server) handleNotificationWebhookDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.notifications.DeleteNotificationWebhook(r.Context(), principalOf(r).EnterpriseID, r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
