package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"tracegate/measure"
)

// measureStore is implemented by stores that keep measures.
type measureStore interface {
	MeasureRecords(ctx context.Context, fn func(r *measure.Record) error) error
}

// measureLeaves yields the leaf of every ledgered step of a measure (its
// order or draft, each transition, each acknowledgement), recomputed from
// the measure and step rows.
func measureLeaves(ctx context.Context, s Store) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		ms, ok := s.(measureStore)
		if !ok {
			return
		}
		err := ms.MeasureRecords(ctx, func(r *measure.Record) error {
			leaf, err := measure.RecordLeaf(r)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable measure step at %d: %v", r.LedgerIndex, err))
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
