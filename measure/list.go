package measure

import (
	"context"
	"slices"
	"time"

	"tracegate"
)

// Get returns measure id as p may see it: the regulator every measure,
// an enterprise those it owns or whose selector touches its goods (its
// products, or labels in its custody), never a draft. The regulator and
// the owner also get who has and has not acknowledged it. It fails with
// ENOTFOUND for a measure p may not see.
func (s *Service) Get(ctx context.Context, p *tracegate.Principal, id string) (*Measure, error) {
	m, err := s.store.FindMeasure(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.canSee(ctx, p, m); err != nil {
		return nil, err
	}
	return m, s.fillAcks(ctx, p, m)
}

// List returns the measures f selects that p may see (as Get), newest
// first, without their history.
func (s *Service) List(ctx context.Context, p *tracegate.Principal, f Filter) ([]*Measure, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	ms, err := s.store.ListMeasures(ctx, f)
	if err != nil || p.Role == tracegate.RoleRegulator {
		return ms, err
	}
	gtins, err := s.filedGTINs(ctx, p)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		ok, err := s.sees(ctx, p, m, gtins)
		if err != nil {
			return nil, err
		}
		if ok {
			m.Acks, m.Pending = nil, nil
			out = append(out, m)
		}
	}
	return out, nil
}

// canSee fails with ENOTFOUND when p may not see m.
func (s *Service) canSee(ctx context.Context, p *tracegate.Principal, m *Measure) error {
	if p.Role == tracegate.RoleRegulator {
		return nil
	}
	gtins, err := s.filedGTINs(ctx, p)
	if err != nil {
		return err
	}
	ok, err := s.sees(ctx, p, m, gtins)
	if err != nil {
		return err
	}
	if !ok {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no measure %s", m.ID)
	}
	return nil
}

// sees reports whether enterprise p may see m, given the GTINs it filed.
func (s *Service) sees(ctx context.Context, p *tracegate.Principal, m *Measure, gtins []string) (bool, error) {
	switch {
	case m.Status == Draft:
		return false, nil
	case m.Owner == p.USCC, m.Selector.Enterprise == p.USCC,
		m.Selector.GTIN != "" && slices.Contains(gtins, m.Selector.GTIN):
		return true, nil
	}
	return s.store.HoldsGoods(ctx, p.EnterpriseID, m.Selector)
}

// filedGTINs lists the GTINs p's enterprise filed.
func (s *Service) filedGTINs(ctx context.Context, p *tracegate.Principal) ([]string, error) {
	ps, err := s.cfg.Products.ListProducts(ctx, tracegate.ProductFilter{OwnerID: p.EnterpriseID, Limit: 10_000})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ps))
	for _, pr := range ps {
		out = append(out, pr.GTIN)
	}
	return out, nil
}

// fillAcks keeps m's acknowledgements for the regulator and the owner
// (with the enterprises still to acknowledge: the owner and the holders of
// affected goods), and drops them for anyone else.
func (s *Service) fillAcks(ctx context.Context, p *tracegate.Principal, m *Measure) error {
	if p.Role != tracegate.RoleRegulator && p.USCC != m.Owner {
		m.Acks, m.Pending = nil, nil
		return nil
	}
	if m.Status == Draft {
		return nil
	}
	want, err := s.recipients(ctx, m)
	if err != nil {
		return err
	}
	m.Pending = []string{}
	for _, u := range want {
		if !slices.ContainsFunc(m.Acks, func(a Ack) bool { return a.By == u }) {
			m.Pending = append(m.Pending, u)
		}
	}
	return nil
}

// InForceOver returns the measures of ms in force at t whose selector
// matches g: a recall first, then by kind (Kinds), then oldest first.
func InForceOver(ms []*Measure, g *tracegate.Goods, t time.Time) []*Measure {
	var out []*Measure
	for _, m := range ms {
		if m.InForce(t) && m.Selector.Matches(g) {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b *Measure) int {
		if d := slices.Index(Kinds, a.Kind) - slices.Index(Kinds, b.Kind); d != 0 {
			return d
		}
		return a.Since.Compare(*b.Since)
	})
	return out
}
