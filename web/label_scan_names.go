package web

import (
	"context"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/label"
)

// The scan page names a declaration's platform, e-commerce enterprise,
// importer and logistics firm as the enterprises registered under their
// confirmed customs codes, in both languages, when there are such: the
// story a consumer reads is told by the enterprises tracegate knows, not by
// names a message typed in.

// registeredParty is an enterprise's names, as the scan page shows them.
type registeredParty struct {
	ID           int64
	Name, NameEN string
}

// newPartyNames caches the registered enterprise of each customs code
// briefly: every scan of a platform's goods names the same few.
func newPartyNames() *ttlCache[string, registeredParty] {
	return newTTLCache[string, registeredParty](30*time.Second, 10_000)
}

// nameParties replaces the declared names of d's parties by those of the
// enterprises holding rec's confirmed codes; a code nobody holds keeps the
// declared name.
func (s *Server) nameParties(ctx context.Context, d *label.Dispatch, rec *customs.DeclarationRecord) error {
	parties, err := rec.Parties()
	if err != nil {
		return err
	}
	for _, p := range []struct {
		party *label.Party
		code  string
	}{{&d.Platform, parties.Ebp}, {&d.Ecommerce, parties.Ebc}, {&d.Importer, parties.Agent}, {&d.Logistics, parties.Logistics}} {
		if p.code == "" {
			continue
		}
		reg, err := s.scanCache.partyNames.get(p.code, func() (registeredParty, error) {
			owners, err := s.store.CodeOwners(ctx, []string{p.code})
			if err != nil || owners[p.code] == 0 {
				return registeredParty{}, err
			}
			ent, err := s.store.FindEnterprise(ctx, owners[p.code])
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
			*p.party = label.Party{ID: reg.ID, Name: reg.Name, NameEN: reg.NameEN}
		}
	}
	return nil
}
