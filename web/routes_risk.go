package web

import "tracegate"

func init() { routeGroups = append(routeGroups, (*Server).registerRiskRoutes) }

// riskWriters state signals: regulators, labs, and platforms about their
// own goods (risk.Service checks the goods).
var riskWriters = roles(tracegate.RolePlatform, tracegate.RoleLab, tracegate.RoleRegulator)

// riskReaders read assessments: the regulator and the labs (the experts,
// 智库, of the monitoring centre).
var riskReaders = roles(tracegate.RoleLab, tracegate.RoleRegulator)

// registerRiskRoutes registers risk monitoring (issue 14): signals,
// assessments, warnings, the stock search, the configuration, the overview.
func (s *Server) registerRiskRoutes() {
	s.handle("POST", "/api/risk/signals", riskWriters, s.handleRiskSignalCreate)
	s.handle("GET", "/api/risk/signals", riskWriters, s.handleRiskSignalList)
	s.handle("GET", "/api/risk/signals/{id}", riskWriters, s.handleRiskSignalGet)
	s.handle("GET", "/api/risk/attachments/{id}", riskWriters, s.handleRiskAttachmentGet)
	s.handle("GET", "/api/risk/assessments", riskReaders, s.handleRiskAssessmentList)
	s.handle("GET", "/api/risk/assessments/{kind}/{value...}", riskReaders, s.handleRiskAssessmentGet)
	s.handle("GET", "/api/risk/config", riskReaders, s.handleRiskConfigGet)
	s.handle("PUT", "/api/risk/config", roles(tracegate.RoleRegulator), s.handleRiskConfigPut)
	s.handle("GET", "/api/risk/warnings", roles(tracegate.RoleRegulator), s.handleRiskWarningList)
	s.handle("GET", "/api/risk/warnings/{id}", roles(tracegate.RoleRegulator), s.handleRiskWarningGet)
	s.handle("POST", "/api/risk/warnings/{id}/confirm", roles(tracegate.RoleRegulator), s.handleRiskWarningConfirm)
	s.handle("POST", "/api/risk/warnings/{id}/dismiss", roles(tracegate.RoleRegulator), s.handleRiskWarningDismiss)
	s.handle("GET", "/api/risk/stock", authenticated, s.handleRiskStock)
	s.handle("GET", "/api/risk/overview", roles(tracegate.RoleRegulator), s.handleRiskOverview)
	orderers := roles(tracegate.RolePlatform, tracegate.RoleRegulator)
	s.handle("POST", "/api/risk/lab-orders", orderers, s.handleRiskLabOrderCreate)
	s.handle("GET", "/api/risk/lab-orders", riskWriters, s.handleRiskLabOrderList)
	s.handle("GET", "/api/risk/lab-orders/{id}", riskWriters, s.handleRiskLabOrderGet)
	s.handle("POST", "/api/risk/lab-orders/{id}/results", roles(tracegate.RoleLab), s.handleRiskLabResults)
	s.handle("GET", "/api/risk/lab-orders/{id}/reports/{report}", riskWriters, s.handleRiskLabReport)
	s.handle("GET", "/api/risk/pre-listing", roles(tracegate.RolePlatform), s.handleRiskPreListingGet)
	s.handle("PUT", "/api/risk/pre-listing", roles(tracegate.RolePlatform), s.handleRiskPreListingPut)
}
