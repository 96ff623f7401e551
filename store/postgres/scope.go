package postgres

import (
	"context"

	"tracegate/epcis"
	"tracegate/measure"
	"tracegate/store/internal/scopesql"
)

var _ measure.ScopeStore = (*Store)(nil)

var scopeDialect = scopesql.Dialect{Dialect: dialect, Unhex: pgDialect.Unhex}

// ScopeItems reads the items of a recall scope (scopesql.Items).
func (s *Store) ScopeItems(ctx context.Context, q *measure.ScopeQuery, fn func(*measure.ScopeItem) error) error {
	return scopesql.Items(ctx, s.db(), scopeDialect, q, fn)
}

// applyProgress records the delivery, return or destruction a stored
// event says of the labels it names (scopesql.ApplyProgress).
func applyProgress(ctx context.Context, tx *Tx, r *epcis.Record) error {
	return scopesql.ApplyProgress(ctx, tx.db(), scopeDialect, r)
}
