package label

import (
	"context"

	"tracegate"
)

// The dispatch of a scanned label, with what the declaration of its order
// says (customs.Release). The page names a declaration's platform,
// e-commerce enterprise, importer and logistics firm as the enterprises
// registered under their confirmed customs codes, in both languages, when
// there are such: the story a consumer reads is told by the enterprises
// tracegate knows, not by names a message typed in.

// registeredParty is an enterprise's names, as the scan page shows them.
type registeredParty struct {
	ID           int64
	Name, NameEN string
}

// dispatch is the dispatch binding with what the declaration of its order
// says (清单, parties, release), when tracegate has it. The buyer is filled
// only when req.SeesBuyer allows it, and asked only for a viewer with a
// key: whoever binds a label names the order, and must not learn a buyer
// by naming someone else's. The parties' enterprises are looked up by
// their confirmed codes for every viewer (nameParties): the page names
// them, and the label tiers know who is a party.
func (r *Resolver) dispatch(ctx context.Context, st *State, req ScanRequest) (*Dispatch, error) {
	d := &Dispatch{OrderNo: st.OrderNo, WaybillNo: st.WaybillNo, DispatchedAt: st.DispatchAt}
	if r.cfg.Releases == nil {
		return d, nil
	}
	rel, err := r.cfg.Releases.OrderRelease(ctx, st.EBPCode, st.OrderNo)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return d, nil
	} else if err != nil {
		return nil, err
	}
	d.ReleasedAt = rel.ReleasedAt
	if !rel.Declared {
		return d, nil
	}
	d.InventoryNo = rel.InventoryNo
	d.Platform, d.Ecommerce = Party{Name: rel.PlatformName}, Party{Name: rel.EcommerceName}
	d.Logistics, d.Importer = Party{Name: rel.LogisticsName}, Party{Name: rel.AgentName}
	d.DeclaredAt = rel.DeclaredAt
	d.PortOfEntry, d.TransportMode, d.TradeMode = rel.PortOfEntry, rel.TransportMode, rel.TradeMode
	d.DepartureCountry = rel.DepartureCountry
	if err := r.nameParties(ctx, d, rel.Parties.Ebp, rel.Parties.Ebc, rel.Parties.Agent, rel.Parties.Logistics); err != nil {
		return nil, err
	}
	if req.Viewer.Kind != ViewerAnonymous && req.SeesBuyer != nil {
		sees, err := req.SeesBuyer(ctx, rel.Parties)
		if err != nil {
			return nil, err
		}
		if sees {
			b := rel.Buyer
			d.Buyer = Buyer{Name: b.Name, IDNumber: b.IDNumber, Phone: b.Phone, Address: b.Address}
		}
	}
	return d, nil
}

// nameParties replaces the declared names of d's platform, e-commerce
// enterprise, importer and logistics firm by those of the enterprises
// holding their codes; a code nobody holds keeps the declared name.
func (r *Resolver) nameParties(ctx context.Context, d *Dispatch, ebp, ebc, agent, logistics string) error {
	for _, p := range []struct {
		party *Party
		code  string
	}{{&d.Platform, ebp}, {&d.Ecommerce, ebc}, {&d.Importer, agent}, {&d.Logistics, logistics}} {
		if p.code == "" {
			continue
		}
		reg, err := r.cache.partyNames.Get(p.code, func() (registeredParty, error) {
			owners, err := r.cfg.Reader.CodeOwners(ctx, []string{p.code})
			if err != nil || owners[p.code] == 0 {
				return registeredParty{}, err
			}
			ent, err := r.cfg.Reader.FindEnterprise(ctx, owners[p.code])
			if tracegate.IsCode(err, tracegate.ENOTFOUND) {
				return registeredParty{}, nil
			} else if err != nil {
				return registeredParty{}, err
			}
			return registeredParty{ID: ent.ID, Name: ent.Name, NameEN: ent.NameEN}, nil
		})
		if err != nil {
			return err
		}
		if reg.ID != 0 {
			*p.party = Party{ID: reg.ID, Name: reg.Name, NameEN: reg.NameEN}
		}
	}
	return nil
}
