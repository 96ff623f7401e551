package label

import (
	"context"
	"slices"
	"strings"

	"tracegate"
)

// Who may bind what. An enterprise binds the labels issued to it and, when
// a client authorised it (tracegate.Handling: a filer authorising its
// bonded warehouse, logistics firm or another seller), the labels issued to
// that client; at intake only to its own filings or its clients'. A label
// or filing of anyone else is answered as one that does not exist.
//
// Dispatch binds labels to an order only when the order's declaration
// exists, was released (its latest decision passed: goods leave the bonded
// zone only after 放行; a review, a waiting or a refused declaration does
// not count), names the declared waybill, and has the binder as a party:
// one of the binder's confirmed customs codes is a code of the declaration
// (platform, e-commerce enterprise, declarant, logistics firm, warehouse
// area, …), or the binder handles the goods of a client whose confirmed
// code is the declarant's (ebcCode or agentCode). A declaration that does
// not exist and one the binder is no party of get the same answer.

// clients returns the enterprises that authorised p to handle their goods.
func (s *Service) clients(ctx context.Context, p *tracegate.Principal) ([]int64, error) {
	if s.parties == nil {
		return nil, nil
	}
	hs, err := s.parties.Handlings(ctx, p.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return tracegate.ClientsOf(hs, p.EnterpriseID), nil
}

// confirmed returns the confirmed customs codes of enterprise id.
func (s *Service) confirmed(ctx context.Context, id int64) ([]string, error) {
	cs, err := s.parties.CustomsCodes(ctx, id)
	if err != nil {
		return nil, err
	}
	return tracegate.ConfirmedCodes(cs), nil
}

// checkDeclaration checks the declaration of a dispatch as described above
// and returns the clients of p and the declaration's parties.
func (s *Service) checkDeclaration(ctx context.Context, p *tracegate.Principal, req *DispatchRequest) ([]int64, *tracegate.DeclarationParties, error) {
	none := &tracegate.Error{Code: tracegate.EINVALID, Pointer: "/orderNo",
		Message: "no declaration of order " + req.OrderNo + " on platform " + req.EBPCode + " names you, or a client that authorised you, as a party"}
	if s.decls == nil || s.parties == nil {
		return nil, nil, tracegate.Errorf(tracegate.EUNAVAILABLE, "dispatch needs the customs declarations, which this server does not have")
	}
	d, err := s.decls.DeclarationParties(ctx, req.EBPCode, req.OrderNo)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil, nil, none
	} else if err != nil {
		return nil, nil, err
	}
	clients, err := s.clients(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	own, err := s.confirmed(ctx, p.EnterpriseID)
	if err != nil {
		return nil, nil, err
	}
	party := names(d.Codes, own)
	for _, c := range clients {
		if party {
			break
		}
		codes, err := s.confirmed(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		party = names(d.Declarant, codes)
	}
	switch {
	case !party:
		return nil, nil, none
	case !d.Released:
		status := d.Status
		if status == "" {
			status = "not declared yet"
		}
		return nil, nil, &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/orderNo",
			Message: "the declaration of order " + req.OrderNo + " is not released (" + status + "): goods leave the bonded zone after release"}
	case strings.TrimSpace(req.LogisticsCode) != d.LogisticsCode || strings.TrimSpace(req.WaybillNo) != d.LogisticsNo:
		return nil, nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: "/waybillNo",
			Message: "order " + req.OrderNo + " is declared with waybill " + d.LogisticsCode + "/" + d.LogisticsNo + ", not " + req.LogisticsCode + "/" + req.WaybillNo}
	}
	return clients, d, nil
}

// names reports whether any of have is in want (both trimmed, non-empty).
func names(want, have []string) bool {
	for _, c := range want {
		if c = strings.TrimSpace(c); c != "" && slices.Contains(have, c) {
			return true
		}
	}
	return false
}

// mayBind reports whether b's binder may bind a label issued to owner: its
// own, or a client's.
func (b *Binding) mayBind(owner int64) bool {
	return owner == b.EnterpriseID || slices.Contains(b.Handles, owner)
}
