package web

import (
	"net/http"
	"slices"
	"strings"

	"tracegate"
)

// probeMethods are the methods handleNoRoute tries for an Allow header.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// handleNoRoute answers a request no route serves: 405 with an Allow header
// when the path is served under other methods, else 404; both as a problem
// (an HTML page for browsers, see writeError).
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		p := problemFor(r, tracegate.Errorf(tracegate.EUNSUPPORTED, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		p.Status, p.Title = http.StatusMethodNotAllowed, "Method not allowed / 不允许的方法"
		s.writeProblem(w, r, p)
		return
	}
	s.writeError(w, r, notFoundRoute(r))
}
