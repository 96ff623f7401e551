package consolesql

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"tracegate"
)

// Dashboard reads the regulator dashboard's aggregates since since.
func (s *Store) Dashboard(ctx context.Context, since time.Time, maxScans int) (*tracegate.Dashboard, error) {
	d := &tracegate.Dashboard{}
	var err error
	day := s.exprs.Day
	if d.Declarations, err = s.dayCounts(ctx, "dashboard declarations", `SELECT `+day("c.decided_at")+`, c.status, `+s.exprs.Port+`, COUNT(*)
		FROM customs_declarations c WHERE c.decided_at >= ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, true, s.d.Time(since)); err != nil {
		return nil, err
	}
	if d.Scans, err = s.dayCounts(ctx, "dashboard scans", `SELECT `+day("at")+`, 'scans', COUNT(*) FROM label_scans
		WHERE at >= ? AND staff = ? AND device <> 'bot' GROUP BY 1 ORDER BY 1`, false, s.d.Time(since), false); err != nil {
		return nil, err
	}
	if d.Copies, err = s.dayCounts(ctx, "dashboard copies", `SELECT `+day("s.at")+`, 'copies', COUNT(DISTINCT s.hash) FROM label_scans s
		WHERE s.at >= ? AND s.staff = ? AND s.device <> 'bot'
		  AND (SELECT COUNT(*) FROM label_scans x WHERE x.hash = s.hash AND x.at <= s.at AND x.staff = ? AND x.device <> 'bot') > ?
		GROUP BY 1 ORDER BY 1`, false, s.d.Time(since), false, false, maxScans); err != nil {
		return nil, err
	}
	if d.Refusals, err = s.refusals(ctx, since); err != nil {
		return nil, err
	}
	if d.OpenReviews, err = s.openReviews(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT level, COUNT(*) FROM credit_grades GROUP BY level ORDER BY level`)
	if err != nil {
		return nil, s.errf("dashboard credit", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level int
		var n int64
		if err := rows.Scan(&level, &n); err != nil {
			return nil, s.errf("dashboard credit", err)
		}
		d.CreditLevels = append(d.CreditLevels, tracegate.KeyCount{Key: strconv.Itoa(level), N: n})
	}
	return d, rows.Err()
}

// dayCounts reads (day number, key[, sub], n) rows.
func (s *Store) dayCounts(ctx context.Context, what, query string, sub bool, args ...any) ([]tracegate.DayCount, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, s.errf(what, err)
	}
	defer rows.Close()
	var out []tracegate.DayCount
	for rows.Next() {
		var dayNo int64
		var c tracegate.DayCount
		dest := []any{&dayNo, &c.Key}
		if sub {
			dest = append(dest, &c.Sub)
		}
		if err := rows.Scan(append(dest, &c.N)...); err != nil {
			return nil, s.errf(what, err)
		}
		c.Day = time.Unix(dayNo*86400, 0).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// refusals counts the refusing reasons of the declarations refused since,
// by rule (each rule once per declaration).
func (s *Store) refusals(ctx context.Context, since time.Time) ([]tracegate.KeyCount, error) {
	rows, err := s.db.Query(ctx, `SELECT c.decision FROM customs_declarations c WHERE c.status = 'refuse' AND c.decided_at >= ?`, s.d.Time(since))
	if err != nil {
		return nil, s.errf("dashboard refusals", err)
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, s.errf("dashboard refusals", err)
		}
		var dec struct {
			Reasons []struct{ Rule, Outcome string }
		}
		if json.Unmarshal(doc, &dec) != nil {
			continue
		}
		seen := map[string]bool{}
		for _, r := range dec.Reasons {
			if r.Outcome == "refuse" && !seen[r.Rule] {
				seen[r.Rule] = true
				counts[r.Rule]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.errf("dashboard refusals", err)
	}
	out := make([]tracegate.KeyCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, tracegate.KeyCount{Key: k, N: n})
	}
	slices.SortFunc(out, func(a, b tracegate.KeyCount) int {
		if a.N != b.N {
			return int(b.N - a.N)
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

func (s *Store) openReviews(ctx context.Context) ([]time.Time, error) {
	rows, err := s.db.Query(ctx, `SELECT decided_at FROM customs_declarations WHERE review = 'open' AND decided_at IS NOT NULL`)
	if err != nil {
		return nil, s.errf("dashboard reviews", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(s.d.TimeDest(&t)); err != nil {
			return nil, s.errf("dashboard reviews", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
