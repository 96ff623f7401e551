package console

import (
	"net/http"

	"tracegate"
)

// Route is one console endpoint, mounted by package web behind its route
// policy: Public routes need no sign-in; the others need a session (or an
// API key) of one of Roles, any role when Roles is empty.
type Route struct {
	Method, Path string
	Public       bool
	Roles        []tracegate.Role
	Handler      http.HandlerFunc
}

var regulatorOnly = []tracegate.Role{tracegate.RoleRegulator}

// Routes are the console's pages and actions.
func (c *Console) Routes() []Route {
	rs := []Route{
		{Method: "GET", Path: "/console/static/{name}", Public: true, Handler: c.handleStatic},
		{Method: "GET", Path: "/console/sign-in", Public: true, Handler: c.handleSignInPage},
		{Method: "POST", Path: "/console/sign-in", Public: true, Handler: c.handleSignIn},
		{Method: "POST", Path: "/console/sign-out", Handler: c.page(c.handleSignOut)},
		{Method: "POST", Path: "/console/sign-out-everywhere", Handler: c.page(c.handleSignOutEverywhere)},
		{Method: "POST", Path: "/console/lang", Handler: c.page(c.handleLang)},
		{Method: "GET", Path: "/console/{$}", Handler: c.page(c.handleHome)},
		{Method: "GET", Path: "/console/users", Handler: c.page(c.handleUsers)},
		{Method: "POST", Path: "/console/users", Handler: c.page(c.handleUserAdd)},
		{Method: "POST", Path: "/console/users/{id}/disable", Handler: c.page(c.handleUserDisable)},
		{Method: "GET", Path: "/console/audit", Roles: regulatorOnly, Handler: c.page(c.handleAudit)},
		{Method: "GET", Path: "/console/reviews", Roles: regulatorOnly, Handler: c.page(needs(c.cfg.Customs, c.handleReviews))},
		{Method: "POST", Path: "/console/reviews/{id}", Roles: regulatorOnly, Handler: c.page(needs(c.cfg.Customs, c.handleReviewResolve))},
		{Method: "GET", Path: "/console/warnings", Roles: regulatorOnly, Handler: c.page(needs(c.cfg.Risk, c.handleWarnings))},
		{Method: "POST", Path: "/console/warnings/{id}/{action}", Roles: regulatorOnly, Handler: c.page(needs(c.cfg.Risk, c.handleWarningDecide))},
		{Method: "GET", Path: "/console/scan/{mode}", Roles: binders, Handler: c.page(needs(c.cfg.Labels, c.handleScanPage))},
		{Method: "POST", Path: "/console/scan/{mode}", Roles: binders, Handler: c.page(needs(c.cfg.Labels, c.handleScan))},
		{Method: "POST", Path: "/console/scan/{mode}/undo", Roles: binders, Handler: c.page(needs(c.cfg.Labels, c.handleScanUndo))},
		{Method: "GET", Path: "/console/search", Handler: c.page(c.handleSearch)},
		{Method: "GET", Path: "/console/items/{code}", Handler: c.page(c.handleItem)},
		{Method: "GET", Path: "/console/measures", Handler: c.page(needs(c.cfg.Measures, c.handleMeasures))},
		{Method: "POST", Path: "/console/measures", Handler: c.page(needs(c.cfg.Measures, c.handleMeasureOrder))},
		{Method: "GET", Path: "/console/measures/{id}", Handler: c.page(needs(c.cfg.Measures, c.handleMeasure))},
		{Method: "POST", Path: "/console/measures/{id}/{step}", Handler: c.page(needs(c.cfg.Measures, c.handleMeasureStep))},
	}
	return rs
}

// needs answers a page whose service this server has not (nil) with
// EUNAVAILABLE, as the API answers its routes.
func needs[S any](svc *S, fn func(q *req) error) func(q *req) error {
	if svc == nil {
		return func(*req) error {
			return tracegate.Errorf(tracegate.EUNAVAILABLE, "this screen's service is not configured on this server")
		}
	}
	return fn
}
