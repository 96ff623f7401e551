package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

var _ epcis.Store = (*Store)(nil)

var pgDialect = eventsql.Dialect{
	Placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	Time:        func(t time.Time) any { return t },
	// decode fails on a non-hex digit, and an identifier is whatever a
	// capture wrote: only 64 hex digits are decoded.
	Unhex: func(expr string) string {
		return "CASE WHEN " + expr + " ~ '^[0-9a-f]{64}$' THEN decode(" + expr + ", 'hex') END"
	},
}

// CreateCaptureJob stores a new running capture job.
func (s *Store) CreateCaptureJob(ctx context.Context, j *epcis.CaptureJob) error {
	return s.update(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO epcis_capture_jobs (enterprise_id, behaviour, running, success, created_at)
			VALUES ($1, $2, true, false, $3) RETURNING id`, j.EnterpriseID, j.Behaviour, tx.now).Scan(&j.ID)
		if err != nil {
			return fmt.Errorf("postgres: create capture job: %w", err)
		}
		j.Running, j.CreatedAt = true, tx.now
		return nil
	})
}

// FinishCaptureJob stores the final state of j.
func (s *Store) FinishCaptureJob(ctx context.Context, j *epcis.CaptureJob) error {
	errs := j.Errors
	if errs == nil {
		errs = []epcis.CaptureError{}
	}
	b, _ := json.Marshal(errs)
	return s.update(ctx, func(tx *Tx) error {
		j.Running = false
		j.FinishedAt = &tx.now
		_, err := tx.Exec(ctx, `UPDATE epcis_capture_jobs SET running = false, success = $1, captured = $2, duplicates = $3,
			failed = $4, errors = $5, finished_at = $6 WHERE id = $7`, j.Success, j.Captured, j.Duplicates, j.Failed, string(b), tx.now, j.ID)
		if err != nil {
			return fmt.Errorf("postgres: finish capture job: %w", err)
		}
		return nil
	})
}

// FindCaptureJob returns capture job id, or ENOTFOUND.
func (s *Store) FindCaptureJob(ctx context.Context, id int64) (*epcis.CaptureJob, error) {
	var j epcis.CaptureJob
	var errs string
	err := s.pool.QueryRow(ctx, `SELECT id, enterprise_id, behaviour, running, success, captured, duplicates, failed, errors, created_at, finished_at
		FROM epcis_capture_jobs WHERE id = $1`, id).Scan(&j.ID, &j.EnterpriseID, &j.Behaviour, &j.Running, &j.Success,
		&j.Captured, &j.Duplicates, &j.Failed, &errs, &j.CreatedAt, &j.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no capture job %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find capture job: %w", err)
	}
	json.Unmarshal([]byte(errs), &j.Errors)
	j.CreatedAt = j.CreatedAt.UTC()
	if j.FinishedAt != nil {
		t := j.FinishedAt.UTC()
		j.FinishedAt = &t
	}
	return &j, nil
}

// insertEvent inserts an event with its identifiers, attributes and ledger
// entry in one statement, unless an event with the same hash exists.
const insertEvent = `WITH ins AS (
	INSERT INTO epcis_events (event_id, event_hash, event_type, event_time, record_time, action, biz_step, disposition,
		read_point, biz_location, enterprise_id, capture_id, body, ledger_idx)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $19) ON CONFLICT (event_hash) DO NOTHING RETURNING seq),
epcs AS (INSERT INTO epcis_epcs (seq, role, epc) SELECT ins.seq, u.r, u.v FROM ins, unnest($14::text[], $15::text[]) AS u(r, v)),
attrs AS (INSERT INTO epcis_attrs (seq, kind, type, value) SELECT ins.seq, u.k, u.t, u.v FROM ins, unnest($16::text[], $17::text[], $18::text[]) AS u(k, t, v)),
entry AS (INSERT INTO ledger_entries (idx, leaf) SELECT $19, $20 FROM ins WHERE $19::bigint IS NOT NULL)
SELECT seq FROM ins`

// ledgerLock is the advisory-lock key of the ledger's sequencer: one
// transaction at a time appends, whichever node it runs on.
const ledgerLock = 0x6c656467 // "ledg"

type eventWriter struct {
	tx     *Tx
	leaf   epcis.LeafFunc
	size   int64
	leaves [][]byte
}

// WriteEvents runs fn in one transaction; with leaf, it takes the ledger's
// sequencer lock and appends the stored events' leaves before committing.
func (s *Store) WriteEvents(ctx context.Context, leaf epcis.LeafFunc, fn func(w epcis.EventWriter) error) error {
	return s.update(ctx, func(tx *Tx) error { return writeEvents(ctx, tx, leaf, fn) })
}

// writeEvents runs fn with an event writer in tx (see WriteEvents).
func writeEvents(ctx context.Context, tx *Tx, leaf epcis.LeafFunc, fn func(w epcis.EventWriter) error) error {
	{
		w := &eventWriter{tx: tx, leaf: leaf}
		if leaf != nil {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
				return fmt.Errorf("postgres: ledger lock: %w", err)
			}
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

// Write stores each record unless its hash is stored already, pipelining
// the batch in one round trip. Which hashes exist is read first, so each new
// event gets the next ledger index before it is sent; under the ledger's
// sequencer lock nothing else can insert them meanwhile.
func (w *eventWriter) Write(ctx context.Context, recs []*epcis.Record) ([]bool, error) {
	stored := make([]bool, len(recs))
	hashes := make([]string, len(recs))
	for i, r := range recs {
		hashes[i] = r.Hash
	}
	existing := map[string]bool{}
	rows, err := w.tx.Query(ctx, "SELECT event_hash FROM epcis_events WHERE event_hash = ANY($1)", hashes)
	if err != nil {
		return nil, fmt.Errorf("postgres: find stored events: %w", err)
	}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: find stored events: %w", err)
		}
		existing[h] = true
	}
	rows.Close()
	batch := &pgx.Batch{}
	var queued []int
	for i, r := range recs {
		r.LedgerIndex = -1
		if existing[r.Hash] {
			continue
		}
		existing[r.Hash] = true // a later copy in this batch is a duplicate
		args, err := w.insertArgs(r)
		if err != nil {
			return nil, err
		}
		batch.Queue(insertEvent, args...)
		queued = append(queued, i)
	}
	if len(queued) == 0 {
		return stored, nil
	}
	results := w.tx.SendBatch(ctx, batch)
	for _, i := range queued {
		err := results.QueryRow().Scan(&recs[i].Seq)
		if errors.Is(err, pgx.ErrNoRows) {
			if recs[i].LedgerIndex >= 0 {
				results.Close()
				return nil, fmt.Errorf("postgres: event %s appeared while the ledger lock was held", recs[i].Hash)
			}
			continue // inserted meanwhile by another capture (no ledger)
		} else if err != nil {
			results.Close()
			return nil, fmt.Errorf("postgres: insert event: %w", err)
		}
		stored[i] = true
	}
	if err := results.Close(); err != nil {
		return nil, fmt.Errorf("postgres: insert events: %w", err)
	}
	for i, ok := range stored {
		if ok {
			if err := applyContainment(ctx, w.tx, recs[i]); err != nil {
				return nil, err
			}
			if err := applyProgress(ctx, w.tx, recs[i]); err != nil {
				return nil, err
			}
		}
	}
	return stored, nil
}

// insertArgs are the parameters of insertEvent for r; with a ledger it
// gives r the next leaf index and makes its leaf.
func (w *eventWriter) insertArgs(r *epcis.Record) ([]any, error) {
	e := r.Event
	r.RecordTime = w.tx.now
	var idx *int64
	var leaf []byte
	if w.leaf != nil {
		r.LedgerIndex = w.size + int64(len(w.leaves))
		idx = &r.LedgerIndex
		var err error
		if leaf, err = w.leaf(r); err != nil {
			return nil, err
		}
		w.leaves = append(w.leaves, leaf)
	}
	roles := make([]string, len(r.Index.EPCs))
	values := make([]string, len(r.Index.EPCs))
	for i, x := range r.Index.EPCs {
		roles[i], values[i] = x.Role, x.Value
	}
	attrs := eventsql.AttrRows(&r.Index)
	kinds, types, avals := make([]string, len(attrs)), make([]string, len(attrs)), make([]string, len(attrs))
	for i, a := range attrs {
		kinds[i], types[i], avals[i] = a[0], a[1], a[2]
	}
	return []any{r.EventID, r.Hash, string(e.Type), e.EventTime, w.tx.now, string(e.Action),
		e.BizStep, e.Disposition, eventsql.Location(e.ReadPoint), eventsql.Location(e.BizLocation), r.EnterpriseID, r.CaptureID,
		string(r.Body), roles, values, kinds, types, avals, idx, leaf}, nil
}

// QueryEvents answers q, one page at a time.
func (s *Store) QueryEvents(ctx context.Context, q *epcis.Query) ([]*epcis.Record, string, error) {
	limit := q.PerPage
	if q.EventCountLimit > 0 && q.EventCountLimit < limit {
		limit = q.EventCountLimit
	}
	query, args, err := eventsql.Select(pgDialect, q, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("postgres: query events: %w", err)
	}
	defer rows.Close()
	var out []*epcis.Record
	var keys []time.Time
	for rows.Next() {
		var r epcis.Record
		var key time.Time
		var body string
		if err := rows.Scan(&r.Seq, &r.EventID, &r.Hash, &r.EnterpriseID, &r.CaptureID, &r.RecordTime, &key, &body); err != nil {
			return nil, "", fmt.Errorf("postgres: query events: %w", err)
		}
		r.RecordTime, r.Body = r.RecordTime.UTC(), []byte(body)
		out = append(out, &r)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("postgres: query events: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		if q.EventCountLimit == 0 || q.EventCountLimit > limit {
			next = eventsql.EncodeToken(keys[limit-1], out[limit-1].Seq)
		}
	}
	return out, next, nil
}

// FindEvent returns the first-captured event whose eventID or hash is
// eventID, or ENOTFOUND.
func (s *Store) FindEvent(ctx context.Context, eventID string) (*epcis.Record, error) {
	var r epcis.Record
	var body string
	err := s.pool.QueryRow(ctx, `SELECT seq, event_id, event_hash, enterprise_id, capture_id, record_time, body, COALESCE(ledger_idx, -1)
		FROM epcis_events WHERE seq = (SELECT MIN(seq) FROM (SELECT seq FROM epcis_events WHERE event_id = $1
			UNION ALL SELECT seq FROM epcis_events WHERE event_hash = $1) AS m)`, strings.TrimSpace(eventID)).Scan(&r.Seq, &r.EventID, &r.Hash, &r.EnterpriseID, &r.CaptureID, &r.RecordTime, &body, &r.LedgerIndex)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no event %s", eventID)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find event: %w", err)
	}
	r.RecordTime, r.Body = r.RecordTime.UTC(), []byte(body)
	return &r, nil
}

// RecoverCaptureJobs finishes the jobs left running by a stopped process
// (created before before) from what their transaction committed.
func (s *Store) RecoverCaptureJobs(ctx context.Context, before time.Time) (int, error) {
	rows, err := s.pool.Query(ctx, "SELECT id FROM epcis_capture_jobs WHERE running AND created_at < $1", before)
	if err != nil {
		return 0, fmt.Errorf("postgres: running capture jobs: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("postgres: running capture jobs: %w", err)
	}
	for _, id := range ids {
		err := s.update(ctx, func(tx *Tx) error {
			var captured int
			// The job's events were recorded after it was created: the
			// record-time index bounds the count.
			err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM epcis_events e WHERE e.record_time >= j.created_at AND e.capture_id = j.id)
				FROM epcis_capture_jobs j WHERE j.id = $1 AND j.running FOR UPDATE`, id).Scan(&captured)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // finished meanwhile
			} else if err != nil {
				return fmt.Errorf("postgres: recover capture job %d: %w", id, err)
			}
			j := &epcis.CaptureJob{ID: id}
			epcis.RecoveredJob(j, captured)
			errs, _ := json.Marshal(j.Errors)
			_, err = tx.Exec(ctx, `UPDATE epcis_capture_jobs SET running = false, success = $1, captured = $2, duplicates = 0,
				failed = 0, errors = $3, finished_at = $4 WHERE id = $5`, j.Success, j.Captured, string(errs), tx.now, id)
			if err != nil {
				return fmt.Errorf("postgres: recover capture job %d: %w", id, err)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
