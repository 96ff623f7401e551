package postgres

import (
	"context"
	"fmt"

	"tracegate/audit"
	"tracegate/epcis"
	"tracegate/ledger"
	"tracegate/store/internal/auditsql"
	"tracegate/store/internal/eventsql"
)

var (
	_ audit.IndexStore       = (*Store)(nil)
	_ audit.StateStore       = (*Store)(nil)
	_ audit.DeclarationStore = (*Store)(nil)
	_ audit.LabelRowStore    = (*Store)(nil)
	_ audit.ContainmentStore = (*Store)(nil)
)

// The audit's reads are store/internal/auditsql's (Open gives it the
// store's dialect and pool); this file keeps what differs.

// auditStore is embedded in Store: its methods are the store's.
type auditStore = auditsql.Store

// latestStatesSQL selects the latest ledgered state of each key of a
// kind, by key in byte order (the key column sorts COLLATE "C").
const latestStatesSQL = `SELECT DISTINCT ON (key) key, body FROM ledger_states WHERE kind = ? ORDER BY key, idx DESC`

// DeriveIndex returns the rows this store writes for r.
func (s *Store) DeriveIndex(r *epcis.Record) *audit.StoredEvent { return eventsql.DeriveIndex(r) }

// CurrentStates yields each current row of kind, by key, as it is ledgered.
func (s *Store) CurrentStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error {
	return currentStates(ctx, s.pool, kind, "", fn)
}

// appendStates ledgers the current rows of kind and keys (which tx has
// just written), the i-th under usccs[i], as the next leaves, under the
// ledger's sequencer lock.
func appendStates(ctx context.Context, tx *Tx, kind ledger.Kind, keys, usccs []string) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
		return fmt.Errorf("postgres: ledger lock: %w", err)
	}
	size, err := ledgerSize(ctx, tx)
	if err != nil {
		return err
	}
	leaves := make([][]byte, len(keys))
	idxs := make([]int64, len(keys))
	for i, key := range keys {
		idxs[i] = size + int64(i)
		if leaves[i], err = recordState(ctx, tx, kind, key, usccs[i], idxs[i]); err != nil {
			return err
		}
	}
	if len(leaves) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, "INSERT INTO ledger_entries (idx, leaf) SELECT * FROM unnest($1::bigint[], $2::bytea[])", idxs, leaves); err != nil {
		return fmt.Errorf("postgres: insert ledger entries: %w", err)
	}
	return appendTree(ctx, tx, size, leaves)
}

// recordState stores the current body of kind and key as the state of
// leaf idx and returns the leaf; the caller stores the entry and the tree.
func recordState(ctx context.Context, tx *Tx, kind ledger.Kind, key, uscc string, idx int64) ([]byte, error) {
	st, leaf, err := stateOf(ctx, tx, kind, key, uscc)
	if err != nil {
		return nil, err
	}
	st.Index = idx
	return leaf, insertState(ctx, tx, st)
}

// stateOf returns the state of the current row of kind and key, and its
// leaf.
func stateOf(ctx context.Context, tx *Tx, kind ledger.Kind, key, uscc string) (*ledger.State, []byte, error) {
	body := []byte("null")
	if err := currentStates(ctx, tx, kind, key, func(_ string, b []byte) error { body = b; return nil }); err != nil {
		return nil, nil, err
	}
	st := &ledger.State{Kind: kind, Key: key, USCC: uscc, At: tx.now, Body: body}
	leaf, err := st.Leaf()
	return st, leaf, err
}

// insertState stores st in the history of states.
func insertState(ctx context.Context, tx *Tx, st *ledger.State) error {
	if _, err := tx.Exec(ctx, "INSERT INTO ledger_states (idx, kind, key, uscc, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
		st.Index, string(st.Kind), st.Key, st.USCC, string(st.Body), st.At); err != nil {
		return fmt.Errorf("postgres: record state: %w", err)
	}
	return nil
}
