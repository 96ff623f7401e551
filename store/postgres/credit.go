package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/jackc/pgx/v5"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/label"
)

var _ credit.Store = (*Store)(nil)

// creditSource reads the facts of one kind for the enterprises with ids
// lo..hi; each row is (enterprise id, fact).
type creditSource func(ctx context.Context, q querier, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error

// creditSources are the record's sources, one per kind of entry.
var creditSources = []creditSource{creditDecisions, creditFilings, creditHolds, creditLabelCopies, creditComplaints}

func creditDecisions(ctx context.Context, q querier, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT e.id, d.id, d.decision, d.decided_at
		FROM enterprises e JOIN customs_decisions d ON d.uscc = e.uscc AND d.status = 'refuse'
		WHERE e.id BETWEEN $1 AND $2
		  AND d.id = (SELECT MAX(x.id) FROM customs_decisions x WHERE x.declaration_id = d.declaration_id)`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id int64
		var at time.Time
		var dec []byte
		if err := rows.Scan(&eid, &id, &dec, &at); err != nil {
			return fmt.Errorf("postgres: credit decisions: %w", err)
		}
		if f, ok := credit.DecisionFact(id, dec, at); ok {
			add(eid, f)
		}
	}
	return rows.Err()
}

func creditFilings(ctx context.Context, q querier, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT owner_id, id, COALESCE(reviewed_at, updated_at) FROM products
		WHERE status = 'rejected' AND owner_id BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit filings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id int64
		var at time.Time
		if err := rows.Scan(&eid, &id, &at); err != nil {
			return fmt.Errorf("postgres: credit filings: %w", err)
		}
		add(eid, credit.FilingFact(id, at))
	}
	return rows.Err()
}

func creditHolds(ctx context.Context, q querier, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	// The holds of each product by the gtin index (OFFSET 0 keeps the
	// lateral join a nested loop): the planner, misled by the many holds
	// of few GTINs, otherwise scans every hold for each batch.
	rows, err := q.Query(ctx, `SELECT DISTINCT p.owner_id, h.id, h.since FROM products p
		CROSS JOIN LATERAL (SELECT x.id, x.since FROM label_holds x
			WHERE x.gtin = p.gtin AND x.kind IN ('recall', 'stop_sale') OFFSET 0) h
		WHERE p.owner_id BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit holds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id int64
		var at time.Time
		if err := rows.Scan(&eid, &id, &at); err != nil {
			return fmt.Errorf("postgres: credit holds: %w", err)
		}
		add(eid, credit.HoldFact(id, at))
	}
	return rows.Err()
}

func creditLabelCopies(ctx context.Context, q querier, lo, hi int64, now time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT r.enterprise_id, s.hash, s.at, s.lat, s.lon, s.device, s.staff, dsp.at
		FROM label_scans s JOIN labels l ON l.hash = s.hash JOIN label_requests r ON r.id = l.request_id
		LEFT JOIN label_dispatches dsp ON dsp.id = l.dispatch_id
		WHERE r.enterprise_id BETWEEN $1 AND $2 ORDER BY s.hash`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit label scans: %w", err)
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
		if err := rows.Scan(&e, &hash, &at, &lat, &lon, &device, &staff, &dsp); err != nil {
			return fmt.Errorf("postgres: credit label scans: %w", err)
		}
		if string(hash) != string(cur) {
			flush()
			cur, eid = hash, e
		}
		if dsp != nil {
			dispatched = dsp
		}
		scans = append(scans, label.Scan{At: at, HasPosition: lat != nil && lon != nil, Lat: derefFloat(lat), Lon: derefFloat(lon),
			Device: label.DeviceClass(device), Staff: staff})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

// creditFacts reads every source for the enterprises lo..hi.
func creditFacts(ctx context.Context, q querier, lo, hi int64, now time.Time) (map[int64][]credit.Fact, error) {
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
	err := s.pool.QueryRow(ctx, "SELECT id, name FROM enterprises WHERE uscc = $1", uscc).Scan(&rec.EnterpriseID, &rec.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", uscc)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: credit record: %w", err)
	}
	recs := map[int64]*credit.Record{rec.EnterpriseID: rec}
	if err := s.creditFill(ctx, recs, rec.EnterpriseID, rec.EnterpriseID, now); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes
		WHERE enterprise_id = $1 ORDER BY id`, rec.EnterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: credit history: %w", err)
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
		rows, err := s.pool.Query(ctx, "SELECT id, uscc, name FROM enterprises WHERE id > $1 ORDER BY id LIMIT $2", after, batch)
		if err != nil {
			return fmt.Errorf("postgres: credit records: %w", err)
		}
		var order []*credit.Record
		recs := map[int64]*credit.Record{}
		for rows.Next() {
			r := &credit.Record{}
			if err := rows.Scan(&r.EnterpriseID, &r.USCC, &r.Name); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: credit records: %w", err)
			}
			order = append(order, r)
			recs[r.EnterpriseID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: credit records: %w", err)
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
	facts, err := creditFacts(ctx, s.pool, lo, hi, now)
	if err != nil {
		return err
	}
	for id, fs := range facts {
		if r := recs[id]; r != nil {
			r.Facts = fs
		}
	}
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.enterprise_id, e.uscc, r.agency, r.level, r.at, r.source
		FROM credit_recognitions r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.enterprise_id BETWEEN $1 AND $2 ORDER BY r.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit recognitions: %w", err)
	}
	for rows.Next() {
		var x credit.Recognition
		var eid int64
		var at time.Time
		if err := rows.Scan(&x.ID, &eid, &x.USCC, &x.Agency, &x.Level, &at, &x.Source); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: credit recognitions: %w", err)
		}
		x.At = at
		if r := recs[eid]; r != nil {
			r.Recognitions = append(r.Recognitions, x)
		}
	}
	rows.Close()
	rows, err = s.pool.Query(ctx, `SELECT a.id, a.enterprise_id, e.uscc, a.ref, a.note, a.status, a.resolution, a.filed_at, a.resolved_at
		FROM credit_appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.enterprise_id BETWEEN $1 AND $2 ORDER BY a.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit appeals: %w", err)
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
	rows, err = s.pool.Query(ctx, `SELECT enterprise_id, level, score, since FROM credit_grades WHERE enterprise_id BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return fmt.Errorf("postgres: credit grades: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var since time.Time
		var lvl int
		var score float64
		if err := rows.Scan(&eid, &lvl, &score, &since); err != nil {
			return fmt.Errorf("postgres: credit grades: %w", err)
		}
		if r := recs[eid]; r != nil {
			r.Level, r.Score, r.Since = lvl, score, since
		}
	}
	return rows.Err()
}

func scanAppeal(rows interface{ Scan(...any) error }, eid *int64) (*credit.Appeal, error) {
	var a credit.Appeal
	var filed time.Time
	var resolved *time.Time
	if err := rows.Scan(&a.ID, eid, &a.USCC, &a.Ref, &a.Note, &a.Status, &a.Resolution, &filed, &resolved); err != nil {
		return nil, fmt.Errorf("postgres: credit appeal: %w", err)
	}
	a.FiledAt = filed
	a.ResolvedAt = resolved
	return &a, nil
}

func scanChanges(rows pgx.Rows) ([]credit.Change, error) {
	defer rows.Close()
	var out []credit.Change
	for rows.Next() {
		var c credit.Change
		var reasons string
		var at time.Time
		if err := rows.Scan(&c.USCC, &c.Level, &c.Prev, &c.Score, &reasons, &at, &c.LedgerIndex); err != nil {
			return nil, fmt.Errorf("postgres: credit changes: %w", err)
		}
		if err := json.Unmarshal([]byte(reasons), &c.Reasons); err != nil {
			return nil, fmt.Errorf("postgres: credit change reasons: %w", err)
		}
		c.At = at
		out = append(out, c)
	}
	return out, rows.Err()
}

func derefFloat(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
