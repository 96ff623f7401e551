package web

func init() { routeGroups = append(routeGroups, (*Server).registerScopeRoutes) }

// registerScopeRoutes registers the recall scope of a selector: every
// affected item, order and consumer (issue 13).
func (s *Server) registerScopeRoutes() {
	s.handle("GET", "/api/scope", roles(regulator), s.handleScopeGet)
}
