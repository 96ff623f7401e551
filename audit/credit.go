package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"tracegate/credit"
)

// creditStore is implemented by stores that keep credit level changes.
type creditStore interface {
	CreditLedgerRecords(ctx context.Context, fn func(c *credit.Change) error) error
}

// creditEditionLeaves yields the leaf of every blacklist edition,
// recomputed from its stored JSON.
func creditEditionLeaves(ctx context.Context, s Store) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		es, ok := s.(credit.EditionStore)
		if !ok {
			return
		}
		err := es.CreditEditions(ctx, func(e *credit.Edition) error {
			leaf, err := credit.EditionLeaf(e)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable blacklist edition at %d: %v", e.LedgerIndex, err))
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

func creditChangeLeaves(ctx context.Context, s Store) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		cs, ok := s.(creditStore)
		if !ok {
			return
		}
		err := cs.CreditLedgerRecords(ctx, func(c *credit.Change) error {
			leaf, err := credit.ChangeLeaf(c)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable credit change at %d: %v", c.LedgerIndex, err))
			}
			if !yield(IndexedLeaf{c.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(IndexedLeaf{}, err)
		}
	}
}
