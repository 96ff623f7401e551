// Package measuresql is the measure store both stores share (package
// measure's Store): measures, their ledgered steps (each with its
// risk-measure leaf, appended in the step's transaction, and its outbox
// message), the holders of the goods a selector covers, and the measures
// in force that binding, customs and the scan page check. It is written
// against store/internal/sqldb; each store gives it its dialect, its read
// pool and its write transactions.
package measuresql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tracegate"
	"tracegate/measure"
	"tracegate/store/internal/sqldb"
)

// Store implements measure.Store; a store embeds it (New).
type Store struct {
	d      sqldb.Dialect
	db     sqldb.Q
	update func(ctx context.Context, fn func(tx sqldb.Tx) error) error
}

var _ measure.Store = (*Store)(nil)

// New is the measure store over db (the read pool) and the write
// transactions update runs (committed when fn returns nil).
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error) *Store {
	return &Store{d: d, db: db, update: update}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// columns are the columns scanMeasure reads, of measures m.
const columns = `m.id, m.kind, m.status, m.selector, m.owner, m.reason, m.reason_en, m.deadline, m.signal, m.ordered_by,
	m.voluntary, m.since, m.until, COALESCE(m.hold_id, 0), m.created_at, m.updated_at`

func (s *Store) scanMeasure(row sqldb.Row) (*measure.Measure, error) {
	var m measure.Measure
	var sel string
	var voluntary int
	if err := row.Scan(&m.ID, &m.Kind, &m.Status, &sel, &m.Owner, &m.Reason, &m.ReasonEn, s.d.NullTimeDest(&m.Deadline), &m.Signal,
		&m.OrderedBy, &voluntary, s.d.NullTimeDest(&m.Since), s.d.NullTimeDest(&m.Until), &m.HoldID,
		s.d.TimeDest(&m.CreatedAt), s.d.TimeDest(&m.UpdatedAt)); err != nil {
		return nil, err
	}
	m.Voluntary = voluntary != 0
	if err := json.Unmarshal([]byte(sel), &m.Selector); err != nil {
		return nil, fmt.Errorf("selector of measure %s: %w", m.ID, err)
	}
	return &m, nil
}

func optTime(d sqldb.Dialect, t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.Time(*t)
}

// CreateMeasure stores m with its first step, leaf and messages.
func (s *Store) CreateMeasure(ctx context.Context, m *measure.Measure, w *measure.Write) error {
	sel, err := json.Marshal(m.Selector)
	if err != nil {
		return err
	}
	voluntary := 0
	if m.Voluntary {
		voluntary = 1
	}
	return s.update(ctx, func(tx sqldb.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO measures (id, kind, status, selector, gtin, owner, reason, reason_en, deadline, signal,
			ordered_by, voluntary, since, until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.Kind, m.Status, string(sel), m.Selector.GTIN, m.Owner, m.Reason, m.ReasonEn, optTime(s.d, m.Deadline), m.Signal,
			m.OrderedBy, voluntary, optTime(s.d, m.Since), optTime(s.d, m.Until), s.d.Time(m.CreatedAt), s.d.Time(m.UpdatedAt))
		if s.d.Unique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "measure %s exists already", m.ID)
		} else if err != nil {
			return s.errf("insert measure", err)
		}
		return s.writeStep(ctx, tx, m.ID, w)
	})
}

// writeStep stores w's step with its leaf (under the ledger's sequencer)
// and its messages.
func (s *Store) writeStep(ctx context.Context, tx sqldb.Tx, id string, w *measure.Write) error {
	if err := tx.LockLedger(ctx); err != nil {
		return err
	}
	idx, err := tx.AppendLeaves(ctx, [][]byte{w.Leaf})
	if err != nil {
		return err
	}
	st := w.Step
	if _, err := tx.Exec(ctx, `INSERT INTO measure_steps (measure_id, seq, event, from_status, to_status, by_uscc, at, note, ledger_idx)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, st.Seq, st.Event, st.From, st.To, st.By, s.d.Time(st.At), st.Note, idx); err != nil {
		if s.d.Unique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "measure %s changed meanwhile; try again", id)
		}
		return s.errf("insert measure step", err)
	}
	return tx.AppendOutbox(ctx, w.Messages...)
}

// ChangeMeasure reads measure id locked, calls fn and writes its step.
func (s *Store) ChangeMeasure(ctx context.Context, id string, fn func(m *measure.Measure) (*measure.Write, error)) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		m, err := s.find(ctx, tx, id, s.d.ForUpdate("m"))
		if err != nil {
			return err
		}
		w, err := fn(m)
		if err != nil || w == nil {
			return err
		}
		if err := s.writeStep(ctx, tx, id, w); err != nil {
			return err
		}
		if w.Step.Event != measure.EventStatus && w.Step.Event != measure.EventOrdered {
			return nil
		}
		var completed any
		if w.Step.To == measure.Completed {
			completed = s.d.Time(w.Step.At)
		}
		if _, err := tx.Exec(ctx, `UPDATE measures SET status = ?, since = COALESCE(since, ?), completed_at = COALESCE(?, completed_at),
			updated_at = ? WHERE id = ?`, w.Step.To, optTime(s.d, m.Since), completed, s.d.Time(w.Step.At), id); err != nil {
			return s.errf("update measure", err)
		}
		return nil
	})
}

// FindMeasure returns measure id with its history and acks.
func (s *Store) FindMeasure(ctx context.Context, id string) (*measure.Measure, error) {
	return s.find(ctx, s.db, id, "")
}

func (s *Store) find(ctx context.Context, q sqldb.Q, id, lock string) (*measure.Measure, error) {
	m, err := s.scanMeasure(q.QueryRow(ctx, "SELECT "+columns+" FROM measures m WHERE m.id = ?"+lock, id))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no measure %s", id)
	} else if err != nil {
		return nil, s.errf("find measure", err)
	}
	steps, err := s.steps(ctx, q, id)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		if st.Event == measure.EventAck {
			m.Acks = append(m.Acks, measure.Ack{By: st.By, At: st.At, Note: st.Note})
		} else {
			m.History = append(m.History, measure.Transition{From: st.From, To: st.To, By: st.By, At: st.At, Note: st.Note})
		}
	}
	return m, nil
}

// steps returns the steps of measure id in order.
func (s *Store) steps(ctx context.Context, q sqldb.Q, id string) ([]measure.Step, error) {
	rows, err := q.Query(ctx, `SELECT seq, event, from_status, to_status, by_uscc, at, note FROM measure_steps
		WHERE measure_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, s.errf("measure steps", err)
	}
	defer rows.Close()
	var out []measure.Step
	for rows.Next() {
		var st measure.Step
		if err := rows.Scan(&st.Seq, &st.Event, &st.From, &st.To, &st.By, s.d.TimeDest(&st.At), &st.Note); err != nil {
			return nil, s.errf("measure steps", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// ListMeasures returns the measures f selects, newest first.
func (s *Store) ListMeasures(ctx context.Context, f measure.Filter) ([]*measure.Measure, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	return s.list(ctx, "SELECT "+columns+` FROM measures m WHERE (? = '' OR m.status = ?) AND (? = '' OR m.kind = ?)
		AND (? = '' OR m.owner = ?) ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
		f.Status, f.Status, f.Kind, f.Kind, f.Owner, f.Owner, limit)
}

// MeasuresInForce returns the measures whose status may be in force.
func (s *Store) MeasuresInForce(ctx context.Context) ([]*measure.Measure, error) {
	return s.list(ctx, "SELECT "+columns+` FROM measures m WHERE m.status IN ('ordered', 'in_progress', 'completed')
		ORDER BY m.since, m.id`)
}

func (s *Store) list(ctx context.Context, query string, args ...any) ([]*measure.Measure, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, s.errf("list measures", err)
	}
	defer rows.Close()
	out := []*measure.Measure{}
	for rows.Next() {
		m, err := s.scanMeasure(rows)
		if err != nil {
			return nil, s.errf("list measures", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MeasureRecords yields every ledgered step in ledger order.
func (s *Store) MeasureRecords(ctx context.Context, fn func(r *measure.Record) error) error {
	rows, err := s.db.Query(ctx, `SELECT measure_id, seq, event, from_status, to_status, by_uscc, at, note, ledger_idx
		FROM measure_steps WHERE ledger_idx IS NOT NULL ORDER BY ledger_idx`)
	if err != nil {
		return s.errf("measure records", err)
	}
	type rec struct {
		id string
		r  measure.Record
	}
	var recs []rec
	for rows.Next() {
		var x rec
		st := &x.r.Step
		if err := rows.Scan(&x.id, &st.Seq, &st.Event, &st.From, &st.To, &st.By, s.d.TimeDest(&st.At), &st.Note, &x.r.LedgerIndex); err != nil {
			rows.Close()
			return s.errf("measure records", err)
		}
		recs = append(recs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.errf("measure records", err)
	}
	ms := map[string]*measure.Measure{}
	for _, x := range recs {
		m, ok := ms[x.id]
		if !ok {
			var err error
			if m, err = s.scanMeasure(s.db.QueryRow(ctx, "SELECT "+columns+" FROM measures m WHERE m.id = ?", x.id)); err != nil {
				return s.errf("measure records", err)
			}
			ms[x.id] = m
		}
		x.r.Measure = m
		if err := fn(&x.r); err != nil {
			return err
		}
	}
	return nil
}
