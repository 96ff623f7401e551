package web

import "tracegate"

// customsService returns the intake, or EUNAVAILABLE when the server runs
// without one.
func (s *Server) customsService() error {
	if s.customs == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "the customs intake is not configured on this server")
	}
	return nil
}
