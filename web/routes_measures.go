package web

import (
	"net/http"
	"slices"

	"tracegate"
)

func init() { routeGroups = append(routeGroups, (*Server).registerMeasureRoutes) }

// registerMeasureRoutes registers the measures (issue 13): orders on
// goods, their workflow and acknowledgements. Who may order, see and move
// which measure is measure.Service's to decide (docs/SECURITY.md).
func (s *Server) registerMeasureRoutes() {
	s.handle("POST", "/api/measures", authenticated, s.handleMeasureCreate)
	s.handle("GET", "/api/measures", authenticated, s.handleMeasureList)
	s.handle("GET", "/api/measures/{id}", authenticated, s.handleMeasureGet)
	s.handle("POST", "/api/measures/{id}/status", authenticated, s.handleMeasureStatus)
	// The enterprises concerned acknowledge; the regulator orders.
	enterprises := roles(slices.DeleteFunc(slices.Clone(tracegate.Roles), func(r tracegate.Role) bool { return r == regulator })...)
	s.handle("POST", "/api/measures/{id}/ack", enterprises, s.handleMeasureAck)
}

// measureService returns EUNAVAILABLE when the server runs without measures.
func (s *Server) measureService() error {
	if s.measures == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "measures are not configured on this server")
	}
	return nil
}

// maxMeasureBody bounds the JSON of an order, a transition or an ack.
const maxMeasureBody = 16 << 10

// measureRequest runs the checks every measure handler starts with: the
// service is configured, the body (when there is one) is bounded.
func (s *Server) measureRequest(w http.ResponseWriter, r *http.Request) bool {
	if err := s.measureService(); err != nil {
		s.writeError(w, r, err)
		return false
	}
	limitBody(w, r, maxMeasureBody)
	return true
}
