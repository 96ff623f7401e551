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

// riskLabStore is implemented by stores that keep lab results.
type riskLabStore interface {
	RiskLabResultLedgerRecords(ctx context.Context, fn func(r *risk.LabResult, gtin, batch string) error) error
}

// riskLabLeaves yields the leaf of every lab result, re-derived from the
// stored result, its order and its report's hash.
func riskLabLeaves(ctx context.Context, rs riskLabStore) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		err := rs.RiskLabResultLedgerRecords(ctx, func(r *risk.LabResult, gtin, batch string) error {
			leaf, err := risk.LabResultLeaf(r, gtin, batch)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable lab result at %d: %v", r.LedgerIndex, err))
			}
			if !yield(IndexedLeaf{r.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(IndexedLeaf{}, err)
		}
	}
}
