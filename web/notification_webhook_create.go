package web

import (
	"net/http"
	"net/url"

	"tracegate"
	"tracegate/bus"
	"tracegate/webhook"
)

// maxNotificationWebhooks is the most notification webhooks one enterprise
// may register: each notification is POSTed to every one.
const maxNotificationWebhooks = 10

type notificationWebhookRequest struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// handleNotificationWebhookCreate registers a webhook of the caller's
// enterprise for notifications of measures (tracegate.measure.>): each one
// addressed to the enterprise after now is POSTed to url with
// GS1-Signature = hex HMAC-SHA256(secret, body). The URL is checked by the
// same SSRF guard as subscriptions (--webhook-allow), now and at every
// connection.
func (s *Server) handleNotificationWebhookCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var req notificationWebhookRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.writeError(w, r, tracegate.Invalidf("/url", "url must be an http(s) URL"))
		return
	}
	if err := s.webhooks.CheckURL(r.Context(), u); err != nil {
		s.writeError(w, r, tracegate.Invalidf("/url", "url may not be reached: %v", err))
		return
	}
	if len(req.Secret) < 16 {
		s.writeError(w, r, tracegate.Invalidf("/secret", "secret must have at least 16 characters: it keys the GS1-Signature HMAC"))
		return
	}
	p := principalOf(r)
	list, err := s.notifications.ListNotificationWebhooks(r.Context(), p.EnterpriseID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(list) >= maxNotificationWebhooks {
		s.writeError(w, r, tracegate.Errorf(tracegate.ECONFLICT, "an enterprise may register at most %d notification webhooks; delete one first", maxNotificationWebhooks))
		return
	}
	hook := &webhook.NotificationWebhook{ID: bus.NewID(), EnterpriseID: p.EnterpriseID, URL: req.URL, Secret: req.Secret}
	if err := s.notifications.CreateNotificationWebhook(r.Context(), hook); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/notifications/webhooks/"+hook.ID)
	writeJSON(w, http.StatusCreated, hook)
}
