package web

func init() { routeGroups = append(routeGroups, (*Server).registerNotificationRoutes) }

// registerNotificationRoutes registers the notification webhooks: where
// measure and other domain events are delivered, signed, at least once.
func (s *Server) registerNotificationRoutes() {
	s.handle("POST", "/api/notifications/webhooks", authenticated, s.handleNotificationWebhookCreate)
	s.handle("GET", "/api/notifications/webhooks", authenticated, s.handleNotificationWebhookList)
	s.handle("DELETE", "/api/notifications/webhooks/{id}", authenticated, s.handleNotificationWebhookDelete)
}
