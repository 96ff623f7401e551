package web

import (
	"context"
	"net/http"
	"slices"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
)

// This file is the one place where authorization is decided: the policies
// routes declare, and the resource-level checks handlers call.

// policy is what a route demands of its caller.
type policy struct {
	auth  bool             // a valid key is required
	roles []tracegate.Role // when set, the key's role must be one of these
	// session: a console session cookie authenticates too (console routes
	// only), and refusals are the console's pages.
	session bool
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
		if p == nil && err == nil && rt.Policy.session && s.console != nil {
			p, err = s.console.Session(r)
		}
		if err == nil {
			err = rt.Policy.allows(p)
		}
		if err != nil && rt.Policy.session && s.console != nil {
			s.console.Refuse(w, r, err)
			return
		} else if err != nil {
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

// canManageCodes: a regulator sets any enterprise's customs codes, an
// enterprise claims its own.
func canManageCodes(p *tracegate.Principal, enterpriseID int64) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == enterpriseID {
		return nil
	}
	return tracegate.Errorf(tracegate.EFORBIDDEN, "an enterprise may only register its own customs codes")
}

// codeStatusFor is the status of a code p registers: confirmed when a
// regulator sets it, claimed when an enterprise claims it.
func codeStatusFor(p *tracegate.Principal) tracegate.CodeStatus {
	if p.Role == tracegate.RoleRegulator {
		return tracegate.CodeConfirmed
	}
	return tracegate.CodeClaimed
}

// canGrantHandling: the client (the owner of the goods) grants and revokes
// who handles them, or a regulator.
func canGrantHandling(p *tracegate.Principal, clientID int64) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == clientID {
		return nil
	}
	return tracegate.Errorf(tracegate.EFORBIDDEN, "only the owner of the goods authorises who handles them")
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

// canWithdrawFiling: only the owner withdraws its filing; to anyone else a
// filing it may not see does not exist (the same answer as an unknown id).
func canWithdrawFiling(p *tracegate.Principal, f *tracegate.Product) error {
	if p.EnterpriseID == f.OwnerID {
		return nil
	}
	return tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d that you may see", f.ID)
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

// canSeeDeclaration: a regulator sees every declaration, an enterprise
// those that name one of its confirmed customs codes as a party (platform,
// e-commerce enterprise, declarant, logistics firm, payment company,
// warehouse, guarantor). Sending a document grants nothing by itself. A
// declaration the caller may not see is not found, with the same answer as
// one that does not exist (errNoDeclaration), so that order numbers of
// others cannot be probed.
func canSeeDeclaration(p *tracegate.Principal, codes []string, parties customs.Parties) error {
	if p.Role == tracegate.RoleRegulator || parties.Names(codes) {
		return nil
	}
	return errNoDeclaration
}

// errNoDeclaration is the one answer for a declaration that does not exist
// and for one the caller may not see.
var errNoDeclaration = tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of this order that names one of your customs codes")

// canSeeBuyer: the buyer of a dispatched item (name, ID number, phone,
// address) shows to a regulator and to the parties of its declaration that
// hold the buyer's record in their own documents — the platform, the
// e-commerce enterprise and the declarant (ebpCode, ebcCode, agentCode) —
// through their confirmed customs codes. Never to the warehouse, the
// logistics firm or the payment company through the declaration, nor to
// whoever bound the label, filed the product or sent some document. The
// label tiers (label/tier.go) then decide how much of it each shows.
func canSeeBuyer(p *tracegate.Principal, codes []string, parties customs.Parties) bool {
	if p == nil {
		return false
	}
	return p.Role == tracegate.RoleRegulator || customs.Parties{Ebp: parties.Ebp, Ebc: parties.Ebc, Agent: parties.Agent}.Names(codes)
}

// buyerRule is canSeeBuyer for p as the scan resolver asks it
// (label.ScanRequest.SeesBuyer), with p's confirmed codes looked up when
// it is asked.
func buyerRule(p *tracegate.Principal, confirmed func(context.Context, *tracegate.Principal) ([]string, error)) func(context.Context, customs.Parties) (bool, error) {
	return func(ctx context.Context, parties customs.Parties) (bool, error) {
		codes, err := confirmed(ctx, p)
		if err != nil {
			return false, err
		}
		return canSeeBuyer(p, codes, parties), nil
	}
}

// The label routes' policies and resource check.
var (
	// labelIssuers may request labels: those who bind them too (a label is
	// bound by the enterprise it was issued to), the bonded warehouse or a
	// seller running its own bonded stock.
	labelIssuers = roles(tracegate.RoleWarehouse, tracegate.RoleEcommerce)
	// labelBinders bind labels at intake and dispatch: the warehouse, or a
	// seller running its own bonded stock.
	labelBinders = roles(tracegate.RoleWarehouse, tracegate.RoleEcommerce)
)

// canSeeLabel: a regulator sees any label, an enterprise those issued to
// it and those it holds (bound at intake in its warehouse, for a client).
// Anything else is not found, so that codes cannot be probed.
func canSeeLabel(p *tracegate.Principal, st *label.State) error {
	if p.Role == tracegate.RoleRegulator || p.EnterpriseID == st.IssuedTo || st.WarehouseID != 0 && p.EnterpriseID == st.WarehouseID {
		return nil
	}
	return label.ErrNotGenuine // as for a code never issued
}

// seesAll: a regulator sees every enterprise's records — every event (no
// visibility predicate), declarations unredacted, every complaint with the
// consumer's contact, every credit record — and may act for any enterprise
// where a route lets it name one. Every other caller sees what the rules
// here give it.
func seesAll(p *tracegate.Principal) bool { return p != nil && p.Role == tracegate.RoleRegulator }

// readerOf is p as a reader of the EPCIS repository: a regulator sees
// every event, an enterprise those the visibility rule gives it.
func readerOf(p *tracegate.Principal) epcis.Reader {
	return epcis.Reader{EnterpriseID: p.EnterpriseID, All: seesAll(p)}
}

// canSeeCreditRecord: a regulator sees any enterprise's credit record, an
// enterprise its own; any other is not found, like one that does not exist.
func canSeeCreditRecord(p *tracegate.Principal, uscc string) error {
	if seesAll(p) || p.USCC == uscc {
		return nil
	}
	return tracegate.Errorf(tracegate.ENOTFOUND, "no credit record for %q", uscc)
}

// canFileFor: an enterprise files products for itself only (naming no
// owner, or itself); a regulator names the owner (productOwner).
func canFileFor(p *tracegate.Principal, ownerUSCC string) error {
	if ownerUSCC != "" && ownerUSCC != p.USCC {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "an enterprise files products for itself only")
	}
	return nil
}

// complaintOwnerFilter is the OwnerID a principal's listing of complaints
// is limited to: 0 (all) for a regulator, its enterprise otherwise.
func complaintOwnerFilter(p *tracegate.Principal) int64 {
	if seesAll(p) {
		return 0
	}
	return p.EnterpriseID
}

// redactComplaint removes what p may not see of c: the reference always
// (the consumer's), the contact unless p is a regulator.
func redactComplaint(p *tracegate.Principal, c *label.Complaint) {
	c.Reference = ""
	if !seesAll(p) {
		c.Contact = ""
	}
}
