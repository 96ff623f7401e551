package web

import (
	"net/http"

	"tracegate"
)

// handleProblemType documents a problem type: the "type" member of every
// problem+json this server sends resolves here.
func (s *Server) handleProblemType(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	status, ok := problemStatus[code]
	if !ok {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no problem type %q", code))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": "/problems/" + code, "code": code, "title": problemTitle[code], "status": status})
}

// notFoundRoute is the error for a path no route serves.
func notFoundRoute(r *http.Request) error {
	return tracegate.Errorf(tracegate.ENOTFOUND, "no endpoint %s %s (see /openapi.json)", r.Method, r.URL.Path)
}
