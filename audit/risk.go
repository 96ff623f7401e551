package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"tracegate/risk"
)

// riskStore is implemented by stores that keep risk warnings.
type riskStore interface {
	RiskWarningLedgerRecords(ctx context.Context, fn func(e *risk.WarningEvent) error) error
}

// riskWarningLeaves yields the leaf of every warning step, re-derived
// from its stored row.
func riskWarningLeaves(ctx context.Context, rs riskStore) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		err := rs.RiskWarningLedgerRecords(ctx, func(e *risk.WarningEvent) error {
			leaf, err := risk.WarningLeaf(e)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable risk warning step at %d: %v", e.LedgerIndex, err))
			}
			if !yield(IndexedLeaf{e.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(IndexedLeaf{}, err)
		}
	}
}
