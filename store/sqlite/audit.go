package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

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

// latestStatesSQL selects the latest ledgered state of each key of a kind.
const latestStatesSQL = `SELECT s.key, s.body FROM ledger_states s WHERE s.kind = ? AND s.idx =
	(SELECT MAX(t.idx) FROM ledger_states t WHERE t.kind = s.kind AND t.key = s.key) ORDER BY s.key`

// DeriveIndex returns the rows this store writes for r.
func (s *Store) DeriveIndex(r *epcis.Record) *audit.StoredEvent { return eventsql.DeriveIndex(r) }

// CurrentStates yields each current row of kind, by key, as it is ledgered.
func (s *Store) CurrentStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error {
	return currentStates(ctx, s.reader, kind, "", fn)
}

// appendState ledgers the current row of kind and key (which tx has just
// written) as the next leaf, under uscc.
func appendState(ctx context.Context, tx *Tx, kind ledger.Kind, key, uscc string) error {
	size, err := ledgerSize(ctx, tx)
	if err != nil {
		return err
	}
	leaf, err := recordState(ctx, tx, kind, key, uscc, size)
	if err != nil {
		return err
	}
	return appendLeaves(ctx, tx, size, [][]byte{leaf})
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
	if _, err := tx.ExecContext(ctx, "INSERT INTO ledger_states (idx, kind, key, uscc, body, at) VALUES (?, ?, ?, ?, ?, ?)",
		st.Index, string(st.Kind), st.Key, st.USCC, string(st.Body), micro(st.At)); err != nil {
		return fmt.Errorf("sqlite: record state: %w", err)
	}
	return nil
}

// oneUSCC returns the first USCC q selects, or "" when none.
func oneUSCC(ctx context.Context, tx *Tx, q string, args ...any) (string, error) {
	var u string
	err := tx.QueryRowContext(ctx, q, args...).Scan(&u)
	if err == sql.ErrNoRows {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("sqlite: enterprise of a state: %w", err)
	}
	return u, nil
}

func parseKeyID(key string) int64 {
	id, _ := strconv.ParseInt(key, 10, 64)
	return id
}
