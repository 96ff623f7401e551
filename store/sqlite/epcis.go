package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

var _ epcis.Store = (*Store)(nil)

var sqliteDialect = eventsql.Dialect{
	Placeholder: func(int) string { return "?" },
	Time:        func(t time.Time) any { return t.UnixMicro() },
	Unhex:       func(expr string) string { return "unhex(" + expr + ")" },
}

// CreateCaptureJob stores a new running capture job.
func (s *Store) CreateCaptureJob(ctx context.Context, j *epcis.CaptureJob) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO epcis_capture_jobs (enterprise_id, behaviour, running, success, created_at)
			VALUES (?, ?, 1, 0, ?)`, j.EnterpriseID, j.Behaviour, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: create capture job: %w", err)
		}
		j.ID, _ = res.LastInsertId()
		j.Running, j.CreatedAt = true, tx.now
		return nil
	})
}

// FinishCaptureJob stores the final state of j.
func (s *Store) FinishCaptureJob(ctx context.Context, j *epcis.CaptureJob) error {
	errs, _ := json.Marshal(nonNil(j.Errors))
	return s.update(ctx, func(tx *Tx) error {
		j.Running = false
		j.FinishedAt = &tx.now
		_, err := tx.ExecContext(ctx, `UPDATE epcis_capture_jobs SET running = 0, success = ?, captured = ?, duplicates = ?,
			failed = ?, errors = ?, finished_at = ? WHERE id = ?`, j.Success, j.Captured, j.Duplicates, j.Failed, string(errs), micro(tx.now), j.ID)
		if err != nil {
			return fmt.Errorf("sqlite: finish capture job: %w", err)
		}
		return nil
	})
}

func nonNil(e []epcis.CaptureError) []epcis.CaptureError {
	if e == nil {
		return []epcis.CaptureError{}
	}
	return e
}

// FindCaptureJob returns capture job id, or ENOTFOUND.
func (s *Store) FindCaptureJob(ctx context.Context, id int64) (*epcis.CaptureJob, error) {
	var j epcis.CaptureJob
	var errs string
	var created int64
	var finished sql.NullInt64
	err := s.readRow(ctx, `SELECT id, enterprise_id, behaviour, running, success, captured, duplicates, failed, errors, created_at, finished_at
		FROM epcis_capture_jobs WHERE id = ?`, id).Scan(&j.ID, &j.EnterpriseID, &j.Behaviour, &j.Running, &j.Success,
		&j.Captured, &j.Duplicates, &j.Failed, &errs, &created, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no capture job %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find capture job: %w", err)
	}
	json.Unmarshal([]byte(errs), &j.Errors)
	j.CreatedAt = fromMicro(created)
	if finished.Valid {
		t := fromMicro(finished.Int64)
		j.FinishedAt = &t
	}
	return &j, nil
}

// eventWriter writes events in one SQLite transaction, and their ledger
// leaves when leaf is set.
type eventWriter struct {
	tx     *Tx
	event  *sql.Stmt
	epc    *sql.Stmt
	attr   *sql.Stmt
	entry  *sql.Stmt
	leaf   epcis.LeafFunc
	size   int64    // the ledger's size when the transaction began
	leaves [][]byte // the leaves of this transaction, from index size on
}

// WriteEvents runs fn in one write transaction; with leaf, it appends the
// stored events' leaves to the ledger before committing. SQLite's single
// writer connection is the ledger's sequencer.
func (s *Store) WriteEvents(ctx context.Context, leaf epcis.LeafFunc, fn func(w epcis.EventWriter) error) error {
	return s.update(ctx, func(tx *Tx) error { return writeEvents(ctx, tx, leaf, fn) })
}

// writeEvents runs fn with an event writer in tx (see WriteEvents).
func writeEvents(ctx context.Context, tx *Tx, leaf epcis.LeafFunc, fn func(w epcis.EventWriter) error) error {
	{
		w := &eventWriter{tx: tx, leaf: leaf}
		stmts := []struct {
			dst **sql.Stmt
			sql string
		}{
			{&w.event, `INSERT INTO epcis_events (event_id, event_hash, event_type, event_time, record_time, action, biz_step,
				disposition, read_point, biz_location, enterprise_id, capture_id, body, ledger_idx)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_hash) DO NOTHING`},
			{&w.epc, "INSERT INTO epcis_epcs (seq, role, epc) VALUES (?, ?, ?)"},
			{&w.attr, "INSERT INTO epcis_attrs (seq, kind, type, value) VALUES (?, ?, ?, ?)"},
			{&w.entry, "INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)"},
		}
		for _, st := range stmts {
			var err error
			if *st.dst, err = tx.PrepareContext(ctx, st.sql); err != nil {
				return fmt.Errorf("sqlite: prepare: %w", err)
			}
			defer (*st.dst).Close()
		}
		if leaf != nil {
			var err error
			if w.size, err = ledgerSize(ctx, tx); err != nil {
				return err
			}
		}
		if err := fn(w); err != nil {
			return err
		}
		return appendTree(ctx, tx, w.size, w.leaves)
	}
}

// Write stores each record unless its hash is stored already. SQLite runs
// in-process, so one statement per row is as fast as batching.
func (w *eventWriter) Write(ctx context.Context, recs []*epcis.Record) ([]bool, error) {
	stored := make([]bool, len(recs))
	for i, r := range recs {
		ok, err := w.writeOne(ctx, r)
		if err != nil {
			return nil, err
		}
		stored[i] = ok
	}
	return stored, nil
}

// writeOne stores r unless its hash is stored already.
func (w *eventWriter) writeOne(ctx context.Context, r *epcis.Record) (bool, error) {
	e := r.Event
	r.RecordTime = w.tx.now
	var idx any
	r.LedgerIndex = -1
	if w.leaf != nil {
		r.LedgerIndex = w.size + int64(len(w.leaves))
		idx = r.LedgerIndex
	}
	res, err := w.event.ExecContext(ctx, r.EventID, r.Hash, string(e.Type), e.EventTime.UnixMicro(), micro(w.tx.now),
		string(e.Action), e.BizStep, e.Disposition, eventsql.Location(e.ReadPoint), eventsql.Location(e.BizLocation),
		r.EnterpriseID, r.CaptureID, r.Body, idx)
	if err != nil {
		return false, fmt.Errorf("sqlite: insert event: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		r.LedgerIndex = -1
		return false, nil // the same event (by hash) is stored already
	}
	r.Seq, _ = res.LastInsertId()
	for _, x := range r.Index.EPCs {
		if _, err := w.epc.ExecContext(ctx, r.Seq, x.Role, x.Value); err != nil {
			return false, fmt.Errorf("sqlite: insert event epc: %w", err)
		}
	}
	for _, a := range eventsql.AttrRows(&r.Index) {
		if _, err := w.attr.ExecContext(ctx, r.Seq, a[0], a[1], a[2]); err != nil {
			return false, fmt.Errorf("sqlite: insert event attribute: %w", err)
		}
	}
	if err := applyContainment(ctx, w.tx, r); err != nil {
		return false, err
	}
	if err := applyProgress(ctx, w.tx, r); err != nil {
		return false, err
	}
	if w.leaf != nil {
		leaf, err := w.leaf(r)
		if err != nil {
			return false, err
		}
		if _, err := w.entry.ExecContext(ctx, r.LedgerIndex, leaf); err != nil {
			return false, fmt.Errorf("sqlite: insert ledger entry: %w", err)
		}
		w.leaves = append(w.leaves, leaf)
	}
	return true, nil
}

// QueryEvents answers q, one page at a time.
func (s *Store) QueryEvents(ctx context.Context, q *epcis.Query) ([]*epcis.Record, string, error) {
	limit := q.PerPage
	if q.EventCountLimit > 0 && q.EventCountLimit < limit {
		limit = q.EventCountLimit
	}
	query, args, err := eventsql.Select(sqliteDialect, q, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.readRowsVariable(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("sqlite: query events: %w", err)
	}
	defer rows.Close()
	var out []*epcis.Record
	var keys []int64
	for rows.Next() {
		var r epcis.Record
		var recorded, key int64
		var body string
		if err := rows.Scan(&r.Seq, &r.EventID, &r.Hash, &r.EnterpriseID, &r.CaptureID, &recorded, &key, &body); err != nil {
			return nil, "", fmt.Errorf("sqlite: query events: %w", err)
		}
		r.RecordTime, r.Body = fromMicro(recorded), []byte(body)
		out = append(out, &r)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("sqlite: query events: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		if q.EventCountLimit == 0 || q.EventCountLimit > limit {
			next = eventsql.EncodeToken(fromMicro(keys[limit-1]), out[limit-1].Seq)
		}
	}
	return out, next, nil
}

// FindEvent returns the first-captured event whose eventID or hash is
// eventID, or ENOTFOUND.
func (s *Store) FindEvent(ctx context.Context, eventID string) (*epcis.Record, error) {
	var r epcis.Record
	var recorded int64
	var body string
	err := s.readRow(ctx, `SELECT seq, event_id, event_hash, enterprise_id, capture_id, record_time, body, COALESCE(ledger_idx, -1)
		FROM epcis_events WHERE seq = (SELECT MIN(seq) FROM (SELECT seq FROM epcis_events WHERE event_id = ?1
			UNION ALL SELECT seq FROM epcis_events WHERE event_hash = ?1))`, strings.TrimSpace(eventID)).Scan(&r.Seq, &r.EventID, &r.Hash, &r.EnterpriseID, &r.CaptureID, &recorded, &body, &r.LedgerIndex)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no event %s", eventID)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find event: %w", err)
	}
	r.RecordTime, r.Body = fromMicro(recorded), []byte(body)
	return &r, nil
}

// RecoverCaptureJobs finishes the jobs left running by a stopped process
// (created before before) from what their transaction committed.
func (s *Store) RecoverCaptureJobs(ctx context.Context, before time.Time) (int, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT id FROM epcis_capture_jobs WHERE running = 1 AND created_at < ?", before.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("sqlite: running capture jobs: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlite: running capture jobs: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqlite: running capture jobs: %w", err)
	}
	for _, id := range ids {
		err := s.update(ctx, func(tx *Tx) error {
			var created int64
			var captured int
			// The job's events were recorded after it was created: the
			// record-time index bounds the count.
			err := tx.QueryRowContext(ctx, `SELECT j.created_at, (SELECT count(*) FROM epcis_events e
				WHERE e.record_time >= j.created_at AND e.capture_id = j.id) FROM epcis_capture_jobs j WHERE j.id = ? AND j.running = 1`, id).Scan(&created, &captured)
			if errors.Is(err, sql.ErrNoRows) {
				return nil // finished meanwhile
			} else if err != nil {
				return fmt.Errorf("sqlite: recover capture job %d: %w", id, err)
			}
			j := &epcis.CaptureJob{ID: id}
			epcis.RecoveredJob(j, captured)
			errs, _ := json.Marshal(j.Errors)
			_, err = tx.ExecContext(ctx, `UPDATE epcis_capture_jobs SET running = 0, success = ?, captured = ?, duplicates = 0,
				failed = 0, errors = ?, finished_at = ? WHERE id = ? AND running = 1`, j.Success, j.Captured, string(errs), micro(tx.now), id)
			if err != nil {
				return fmt.Errorf("sqlite: recover capture job %d: %w", id, err)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
