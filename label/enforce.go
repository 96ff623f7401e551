package label

import (
	"context"
	"time"

	"tracegate"
)

// Measures tells which measures in force refuse a binding; measure.Service
// implements it (label does not import package measure).
type Measures interface {
	// BindingRefusal returns, for the measures in force at t, a function
	// that names the one refusing the binding of goods g (a stop_sale,
	// recall or return_destroy whose selector matches them, or a
	// warehouse_lock of their warehouse): a reason naming the measure's id,
	// or "" when none does.
	BindingRefusal(ctx context.Context, t time.Time) (func(g *tracegate.Goods) string, error)
}

// Containers is the hook that tells which containers (SSCCs and other
// parents, canonical as tracegate.Selector.Container) hold the label with
// hash at t, at any depth, so that a measure naming a container refuses
// the binding of what is inside it. The recall scope implements it; nil
// leaves tracegate.Goods.Containers empty (a container selector then
// refuses nothing at binding).
type Containers func(ctx context.Context, hash [32]byte, t time.Time) ([]string, error)

// refusal sets b.Refuse from the measures in force at b.Now: intake and
// dispatch only. The returned function reports a failure to read a
// filing or the containers during the check (nil when there was none).
func (s *Service) refusal(ctx context.Context, b *Binding) (func() error, error) {
	if s.measures == nil || b.Kind != BindIntake && b.Kind != BindDispatch {
		return func() error { return nil }, nil
	}
	refuses, err := s.measures.BindingRefusal(ctx, b.Now)
	if err != nil {
		return nil, err
	}
	var failed error
	products := map[int64]*tracegate.Product{}
	b.Refuse = func(st *State, gtin, batch string) string {
		g := tracegate.Goods{GTIN: gtin, Batch: batch, Warehouse: st.Location, ProducedOn: st.ProductionDate}
		id := st.ProductID
		if b.Kind == BindIntake {
			id, g.Warehouse, g.ProducedOn = b.ProductID, b.Location, b.ProductionDate
		}
		p, ok := products[id]
		if !ok {
			if p, err = s.products.FindProductByID(ctx, id); err != nil {
				failed = err
				return "the measures in force could not be checked now"
			}
			products[id] = p
		}
		g.HSCode, g.Origin, g.Manufacturer, g.Enterprise = p.HSCode, p.OriginCountry, p.Manufacturer, p.OwnerUSCC
		if s.containers != nil {
			if g.Containers, err = s.containers(ctx, st.Hash, b.Now); err != nil {
				failed = err
				return "the measures in force could not be checked now"
			}
		}
		return refuses(&g)
	}
	return func() error { return failed }, nil
}
