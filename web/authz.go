package web

import (
	"net/http"
	"slices"

	"tracegate"
)

// This file is the one place where authorization is decided: the policies
// routes declare, and the resource-level checks handlers call.

// policy is what a route demands of its caller.
type policy struct {
	auth  bool             // a valid key is required
	roles []tracegate.Role // when set, the key's role must be one of these
}

var (
	public        = policy{}
	authenticated = policy{auth: true}
	regulator     = tracegate.RoleRegulator
)

func roles(r ...tracegate.Role) policy { return policy{auth: true, roles: r} }

// allows decides whether p may pass the policy: nil, or EUNAUTHORIZED /
// EFORBIDDEN.
func (pol policy) allows(p *tracegate.Principal) error {
	if !pol.auth {
		return nil
	}
	if p == nil {
		return tracegate.Errorf(tracegate.EUNAUTHORIZED, "this endpoint needs an API key: send Authorization: Bearer <key>")
	}
	if len(pol.roles) > 0 && !slices.Contains(pol.roles, p.Role) {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "a %s key may not do this; it needs the role %v", p.Role, pol.roles)
	}
	return nil
}

// authorize authenticates the caller, applies rt's policy and, when both
// pass, calls the handler with the principal in the context. A credential
// that is sent but invalid is refused even on public routes.
func (s *Server) authorize(rt *route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err == nil {
			err = rt.Policy.allows(p)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if p != nil {
			if info := infoOf(r); info != nil {
				info.principal = p
			}
			r = r.WithContext(tracegate.WithPrincipal(r.Context(), p))
		}
		rt.Handler(w, r)
	})
}

// canSeeEnterprise: a regulator sees every enterprise, an enterprise itself.
func canSeeEnterprise(p *tracegate.Principal, enterpriseID int64) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == enterpriseID {
		return nil
	}
	return tracegate.Errorf(tracegate.EFORBIDDEN, "an enterprise may only see itself")
}

// canRevokeKey: a regulator revokes any key, an enterprise its own.
func canRevokeKey(p *tracegate.Principal, k *tracegate.APIKey) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == k.EnterpriseID {
		return nil
	}
	return tracegate.Errorf(tracegate.EFORBIDDEN, "an enterprise may only revoke its own keys")
}

// principalOf returns the authenticated caller of r, or nil.
func principalOf(r *http.Request) *tracegate.Principal {
	if p := tracegate.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	if info := infoOf(r); info != nil {
		return info.principal
	}
	return nil
}

// productScope is the owner filter of the caller's product reads: 0 (all)
// for a regulator, its own enterprise otherwise.
func productScope(p *tracegate.Principal) int64 {
	if p.Role == tracegate.RoleRegulator {
		return 0
	}
	return p.EnterpriseID
}

// productFilers are the roles that may file products.
var productFilers = roles(tracegate.RoleEcommerce, tracegate.RolePlatform, tracegate.RoleImporter,
	tracegate.RoleManufacturer, tracegate.RoleRegulator)

// complaintReaders may list, read and answer complaints: the regulator all
// of them, an enterprise that files products those about its own products
// (the data-level rule is in complaint_view.go).
var complaintReaders = productFilers

// The customs routes' policies and resource check.
var (
	// customsSenders may post messages; which message type each role may
	// send is checked by the intake (customs.Service.Intake).
	customsSenders = roles(tracegate.RolePlatform, tracegate.RoleEcommerce, tracegate.RoleLogistics,
		tracegate.RoleWarehouse, tracegate.RolePayment, regulator)
	// customsReaders may ask for a decision: a regulator any, the others
	// only those of declarations they sent a document of.
	customsReaders = customsSenders
	// customsOfficers resolve manual reviews: a regulator only.
	customsOfficers = roles(regulator)
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
