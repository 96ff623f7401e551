package risksql

import (
	"context"
	"math"
	"time"

	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// RescoreRisk recomputes every stored weight and log sum under cfg (ranks
// do not depend on the configuration) and stores cfg, in one transaction.
func (s *Store) RescoreRisk(ctx context.Context, cfg *risk.Config) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		type row struct {
			kind, value string
			signal      int64
			lw          float64
		}
		rows, err := tx.Query(ctx, `SELECT ss.subject_kind, ss.subject_value, ss.signal_id, ss.ord, s.kind, s.severity, s.observed_at
			FROM risk_subject_signals ss JOIN risk_signals s ON s.id = ss.signal_id`)
		if err != nil {
			return s.errf("rescore", err)
		}
		var all []row
		sums := map[risk.Subject]float64{}
		for rows.Next() {
			var r row
			var ord int
			var kind, sev string
			var at time.Time
			if err := rows.Scan(&r.kind, &r.value, &r.signal, &ord, &kind, &sev, s.d.TimeDest(&at)); err != nil {
				rows.Close()
				return s.errf("rescore", err)
			}
			r.lw = cfg.LogWeight(risk.Kind(kind), risk.Severity(sev), at, ord)
			subj := risk.Subject{Kind: risk.SubjectKind(r.kind), Value: r.value}
			cur, ok := sums[subj]
			if !ok {
				cur = math.Inf(-1)
			}
			sums[subj] = risk.LogAdd(cur, r.lw)
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.errf("rescore", err)
		}
		for _, r := range all {
			if _, err := tx.Exec(ctx, "UPDATE risk_subject_signals SET lw = ? WHERE subject_kind = ? AND subject_value = ? AND signal_id = ?",
				risk.Finite(r.lw), r.kind, r.value, r.signal); err != nil {
				return s.errf("rescore", err)
			}
		}
		now := tx.Now()
		for subj, l := range sums {
			if _, err := tx.Exec(ctx, "UPDATE risk_subjects SET lsum = ?, updated_at = ? WHERE kind = ? AND value = ?",
				risk.Finite(l), s.d.Time(now), string(subj.Kind), subj.Value); err != nil {
				return s.errf("rescore", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO risk_config (id, body, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, string(cfg.JSON()), s.d.Time(now)); err != nil {
			return s.errf("config", err)
		}
		return nil
	})
}
