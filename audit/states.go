package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"

	"tracegate/ledger"
)

// StateKinds are the current-state kinds that are ledgered as States: a
// kind added here (and to the stores) is checked and re-derived like these.
var StateKinds = []ledger.Kind{ledger.KindLabelHold, ledger.KindProductFiling, ledger.KindMasterData, ledger.KindCustomsMessage}

// StateStore is implemented by stores that ledger current-state rows.
type StateStore interface {
	// LedgerStates returns up to limit ledgered states of kind with leaf
	// indexes above after, in ledger order (a page: the audit merges many
	// sources and holds no cursor open between pages).
	LedgerStates(ctx context.Context, kind ledger.Kind, after int64, limit int) ([]*ledger.State, error)
	// LatestStates yields, by key in byte order, the latest ledgered body
	// of each key of kind.
	LatestStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error
	// CurrentStates yields, by key in byte order, each current row of kind
	// encoded as the write path ledgers it.
	CurrentStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error
}

// stateLeaves yields the re-derived leaf of every ledgered state of kind.
func stateLeaves(ctx context.Context, s StateStore, kind ledger.Kind) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		for after := int64(-1); ; {
			page, err := s.LedgerStates(ctx, kind, after, statePage)
			if err != nil {
				yield(IndexedLeaf{}, err)
				return
			}
			for _, st := range page {
				leaf, err := st.Leaf()
				if err != nil {
					leaf = []byte(fmt.Sprintf("undecodable %s state at %d: %v", kind, st.Index, err))
				}
				if !yield(IndexedLeaf{st.Index, leaf}, nil) {
					return
				}
				after = st.Index
			}
			if len(page) < statePage {
				return
			}
		}
	}
}

// statePage is how many states stateLeaves reads at a time.
const statePage = 1000

type keyed struct {
	key  string
	body []byte
}

func keyedSeq(read func(fn func(key string, body []byte) error) error) iter.Seq2[keyed, error] {
	return func(yield func(keyed, error) bool) {
		err := read(func(key string, body []byte) error {
			if !yield(keyed{key, bytes.Clone(body)}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(keyed{}, err)
		}
	}
}

// checkStates compares each current row of kind with its latest ledgered
// state, both read in key order: a changed, deleted or unledgered row is a
// finding naming the kind and the key.
func checkStates(ctx context.Context, s StateStore, kind ledger.Kind, report func(ledger.Finding)) error {
	nextL, stopL := iter.Pull2(keyedSeq(func(fn func(string, []byte) error) error { return s.LatestStates(ctx, kind, fn) }))
	defer stopL()
	nextC, stopC := iter.Pull2(keyedSeq(func(fn func(string, []byte) error) error { return s.CurrentStates(ctx, kind, fn) }))
	defer stopC()
	bad := func(key, format string, args ...any) {
		report(ledger.Finding{Kind: FindingStateMismatch, Index: -1, Message: fmt.Sprintf("%s %s: ", kind, key) + fmt.Sprintf(format, args...)})
	}
	l, errL, okL := nextL()
	c, errC, okC := nextC()
	for okL || okC {
		if okL && errL != nil {
			return errL
		}
		if okC && errC != nil {
			return errC
		}
		switch {
		case okL && (!okC || l.key < c.key):
			if string(l.body) != "null" {
				bad(l.key, "the ledgered row is missing from the database (deleted)")
			}
			l, errL, okL = nextL()
		case okC && (!okL || c.key < l.key):
			bad(c.key, "the row is not in the ledger (inserted behind the server's back)")
			c, errC, okC = nextC()
		default:
			if !bytes.Equal(l.body, c.body) {
				bad(c.key, "the row is %s, the ledger says %s", c.body, l.body)
			}
			l, errL, okL = nextL()
			c, errC, okC = nextC()
		}
	}
	return nil
}
