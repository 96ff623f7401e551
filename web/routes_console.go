package web

import (
	"context"
	"net/http"

	"tracegate"
	"tracegate/console"
	"tracegate/customs"
	"tracegate/label"
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
	s.shareItems()
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

// ItemViews is what a console that shows items (the scan page's view of a
// label, tiered by the viewer) takes from the server when it is mounted:
// the server's resolver, and the rule of who sees a declaration's buyer.
type ItemViews interface {
	UseItems(r *label.Resolver, seesBuyer func(*tracegate.Principal) func(context.Context, customs.Parties) (bool, error))
}

func (s *Server) shareItems() {
	if iv, ok := s.console.(ItemViews); ok {
		iv.UseItems(s.resolver, func(p *tracegate.Principal) func(context.Context, customs.Parties) (bool, error) {
			return buyerRule(p, s.confirmedCodes)
		})
	}
}
