package web

import (
	"net/http"
	"strings"
)

// route is one registered endpoint with the policy that guards it.
type route struct {
	Method  string
	Path    string // the ServeMux path pattern, e.g. /api/enterprises/{id}
	Policy  policy
	Handler http.HandlerFunc
}

// Pattern is the ServeMux pattern of rt: "METHOD /path".
func (rt *route) Pattern() string { return rt.Method + " " + rt.Path }

// handle registers h for method and path behind policy p.
func (s *Server) handle(method, path string, p policy, h http.HandlerFunc) {
	rt := &route{Method: method, Path: path, Policy: p, Handler: h}
	s.routes = append(s.routes, rt)
	s.mux.Handle(rt.Pattern(), s.metrics.instrument(rt.Pattern(), s.authorize(rt)))
}

// routeGroups register the routes of the later domains, each from a file
// of its own (routes_<domain>.go, added by an init function), so that two
// domains never edit one table. Every route of a group is in the OpenAPI
// document (a fragment under openapi/) and in the authorization matrix
// (addMatrixRows in a test file of the domain), as the table's are.
var routeGroups []func(*Server)

// registerRoutes is the table of every endpoint. Each one is in the OpenAPI
// document (a test checks it) and in the authorization matrix test.
func (s *Server) registerRoutes() {
	s.handle("GET", "/{$}", public, s.handleHome)
	s.handle("GET", "/static/{name}", public, s.handleStatic)
	s.handle("GET", "/healthz", public, s.handleHealthz)
	s.handle("GET", "/readyz", public, s.handleReadyz)
	s.handle("GET", "/metrics", public, s.metrics.handler().ServeHTTP)
	s.handle("GET", "/openapi.json", public, s.handleOpenAPI)
	s.handle("GET", "/problems/{code}", public, s.handleProblemType)

	s.handle("GET", "/api/me", authenticated, s.handleMeGet)
	s.handle("GET", "/api/enterprises", roles(regulator), s.handleEnterpriseList)
	s.handle("POST", "/api/enterprises", roles(regulator), s.handleEnterpriseCreate)
	s.handle("GET", "/api/enterprises/{id}", authenticated, s.handleEnterpriseGet)
	s.handle("GET", "/api/enterprises/{id}/apikeys", authenticated, s.handleAPIKeyList)
	s.handle("POST", "/api/enterprises/{id}/apikeys", roles(regulator), s.handleAPIKeyCreate)
	s.handle("GET", "/api/enterprises/{id}/gs1-prefixes", authenticated, s.handlePrefixList)
	s.handle("POST", "/api/enterprises/{id}/gs1-prefixes", roles(regulator), s.handlePrefixCreate)
	s.handle("DELETE", "/api/apikeys/{id}", authenticated, s.handleAPIKeyRevoke)
	s.handle("GET", "/api/enterprises/{id}/customs-codes", authenticated, s.handleCustomsCodeList)
	s.handle("POST", "/api/enterprises/{id}/customs-codes", authenticated, s.handleCustomsCodeCreate)
	s.handle("DELETE", "/api/enterprises/{id}/customs-codes/{code}", authenticated, s.handleCustomsCodeDelete)
	s.handle("POST", "/api/customs-codes/{code}/confirm", roles(regulator), s.handleCustomsCodeConfirm)
	s.handle("GET", "/api/enterprises/{id}/handlings", authenticated, s.handleHandlingList)
	s.handle("POST", "/api/enterprises/{id}/handlers", authenticated, s.handleHandlingGrant)
	s.handle("DELETE", "/api/enterprises/{id}/handlers/{handler}", authenticated, s.handleHandlingRevoke)

	s.handle("POST", "/api/products", productFilers, s.handleProductCreate)
	s.handle("POST", "/api/products/import", productFilers, s.handleProductImport)
	s.handle("GET", "/api/products", authenticated, s.handleProductList)
	s.handle("GET", "/api/products/{gtin}", authenticated, s.handleProductGet)
	s.handle("PUT", "/api/products/{gtin}/photo", productFilers, s.handleProductPhotoPut)
	s.handle("GET", "/photos/{sha256}", public, s.handlePhotoGet)
	s.handle("POST", "/api/filings/{id}/review", roles(regulator), s.handleFilingReview)
	s.handle("POST", "/api/filings/{id}/withdraw", productFilers, s.handleFilingWithdraw)

	s.handle("OPTIONS", "/epcis/capture", authenticated, s.handleCaptureOptions)
	s.handle("POST", "/epcis/capture", authenticated, s.handleCapture)
	s.handle("GET", "/epcis/capture/{id}", authenticated, s.handleCaptureGet)
	s.handle("GET", "/epcis/events", authenticated, s.handleEventsQuery)
	s.handle("GET", "/epcis/events/{eventID...}", authenticated, s.handleEventGet)
	s.handle("GET", "/epcis/epcs/{epc}/events", authenticated, s.handleEPCEvents)
	s.handle("GET", "/epcis/containment/{epc}", authenticated, s.handleContents)
	s.handle("GET", "/epcis/containers/{epc}", authenticated, s.handleContainers)
	s.handle("POST", "/epcis/queries", authenticated, s.handleQueryCreate)
	s.handle("GET", "/epcis/queries", authenticated, s.handleQueryList)
	s.handle("GET", "/epcis/queries/{name}", authenticated, s.handleQueryGet)
	s.handle("DELETE", "/epcis/queries/{name}", authenticated, s.handleQueryDelete)
	s.handle("GET", "/epcis/queries/{name}/events", authenticated, s.handleQueryEvents)
	s.handle("POST", "/epcis/queries/{name}/subscriptions", authenticated, s.handleSubscriptionCreate)
	s.handle("GET", "/epcis/queries/{name}/subscriptions", authenticated, s.handleSubscriptionList)
	s.handle("DELETE", "/epcis/queries/{name}/subscriptions/{id}", authenticated, s.handleSubscriptionDelete)
	s.handle("GET", "/epcis/eventTypes", authenticated, s.handleEventTypes)
	s.handle("GET", "/epcis/bizSteps", authenticated, s.handleBizSteps)

	s.handle("POST", "/api/customs/messages", customsSenders, s.handleCustomsMessage)
	s.handle("GET", "/api/customs/inventories", customsReaders, s.handleCustomsInventory)
	s.handle("GET", "/api/customs/reviews", roles(regulator), s.handleCustomsReviews)
	s.handle("POST", "/api/customs/reviews/{id}", customsOfficers, s.handleCustomsReviewResolve)
	s.handle("POST", "/api/customs/tables/{kind}", roles(regulator), s.handleCustomsTableLoad)
	s.handle("GET", "/api/customs/tables/{kind}", roles(regulator), s.handleCustomsTableGet)

	s.handle("POST", "/api/labels/requests", labelIssuers, s.handleLabelRequest)
	s.handle("POST", "/api/labels/intake", labelBinders, s.handleLabelIntake)
	s.handle("POST", "/api/labels/dispatch", labelBinders, s.handleLabelDispatch)
	s.handle("POST", "/api/labels/unbind", labelBinders, s.handleLabelUnbind)
	s.handle("GET", "/api/labels/{code}", authenticated, s.handleLabelGet)
	s.handle("GET", "/api/labels/{code}/qr", authenticated, s.handleLabelQR)
	s.handle("POST", "/api/holds", roles(regulator), s.handleHoldCreate)
	s.handle("GET", "/api/holds", authenticated, s.handleHoldList)
	s.handle("GET", "/api/complaints", complaintReaders, s.handleComplaintList)
	s.handle("GET", "/api/complaints/{id}", complaintReaders, s.handleComplaintGet)
	s.handle("POST", "/api/complaints/{id}/replies", complaintReaders, s.handleComplaintReply)
	s.handle("GET", "/api/complaints/{id}/photo", complaintReaders, s.handleComplaintPhoto)

	s.handle("GET", "/l", public, s.handleCodeLookup)
	s.handle("GET", "/api/credit/enterprises", roles(regulator), s.handleCreditEnterpriseList)
	s.handle("GET", "/api/credit/enterprises/{uscc}", authenticated, s.handleCreditEnterpriseGet)
	s.handle("POST", "/api/credit/recognitions", roles(regulator), s.handleCreditRecognitionCreate)
	s.handle("POST", "/api/credit/appeals", authenticated, s.handleCreditAppealCreate)
	s.handle("POST", "/api/credit/appeals/{id}", roles(regulator), s.handleCreditAppealResolve)
	s.handle("POST", "/api/credit/blacklist/editions", roles(regulator), s.handleCreditBlacklistPublish)
	s.handle("GET", "/credit/blacklist", public, s.handleCreditBlacklistPage)
	s.handle("GET", "/credit/blacklist.json", public, s.handleCreditBlacklistJSON)
	s.handle("GET", "/credit/blacklist.csv", public, s.handleCreditBlacklistCSV)
	s.handle("GET", "/credit/blacklist.atom", public, s.handleCreditBlacklistAtom)

	s.handle("GET", "/l/{code}", public, s.handleScan)
	s.handle("GET", "/l/{code}/proof", public, s.handleScanProof)
	s.handle("POST", "/l/{code}/complaints", public, s.handleComplaint)
	s.handle("GET", "/complaints/{ref}", public, s.handleComplaintPage)

	s.handle("GET", "/log/checkpoint", public, s.handleCheckpoint)
	s.handle("GET", "/log/vkey", public, s.handleVKey)
	s.handle("GET", "/log/tile/{path...}", public, s.handleTile)
	s.handle("GET", "/log/proof/event/{eventID...}", public, s.handleEventProof)

	for _, ai := range resolverKeys {
		s.handle("GET", "/"+ai+"/{path...}", public, s.handleResolve)
	}
	for _, register := range routeGroups {
		register(s)
	}

	// Anything else answers a problem (an HTML page for browsers), never
	// the mux's plain text: 405 with Allow when another method is served.
	s.mux.HandleFunc("/", s.handleNoRoute)
}

// openAPIPath turns a ServeMux path into an OpenAPI path template.
func openAPIPath(p string) string {
	p = strings.TrimSuffix(p, "{$}")
	return strings.ReplaceAll(p, "...}", "}")
}
