package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/label"
)

var _ credit.Store = (*Store)(nil)

// creditSource reads the facts of one kind for the enterprises with ids
// lo..hi; each row is (enterprise id, fact).
type creditSource func(ctx context.Context, q queryer, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error

// creditSources are the record's sources, one per kind of entry.
var creditSources = []creditSource{creditDecisions, creditFilings, creditHolds, creditLabelCopies, creditComplaints}

func creditDecisions(ctx context.Context, q queryer, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.QueryContext(ctx, `SELECT e.id, d.id, d.decision, d.decided_at
		FROM enterprises e JOIN customs_decisions d ON d.uscc = e.uscc AND d.status = 'refuse'
		WHERE e.id BETWEEN ? AND ?
		  AND d.id = (SELECT MAX(x.id) FROM customs_decisions x WHERE x.declaration_id = d.declaration_id)`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id, at int64
		var dec []byte
		if err := rows.Scan(&eid, &id, &dec, &at); err != nil {
			return fmt.Errorf("sqlite: credit decisions: %w", err)
		}
		if f, ok := credit.DecisionFact(id, dec, fromMicro(at)); ok {
			add(eid, f)
		}
	}
	return rows.Err()
}

func creditFilings(ctx context.Context, q queryer, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.QueryContext(ctx, `SELECT owner_id, id, COALESCE(reviewed_at, updated_at) FROM products
		WHERE status = 'rejected' AND owner_id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit filings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id, at int64
		if err := rows.Scan(&eid, &id, &at); err != nil {
			return fmt.Errorf("sqlite: credit filings: %w", err)
		}
		add(eid, credit.FilingFact(id, fromMicro(at)))
	}
	return rows.Err()
}

func creditHolds(ctx context.Context, q queryer, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT p.owner_id, h.id, h.since FROM label_holds h
		JOIN products p ON p.gtin = h.gtin
		WHERE h.kind IN ('recall', 'stop_sale') AND p.owner_id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit holds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id, at int64
		if err := rows.Scan(&eid, &id, &at); err != nil {
			return fmt.Errorf("sqlite: credit holds: %w", err)
		}
		add(eid, credit.HoldFact(id, fromMicro(at)))
	}
	return rows.Err()
}

func creditLabelCopies(ctx context.Context, q queryer, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.QueryContext(ctx, `SELECT r.enterprise_id, s.hash, s.at, s.lat, s.lon, s.device, s.staff, dsp.at
		FROM label_scans s JOIN labels l ON l.hash = s.hash JOIN label_requests r ON r.id = l.request_id
		LEFT JOIN label_dispatches dsp ON dsp.id = l.dispatch_id
		WHERE r.enterprise_id BETWEEN ? AND ? ORDER BY s.hash`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit label scans: %w", err)
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
		var e, at int64
		var hash []byte
		var lat, lon sql.NullFloat64
		var device string
		var staff bool
		var dsp sql.NullInt64
		if err := rows.Scan(&e, &hash, &at, &lat, &lon, &device, &staff, &dsp); err != nil {
			return fmt.Errorf("sqlite: credit label scans: %w", err)
		}
		if string(hash) != string(cur) {
			flush()
			cur, eid = hash, e
		}
		if dsp.Valid {
			t := fromMicro(dsp.Int64)
			dispatched = &t
		}
		scans = append(scans, label.Scan{At: fromMicro(at), HasPosition: lat.Valid && lon.Valid, Lat: lat.Float64, Lon: lon.Float64,
			Device: label.DeviceClass(device), Staff: staff})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

// creditFacts reads every source for the enterprises lo..hi.
func creditFacts(ctx context.Context, q queryer, lo, hi int64, now time.Time) (map[int64][]credit.Fact, error) {
	out := map[int64][]credit.Fact{}
	add := func(eid int64, f credit.Fact) { out[eid] = append(out[eid], f) }
	for _, src := range creditSources {
		if err := src(ctx, q, lo, hi, now, add); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreditRecord returns the record of the enterprise uscc, or ENOTFOUND.
func (s *Store) CreditRecord(ctx context.Context, uscc string, now time.Time) (*credit.Record, error) {
	rec := &credit.Record{USCC: uscc}
	err := s.reader.QueryRowContext(ctx, "SELECT id, name FROM enterprises WHERE uscc = ?", uscc).Scan(&rec.EnterpriseID, &rec.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", uscc)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: credit record: %w", err)
	}
	recs := map[int64]*credit.Record{rec.EnterpriseID: rec}
	if err := s.creditFill(ctx, recs, rec.EnterpriseID, rec.EnterpriseID, now); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes
		WHERE enterprise_id = ? ORDER BY id`, rec.EnterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: credit history: %w", err)
	}
	rec.History, err = scanChanges(rows)
	return rec, err
}

// CreditRecords yields every enterprise's record, batch at a time.
func (s *Store) CreditRecords(ctx context.Context, now time.Time, batch int, fn func(*credit.Record) error) error {
	if batch < 1 {
		batch = 1000
	}
	after := int64(0)
	for {
		rows, err := s.reader.QueryContext(ctx, "SELECT id, uscc, name FROM enterprises WHERE id > ? ORDER BY id LIMIT ?", after, batch)
		if err != nil {
			return fmt.Errorf("sqlite: credit records: %w", err)
		}
		var order []*credit.Record
		recs := map[int64]*credit.Record{}
		for rows.Next() {
			r := &credit.Record{}
			if err := rows.Scan(&r.EnterpriseID, &r.USCC, &r.Name); err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: credit records: %w", err)
			}
			order = append(order, r)
			recs[r.EnterpriseID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: credit records: %w", err)
		}
		if len(order) == 0 {
			return nil
		}
		lo, hi := order[0].EnterpriseID, order[len(order)-1].EnterpriseID
		if err := s.creditFill(ctx, recs, lo, hi, now); err != nil {
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

// creditFill adds the facts, recognitions, appeals and grade of the
// enterprises lo..hi to recs (those not in recs are skipped).
func (s *Store) creditFill(ctx context.Context, recs map[int64]*credit.Record, lo, hi int64, now time.Time) error {
	facts, err := creditFacts(ctx, s.reader, lo, hi, now)
	if err != nil {
		return err
	}
	for id, fs := range facts {
		if r := recs[id]; r != nil {
			r.Facts = fs
		}
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT r.id, r.enterprise_id, e.uscc, r.agency, r.level, r.at, r.source
		FROM credit_recognitions r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.enterprise_id BETWEEN ? AND ? ORDER BY r.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit recognitions: %w", err)
	}
	for rows.Next() {
		var x credit.Recognition
		var eid, at int64
		if err := rows.Scan(&x.ID, &eid, &x.USCC, &x.Agency, &x.Level, &at, &x.Source); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: credit recognitions: %w", err)
		}
		x.At = fromMicro(at)
		if r := recs[eid]; r != nil {
			r.Recognitions = append(r.Recognitions, x)
		}
	}
	rows.Close()
	rows, err = s.reader.QueryContext(ctx, `SELECT a.id, a.enterprise_id, e.uscc, a.ref, a.note, a.status, a.resolution, a.filed_at, a.resolved_at
		FROM credit_appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.enterprise_id BETWEEN ? AND ? ORDER BY a.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit appeals: %w", err)
	}
	for rows.Next() {
		var eid int64
		a, err := scanAppeal(rows, &eid)
		if err != nil {
			rows.Close()
			return err
		}
		if r := recs[eid]; r != nil {
			r.Appeals = append(r.Appeals, *a)
		}
	}
	rows.Close()
	rows, err = s.reader.QueryContext(ctx, `SELECT enterprise_id, level, score, since FROM credit_grades WHERE enterprise_id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit grades: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, since int64
		var lvl int
		var score float64
		if err := rows.Scan(&eid, &lvl, &score, &since); err != nil {
			return fmt.Errorf("sqlite: credit grades: %w", err)
		}
		if r := recs[eid]; r != nil {
			r.Level, r.Score, r.Since = lvl, score, fromMicro(since)
		}
	}
	return rows.Err()
}

func scanAppeal(rows interface{ Scan(...any) error }, eid *int64) (*credit.Appeal, error) {
	var a credit.Appeal
	var filed int64
	var resolved sql.NullInt64
	if err := rows.Scan(&a.ID, eid, &a.USCC, &a.Ref, &a.Note, &a.Status, &a.Resolution, &filed, &resolved); err != nil {
		return nil, fmt.Errorf("sqlite: credit appeal: %w", err)
	}
	a.FiledAt = fromMicro(filed)
	if resolved.Valid {
		t := fromMicro(resolved.Int64)
		a.ResolvedAt = &t
	}
	return &a, nil
}

func scanChanges(rows *sql.Rows) ([]credit.Change, error) {
	defer rows.Close()
	var out []credit.Change
	for rows.Next() {
		var c credit.Change
		var reasons string
		var at int64
		if err := rows.Scan(&c.USCC, &c.Level, &c.Prev, &c.Score, &reasons, &at, &c.LedgerIndex); err != nil {
			return nil, fmt.Errorf("sqlite: credit changes: %w", err)
		}
		if err := json.Unmarshal([]byte(reasons), &c.Reasons); err != nil {
			return nil, fmt.Errorf("sqlite: credit change reasons: %w", err)
		}
		c.At = fromMicro(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
