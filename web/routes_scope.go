package web

func init() { routeGroups = append(routeGroups, (*Server).registerScopeRoutes) }

// registerScopeRoutes registers the recall scope of a selector: every
// affected item, order and consumer (issue 13).
func (s *Server) registerScopeRoutes() {
	s.handle("GET", "/api/scope", roles(regulator), s.handleScopeGet)
	// Who may read a measure's scope, and how much of it, is the
	// measure's visibility and measure.Viewer's rule.
	s.handle("GET", "/api/measures/{id}/scope", authenticated, s.handleMeasureScope)
}
