package postgres

import (
	"context"
	"fmt"

	"tracegate/audit"
	"tracegate/epcis"
	"tracegate/ledger"
	"tracegate/store/internal/eventsql"
)

var (
	_ audit.IndexStore       = (*Store)(nil)
	_ audit.StateStore       = (*Store)(nil)
	_ audit.DeclarationStore = (*Store)(nil)
	_ audit.LabelRowStore    = (*Store)(nil)
	_ audit.ContainmentStore = (*Store)(nil)
)

// StoredEvents yields every event's row by seq (see audit.IndexStore).
func (s *Store) StoredEvents(ctx context.Context, fn func(e *audit.StoredEvent) error) error {
	rows, err := s.pool.Query(ctx, `SELECT seq, COALESCE(ledger_idx, -1), event_id, event_hash, event_type, event_time, action,
		biz_step, disposition, read_point, biz_location, body FROM epcis_events ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("postgres: stored events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e audit.StoredEvent
		var body string
		if err := rows.Scan(&e.Seq, &e.LedgerIndex, &e.EventID, &e.Hash, &e.Type, &e.EventTime, &e.Action, &e.BizStep, &e.Disposition,
			&e.ReadPoint, &e.BizLocation, &body); err != nil {
			return fmt.Errorf("postgres: stored events: %w", err)
		}
		e.EventTime, e.Body = e.EventTime.UTC(), []byte(body)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StoredEventEPCs yields every identifier row by seq.
func (s *Store) StoredEventEPCs(ctx context.Context, fn func(seq int64, role, epc string) error) error {
	return s.eachRow(ctx, "SELECT seq, role, epc, '' FROM epcis_epcs ORDER BY seq", func(seq int64, a, b, _ string) error { return fn(seq, a, b) })
}

// StoredEventAttrs yields every attribute row by seq.
func (s *Store) StoredEventAttrs(ctx context.Context, fn func(seq int64, kind, typ, value string) error) error {
	return s.eachRow(ctx, "SELECT seq, kind, type, value FROM epcis_attrs ORDER BY seq", fn)
}

func (s *Store) eachRow(ctx context.Context, q string, fn func(seq int64, a, b, c string) error) error {
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("postgres: index rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var a, b, c string
		if err := rows.Scan(&seq, &a, &b, &c); err != nil {
			return fmt.Errorf("postgres: index rows: %w", err)
		}
		if err := fn(seq, a, b, c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeriveIndex returns the rows this store writes for r.
func (s *Store) DeriveIndex(r *epcis.Record) *audit.StoredEvent { return eventsql.DeriveIndex(r) }

// LedgerStates returns a page of the ledgered states of kind in ledger order.
func (s *Store) LedgerStates(ctx context.Context, kind ledger.Kind, after int64, limit int) ([]*ledger.State, error) {
	rows, err := s.pool.Query(ctx, "SELECT idx, key, uscc, body, at FROM ledger_states WHERE kind = $1 AND idx > $2 ORDER BY idx LIMIT $3", string(kind), after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: ledger states: %w", err)
	}
	defer rows.Close()
	var out []*ledger.State
	for rows.Next() {
		st := &ledger.State{Kind: kind}
		var body string
		if err := rows.Scan(&st.Index, &st.Key, &st.USCC, &body, &st.At); err != nil {
			return nil, fmt.Errorf("postgres: ledger states: %w", err)
		}
		st.Body, st.At = []byte(body), st.At.UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}

// LatestStates yields the latest ledgered body of each key of kind, by key
// in byte order (the key column sorts COLLATE "C").
func (s *Store) LatestStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (key) key, body FROM ledger_states WHERE kind = $1 ORDER BY key, idx DESC`, string(kind))
	if err != nil {
		return fmt.Errorf("postgres: latest states: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, body string
		if err := rows.Scan(&key, &body); err != nil {
			return fmt.Errorf("postgres: latest states: %w", err)
		}
		if err := fn(key, []byte(body)); err != nil {
			return err
		}
	}
	return rows.Err()
}

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
