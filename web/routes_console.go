package web

import (
	"net/http"

	"tracegate"
	"tracegate/console"
)

func init() { routeGroups = append(routeGroups, (*Server).registerConsoleRoutes) }

// Console is the browser console (a *console.Console) the server mounts: its
// pages pass through the same middleware, route policy and authorization
// matrix as the API. Its routes alone accept the session cookie, so a
// cross-site form can never reach the API with a person's session.
type Console interface {
	// Session returns the principal of r's console session, nil when r
	// carries none, or EUNAUTHORIZED for a stale or ended one.
	Session(r *http.Request) (*tracegate.Principal, error)
	// Routes are the console's pages and actions.
	Routes() []console.Route
	// Refuse writes the page of a request its route's policy refused (the
	// sign-in page for EUNAUTHORIZED).
	Refuse(w http.ResponseWriter, r *http.Request, err error)
}

// registerConsoleRoutes mounts the console's routes, when there is one.
func (s *Server) registerConsoleRoutes() {
	if s.console == nil {
		return
	}
	for _, cr := range s.console.Routes() {
		p := policy{auth: !cr.Public, roles: cr.Roles, session: true}
		s.handle(cr.Method, cr.Path, p, cr.Handler)
	}
}

// ProblemStatus is the HTTP status, code and title the problem table gives
// err: what the console shows on its error pages. Internal errors are 500
// whatever their cause.
func ProblemStatus(err error) (status int, code, title string) {
	code = tracegate.ErrorCode(err)
	status, ok := problemStatus[code]
	if !ok {
		code, status = tracegate.EINTERNAL, http.StatusInternalServerError
	}
	return status, code, problemTitle[code]
}
