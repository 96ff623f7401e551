package web

import (
	"context"

	"tracegate"
	"tracegate/customs"
	"tracegate/label"
)

// confirmedCodes returns the confirmed customs codes of the caller's
// enterprise: none for an anonymous caller. It is looked up once per
// request, never per field.
func (s *Server) confirmedCodes(ctx context.Context, p *tracegate.Principal) ([]string, error) {
	if p == nil || p.EnterpriseID == 0 {
		return nil, nil
	}
	cs, err := s.store.CustomsCodes(ctx, p.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return tracegate.ConfirmedCodes(cs), nil
}

// dispatchParties fills, for a viewer with a key, the buyer of inventory
// head h when canSeeBuyer allows it. (The parties' enterprises, by their
// confirmed codes, are named for every viewer by nameParties.)
func (s *Server) dispatchParties(ctx context.Context, d *label.Dispatch, rec *customs.DeclarationRecord, h customs.InventoryHead) error {
	p := tracegate.PrincipalFrom(ctx)
	parties, err := rec.Parties()
	if err != nil {
		return err
	}
	codes, err := s.confirmedCodes(ctx, p)
	if err != nil {
		return err
	}
	if canSeeBuyer(p, codes, parties) {
		d.Buyer = label.Buyer{Name: h.BuyerName, IDNumber: h.BuyerIDNumber, Phone: h.BuyerTelephone, Address: h.ConsigneeAddress}
	}
	return nil
}
