package measure

import (
	"context"
	"fmt"
	"time"

	"tracegate"
)

// BindingRefusal returns, for the measures in force at t that refuse
// binding (every kind but a risk notice), a function naming the first
// (InForceOver's order) whose selector matches goods g: "under recall
// M…-… since 2026-12-07: reason", or "" when none does. It implements
// label.Measures; it fails when the store cannot be read.
func (s *Service) BindingRefusal(ctx context.Context, t time.Time) (func(g *tracegate.Goods) string, error) {
	ms, err := s.store.MeasuresInForce(ctx)
	if err != nil {
		return nil, err
	}
	blocking := ms[:0]
	for _, m := range ms {
		if m.Kind.Blocks() && m.InForce(t) {
			blocking = append(blocking, m)
		}
	}
	return func(g *tracegate.Goods) string {
		over := InForceOver(blocking, g, t)
		if len(over) == 0 {
			return ""
		}
		m := over[0]
		return fmt.Sprintf("under %s %s since %s: %s", m.Kind, m.ID, m.Since.Format("2006-01-02"), m.Reason)
	}, nil
}
