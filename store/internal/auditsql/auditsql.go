// Package auditsql is what both stores answer the audit with (the
// audit.IndexStore, StateStore, DeclarationStore, LabelRowStore and
// ContainmentStore reads), written once against store/internal/sqldb; each
// store gives it its dialect and read pool, and keeps the reads whose SQL
// differs (its label links, its current states).
package auditsql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tracegate/audit"
	"tracegate/customs"
	"tracegate/ledger"
	"tracegate/store/internal/sqldb"
)

// Store answers the audit's reads; a store embeds it (New).
type Store struct {
	d            sqldb.Dialect
	db           sqldb.Q
	latestStates string
}

// New is the audit reads over db. latestStates selects (key, body) of the
// latest ledgered state of each key of the kind its one argument names,
// by key in byte order.
func New(d sqldb.Dialect, db sqldb.Q, latestStates string) *Store {
	return &Store{d: d, db: db, latestStates: latestStates}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// utc is t in UTC (nil stays nil).
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// StoredEvents yields every event's row by seq (see audit.IndexStore).
func (s *Store) StoredEvents(ctx context.Context, fn func(e *audit.StoredEvent) error) error {
	rows, err := s.db.Query(ctx, `SELECT seq, COALESCE(ledger_idx, -1), event_id, event_hash, event_type, event_time, action,
		biz_step, disposition, read_point, biz_location, body FROM epcis_events ORDER BY seq`)
	if err != nil {
		return s.errf("stored events", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e audit.StoredEvent
		var body string
		if err := rows.Scan(&e.Seq, &e.LedgerIndex, &e.EventID, &e.Hash, &e.Type, s.d.TimeDest(&e.EventTime), &e.Action, &e.BizStep, &e.Disposition,
			&e.ReadPoint, &e.BizLocation, &body); err != nil {
			return s.errf("stored events", err)
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
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return s.errf("index rows", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var a, b, c string
		if err := rows.Scan(&seq, &a, &b, &c); err != nil {
			return s.errf("index rows", err)
		}
		if err := fn(seq, a, b, c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LedgerStates returns a page of the ledgered states of kind in ledger order.
func (s *Store) LedgerStates(ctx context.Context, kind ledger.Kind, after int64, limit int) ([]*ledger.State, error) {
	rows, err := s.db.Query(ctx, "SELECT idx, key, uscc, body, at FROM ledger_states WHERE kind = ? AND idx > ? ORDER BY idx LIMIT ?", string(kind), after, limit)
	if err != nil {
		return nil, s.errf("ledger states", err)
	}
	defer rows.Close()
	var out []*ledger.State
	for rows.Next() {
		st := &ledger.State{Kind: kind}
		var body string
		if err := rows.Scan(&st.Index, &st.Key, &st.USCC, &body, s.d.TimeDest(&st.At)); err != nil {
			return nil, s.errf("ledger states", err)
		}
		st.Body, st.At = []byte(body), st.At.UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}

// LatestStates yields the latest ledgered body of each key of kind, by key.
func (s *Store) LatestStates(ctx context.Context, kind ledger.Kind, fn func(key string, body []byte) error) error {
	rows, err := s.db.Query(ctx, s.latestStates, string(kind))
	if err != nil {
		return s.errf("latest states", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, body string
		if err := rows.Scan(&key, &body); err != nil {
			return s.errf("latest states", err)
		}
		if err := fn(key, []byte(body)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeclarationStates yields every declaration's current decision beside the
// latest decision of its history (see audit.DeclarationStore).
func (s *Store) DeclarationStates(ctx context.Context, fn func(d *audit.DeclarationState) error) error {
	rows, err := s.db.Query(ctx, `SELECT d.id, d.status, d.decision, d.decided_at, d.content_hash,
		COALESCE(d.ledger_idx, -1), x.status, x.decision, x.guids, x.uscc, x.ledger_idx, x.decided_at
		FROM customs_declarations d LEFT JOIN customs_decisions x ON x.declaration_id = d.id
			AND x.ledger_idx = (SELECT MAX(y.ledger_idx) FROM customs_decisions y WHERE y.declaration_id = d.id)
		ORDER BY d.id`)
	if err != nil {
		return s.errf("declaration states", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d audit.DeclarationState
		var decision, xstatus, xdecision, guids, uscc *string
		var decided, xat *time.Time
		var xidx *int64
		if err := rows.Scan(&d.ID, &d.Status, &decision, s.d.NullTimeDest(&decided), &d.ContentHash, &d.LedgerIndex, &xstatus, &xdecision,
			&guids, &uscc, &xidx, s.d.NullTimeDest(&xat)); err != nil {
			return s.errf("declaration states", err)
		}
		if decision != nil {
			d.Decision = []byte(*decision)
			if decided != nil {
				d.DecidedAt = decided.UTC()
			}
		}
		if xidx != nil {
			l := &customs.DecisionRecord{DeclarationID: d.ID, USCC: deref(uscc), LedgerIndex: *xidx}
			if xat != nil {
				l.DecidedAt = xat.UTC()
			}
			if err := json.Unmarshal([]byte(deref(xdecision)), &l.Decision); err != nil {
				return s.errf("declaration states", err)
			}
			if err := json.Unmarshal([]byte(deref(guids)), &l.GUIDs); err != nil {
				return s.errf("declaration states", err)
			}
			d.Latest, d.LatestStatus = l, deref(xstatus)
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// LabelRequestRows yields every ledgered label request's label counts.
func (s *Store) LabelRequestRows(ctx context.Context, fn func(r *audit.LabelRequestRows) error) error {
	rows, err := s.db.Query(ctx, `SELECT r.id, r.ledger_idx,
		(SELECT COALESCE(SUM(length(c.commitments)), 0) / 32 FROM label_chunks c WHERE c.request_id = r.id),
		(SELECT COUNT(*) FROM labels l WHERE l.request_id = r.id),
		(SELECT COUNT(DISTINCT l.seq) FROM labels l WHERE l.request_id = r.id),
		(SELECT COALESCE(MAX(l.seq), -1) FROM labels l WHERE l.request_id = r.id)
		FROM label_requests r WHERE r.ledger_idx IS NOT NULL ORDER BY r.id`)
	if err != nil {
		return s.errf("label request rows", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r audit.LabelRequestRows
		if err := rows.Scan(&r.RequestID, &r.LedgerIndex, &r.Committed, &r.Stored, &r.Seqs, &r.MaxSeq); err != nil {
			return s.errf("label request rows", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}
