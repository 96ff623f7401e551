// Package creditsql is the credit store both stores share: the facts of
// an enterprise's record read from the tables of each kind of entry, its
// recognitions, appeals, grade and level history, the level changes and
// blacklist editions written with their ledger leaves. It is written
// against store/internal/sqldb; each store gives it its dialect, its read
// pool and its write transactions, and keeps only what differs (the batch
// writer of level changes, the holds query the planners need told apart).
package creditsql

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/label"
	"tracegate/store/internal/sqldb"
)

// Store implements the shared part of credit.Store and credit.EditionStore;
// a store embeds it (New).
type Store struct {
	d         sqldb.Dialect
	db        sqldb.Q // the read pool
	update    func(ctx context.Context, fn func(tx sqldb.Tx) error) error
	holdFacts string
	// inspections is inspectionQuery in the dialect.
	inspections string
}

// New is the credit store over db (the read pool) and the write
// transactions update runs (committed when fn returns nil). holdFacts is
// the query of the recalls and stop-sales on each enterprise's products:
// (owner id, hold id, since) for the owners between its two arguments.
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error, holdFacts string) *Store {
	return &Store{d: d, db: db, update: update, holdFacts: holdFacts, inspections: inspectionQuery(d)}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// source reads the facts of one kind for the enterprises with ids lo..hi;
// each row is (enterprise id, fact).
type source func(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error

// sources are the record's sources, one per kind of entry.
var sources = []source{decisionFacts, filingFacts, holdFacts, labelCopyFacts, complaintFacts, misdeclarationFacts, measureLateFacts, inspectionFacts}

// idTimeFacts reads (enterprise id, id, time) rows of query into facts.
func (s *Store) idTimeFacts(ctx context.Context, q sqldb.Q, what, query string, lo, hi int64, fact func(id int64, at time.Time) credit.Fact, add func(int64, credit.Fact)) error {
	return refTimeFacts(s, ctx, q, what, query, []any{lo, hi}, fact, add)
}

// refTimeFacts reads (enterprise id, record id, time) rows of query with
// args into facts; the record id is what fact makes the entry's ref of.
func refTimeFacts[ID int64 | string](s *Store, ctx context.Context, q sqldb.Q, what, query string, args []any, fact func(id ID, at time.Time) credit.Fact, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return s.errf(what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var id ID
		var at time.Time
		if err := rows.Scan(&eid, &id, s.d.TimeDest(&at)); err != nil {
			return s.errf(what, err)
		}
		add(eid, fact(id, at))
	}
	return rows.Err()
}

func decisionFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT e.id, d.id, d.decision, d.decided_at
		FROM enterprises e JOIN customs_decisions d ON d.uscc = e.uscc AND d.status = 'refuse'
		WHERE e.id BETWEEN ? AND ?
		  AND d.id = (SELECT MAX(x.id) FROM customs_decisions x WHERE x.declaration_id = d.declaration_id)`, lo, hi)
	if err != nil {
		return s.errf("credit decisions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id int64
		var at time.Time
		var dec []byte
		if err := rows.Scan(&eid, &id, &dec, s.d.TimeDest(&at)); err != nil {
			return s.errf("credit decisions", err)
		}
		if f, ok := credit.DecisionFact(id, dec, at); ok {
			add(eid, f)
		}
	}
	return rows.Err()
}

func filingFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	return s.idTimeFacts(ctx, q, "credit filings", `SELECT owner_id, id, COALESCE(reviewed_at, updated_at) FROM products
		WHERE status = 'rejected' AND owner_id BETWEEN ? AND ?`, lo, hi, credit.FilingFact, add)
}

func holdFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	return s.idTimeFacts(ctx, q, "credit holds", s.holdFacts, lo, hi, credit.HoldFact, add)
}

// complaintFacts reads the consumer complaints about the enterprises'
// products that a regulator substantiated, each dated by the reply that
// substantiated it (the complaint may be closed since).
func complaintFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	return s.idTimeFacts(ctx, q, "credit complaints", `SELECT c.owner_id, c.id, MIN(r.created_at) FROM label_complaints c
		JOIN label_complaint_replies r ON r.complaint_id = c.id AND r.status = 'substantiated'
		WHERE c.owner_id BETWEEN ? AND ? GROUP BY c.owner_id, c.id`, lo, hi, credit.ComplaintFact, add)
}

func labelCopyFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT r.enterprise_id, s.hash, s.at, s.lat, s.lon, s.device, s.staff, dsp.at
		FROM label_scans s JOIN labels l ON l.hash = s.hash JOIN label_requests r ON r.id = l.request_id
		LEFT JOIN label_dispatches dsp ON dsp.id = l.dispatch_id
		WHERE r.enterprise_id BETWEEN ? AND ? ORDER BY s.hash`, lo, hi)
	if err != nil {
		return s.errf("credit label scans", err)
	}
	defer rows.Close()
	var cur []byte
	var eid int64
	var scans []label.Scan
	var dispatched *time.Time
	flush := func() {
		if cur != nil {
			if f, ok := credit.LabelCopyFact("label:"+hex.EncodeToString(cur[:min(8, len(cur))]), scans, dispatched, now); ok {
				add(eid, f)
			}
		}
		scans, dispatched = scans[:0], nil
	}
	for rows.Next() {
		var e int64
		var at time.Time
		var hash []byte
		var lat, lon *float64
		var device string
		var staff bool
		var dsp *time.Time
		if err := rows.Scan(&e, &hash, s.d.TimeDest(&at), &lat, &lon, &device, &staff, s.d.NullTimeDest(&dsp)); err != nil {
			return s.errf("credit label scans", err)
		}
		if string(hash) != string(cur) {
			flush()
			cur, eid = hash, e
		}
		if dsp != nil {
			dispatched = dsp
		}
		scans = append(scans, label.Scan{At: at, HasPosition: lat != nil && lon != nil, Lat: deref(lat), Lon: deref(lon),
			Device: label.DeviceClass(device), Staff: staff})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// facts reads every source for the enterprises lo..hi.
func (s *Store) facts(ctx context.Context, lo, hi int64, now time.Time) (map[int64][]credit.Fact, error) {
	out := map[int64][]credit.Fact{}
	add := func(eid int64, f credit.Fact) { out[eid] = append(out[eid], f) }
	for _, src := range sources {
		if err := src(s, ctx, s.db, lo, hi, now, add); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreditRecord returns the record of the enterprise uscc, or ENOTFOUND.
func (s *Store) CreditRecord(ctx context.Context, uscc string, now time.Time) (*credit.Record, error) {
	rec := &credit.Record{USCC: uscc}
	err := s.db.QueryRow(ctx, "SELECT id, name FROM enterprises WHERE uscc = ?", uscc).Scan(&rec.EnterpriseID, &rec.Name)
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", uscc)
	}
	if err != nil {
		return nil, s.errf("credit record", err)
	}
	recs := map[int64]*credit.Record{rec.EnterpriseID: rec}
	if err := s.fill(ctx, recs, rec.EnterpriseID, rec.EnterpriseID, now); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes
		WHERE enterprise_id = ? ORDER BY id`, rec.EnterpriseID)
	if err != nil {
		return nil, s.errf("credit history", err)
	}
	rec.History, err = s.scanChanges(rows)
	return rec, err
}

// CreditRecords yields every enterprise's record, batch at a time.
func (s *Store) CreditRecords(ctx context.Context, now time.Time, batch int, fn func(*credit.Record) error) error {
	if batch < 1 {
		batch = 1000
	}
	after := int64(0)
	for {
		rows, err := s.db.Query(ctx, "SELECT id, uscc, name FROM enterprises WHERE id > ? ORDER BY id LIMIT ?", after, batch)
		if err != nil {
			return s.errf("credit records", err)
		}
		var order []*credit.Record
		recs := map[int64]*credit.Record{}
		for rows.Next() {
			r := &credit.Record{}
			if err := rows.Scan(&r.EnterpriseID, &r.USCC, &r.Name); err != nil {
				rows.Close()
				return s.errf("credit records", err)
			}
			order = append(order, r)
			recs[r.EnterpriseID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("credit records", err)
		}
		if len(order) == 0 {
			return nil
		}
		lo, hi := order[0].EnterpriseID, order[len(order)-1].EnterpriseID
		if err := s.fill(ctx, recs, lo, hi, now); err != nil {
			return err
		}
		for _, r := range order {
			if err := fn(r); err != nil {
				return err
			}
		}
		after = hi
	}
}

// fill adds the facts, recognitions, appeals and grade of the enterprises
// lo..hi to recs (those not in recs are skipped).
func (s *Store) fill(ctx context.Context, recs map[int64]*credit.Record, lo, hi int64, now time.Time) error {
	facts, err := s.facts(ctx, lo, hi, now)
	if err != nil {
		return err
	}
	for id, fs := range facts {
		if r := recs[id]; r != nil {
			r.Facts = fs
		}
	}
	rows, err := s.db.Query(ctx, `SELECT r.id, r.enterprise_id, e.uscc, r.agency, r.level, r.at, r.source
		FROM credit_recognitions r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.enterprise_id BETWEEN ? AND ? ORDER BY r.id`, lo, hi)
	if err != nil {
		return s.errf("credit recognitions", err)
	}
	for rows.Next() {
		var x credit.Recognition
		var eid int64
		if err := rows.Scan(&x.ID, &eid, &x.USCC, &x.Agency, &x.Level, s.d.TimeDest(&x.At), &x.Source); err != nil {
			rows.Close()
			return s.errf("credit recognitions", err)
		}
		if r := recs[eid]; r != nil {
			r.Recognitions = append(r.Recognitions, x)
		}
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT a.id, a.enterprise_id, e.uscc, a.ref, a.note, a.status, a.resolution, a.filed_at, a.resolved_at
		FROM credit_appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.enterprise_id BETWEEN ? AND ? ORDER BY a.id`, lo, hi)
	if err != nil {
		return s.errf("credit appeals", err)
	}
	for rows.Next() {
		var eid int64
		a, err := s.scanAppeal(rows, &eid)
		if err != nil {
			rows.Close()
			return err
		}
		if r := recs[eid]; r != nil {
			r.Appeals = append(r.Appeals, *a)
		}
	}
	rows.Close()
	rows, err = s.db.Query(ctx, `SELECT enterprise_id, level, score, since FROM credit_grades WHERE enterprise_id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return s.errf("credit grades", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var since time.Time
		var lvl int
		var score float64
		if err := rows.Scan(&eid, &lvl, &score, s.d.TimeDest(&since)); err != nil {
			return s.errf("credit grades", err)
		}
		if r := recs[eid]; r != nil {
			r.Level, r.Score, r.Since = lvl, score, since
		}
	}
	return rows.Err()
}

func (s *Store) scanAppeal(row sqldb.Row, eid *int64) (*credit.Appeal, error) {
	var a credit.Appeal
	if err := row.Scan(&a.ID, eid, &a.USCC, &a.Ref, &a.Note, &a.Status, &a.Resolution, s.d.TimeDest(&a.FiledAt), s.d.NullTimeDest(&a.ResolvedAt)); err != nil {
		if s.d.NoRows(err) {
			return nil, err
		}
		return nil, s.errf("credit appeal", err)
	}
	return &a, nil
}

func (s *Store) scanChanges(rows sqldb.Rows) ([]credit.Change, error) {
	defer rows.Close()
	var out []credit.Change
	for rows.Next() {
		var c credit.Change
		var reasons string
		if err := rows.Scan(&c.USCC, &c.Level, &c.Prev, &c.Score, &reasons, s.d.TimeDest(&c.At), &c.LedgerIndex); err != nil {
			return nil, s.errf("credit changes", err)
		}
		if err := json.Unmarshal([]byte(reasons), &c.Reasons); err != nil {
			return nil, s.errf("credit change reasons", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
