package web

import (
	"slices"

	"tracegate"
)

// The customs routes' policies and resource check (beside authz.go, which
// the lead may fold them into).
var (
	// customsSenders may post messages; which message type each role may
	// send is checked by the intake (customs.Service.Intake).
	customsSenders = roles(tracegate.RolePlatform, tracegate.RoleEcommerce, tracegate.RoleLogistics,
		tracegate.RoleWarehouse, tracegate.RolePayment, regulator)
	// customsReaders may ask for a decision: a regulator any, the others
	// only those of declarations they sent a document of.
	customsReaders = customsSenders
)

// canSeeDeclaration: a regulator sees every declaration, an enterprise those
// it sent a document of. Anything else is not found, so that order numbers
// of others cannot be probed.
func canSeeDeclaration(p *tracegate.Principal, senders []int64) error {
	if p.Role == tracegate.RoleRegulator || slices.Contains(senders, p.EnterpriseID) {
		return nil
	}
	return tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of this order that you sent a document of")
}

// customsService returns the intake, or EUNAVAILABLE when the server runs
// without one.
func (s *Server) customsService() error {
	if s.customs == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "the customs intake is not configured on this server")
	}
	return nil
}
