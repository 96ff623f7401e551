package risksql

import (
	"context"
	"sort"
	"time"

	"tracegate/risk"
)

// RiskOverview gathers the overview's counts since.
func (s *Store) RiskOverview(ctx context.Context, since, now time.Time, cfg *risk.Config) (*risk.Overview, error) {
	o := &risk.Overview{SignalsByKind: []risk.Count{}, SignalsByHazard: []risk.Count{}, OpenWarnings: []risk.WarningAge{},
		LabFailures: []risk.FailureRate{}, Levels: map[risk.Level]int{}}
	rows, err := s.db.Query(ctx, "SELECT kind, hazard, observed_at FROM risk_signals WHERE observed_at >= ?", s.d.Time(since))
	if err != nil {
		return nil, s.errf("overview signals", err)
	}
	kinds, hazards := map[[2]string]int{}, map[[2]string]int{}
	for rows.Next() {
		var k, h string
		var at time.Time
		if err := rows.Scan(&k, &h, s.d.TimeDest(&at)); err != nil {
			rows.Close()
			return nil, s.errf("overview signals", err)
		}
		w := risk.WeekOf(at)
		kinds[[2]string{w, k}]++
		hazards[[2]string{w, h}]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errf("overview signals", err)
	}
	o.SignalsByKind, o.SignalsByHazard = counts(kinds), counts(hazards)
	for _, l := range []struct {
		level risk.Level
		from  float64
	}{{risk.LevelNotice, cfg.Thresholds.Notice}, {risk.LevelWarning, cfg.Thresholds.Warning}, {risk.LevelAlert, cfg.Thresholds.Alert}} {
		var n int
		if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM risk_subjects WHERE lsum >= ?", cfg.LogAt(l.from, now)).Scan(&n); err != nil {
			return nil, s.errf("overview levels", err)
		}
		o.Levels[l.level] = n
	}
	o.Levels[risk.LevelAlert], o.Levels[risk.LevelWarning], o.Levels[risk.LevelNotice] =
		o.Levels[risk.LevelAlert], o.Levels[risk.LevelWarning]-o.Levels[risk.LevelAlert], o.Levels[risk.LevelNotice]-o.Levels[risk.LevelWarning]
	ws, err := s.RiskWarnings(ctx, risk.WarningFilter{Status: risk.WarningOpen, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		o.OpenWarnings = append(o.OpenWarnings, risk.WarningAge{ID: w.ID, Subject: w.Subject, Level: w.Level, OpenedAt: w.OpenedAt,
			AgeHours: float64(int(now.Sub(w.OpenedAt).Hours()*10)) / 10})
	}
	for _, by := range []struct{ name, expr string }{{"origin", "p.origin_country"}, {"hsChapter", "substr(p.hs_code, 1, 2)"}} {
		rows, err := s.db.Query(ctx, `SELECT `+by.expr+`, COUNT(*), SUM(CASE WHEN r.passed THEN 0 ELSE 1 END) FROM risk_lab_results r
			JOIN risk_lab_orders o ON o.id = r.order_id
			JOIN products p ON p.id = (SELECT MIN(x.id) FROM products x WHERE x.gtin = o.gtin)
			WHERE r.created_at >= ? GROUP BY `+by.expr+` ORDER BY 1`, s.d.Time(since))
		if err != nil {
			return nil, s.errf("overview labs", err)
		}
		for rows.Next() {
			f := risk.FailureRate{By: by.name}
			if err := rows.Scan(&f.Key, &f.Tested, &f.Failed); err != nil {
				rows.Close()
				return nil, s.errf("overview labs", err)
			}
			if f.Tested > 0 {
				f.Rate = float64(f.Failed) / float64(f.Tested)
			}
			o.LabFailures = append(o.LabFailures, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.errf("overview labs", err)
		}
	}
	return o, nil
}

func counts(m map[[2]string]int) []risk.Count {
	out := make([]risk.Count, 0, len(m))
	for k, n := range m {
		out = append(out, risk.Count{Week: k[0], Key: k[1], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Week != out[j].Week {
			return out[i].Week < out[j].Week
		}
		return out[i].Key < out[j].Key
	})
	return out
}
