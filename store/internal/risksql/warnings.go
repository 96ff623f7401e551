package risksql

import (
	"context"
	"fmt"
	"math"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// openWarnings opens a warning for every change rising into notice or
// above, or raises the subject's open warning, each step with its leaf.
func (s *Store) openWarnings(ctx context.Context, tx sqldb.Tx, chs []risk.Change, monitor string) error {
	now := tx.Now()
	var evs []*risk.WarningEvent
	for i := range chs {
		ch := &chs[i]
		if !ch.Opens() {
			continue
		}
		score := math.Round(ch.After*1e6) / 1e6
		var id int64
		var sigs string
		err := tx.QueryRow(ctx, `SELECT id, signals FROM risk_warnings WHERE subject_kind = ? AND subject_value = ? AND status = 'open'`+s.d.ForUpdate("risk_warnings"),
			subjectArgs(ch.Subject)...).Scan(&id, &sigs)
		action := risk.ActionRaised
		all := ch.SignalIDs
		switch {
		case s.d.NoRows(err):
			action = risk.ActionOpened
			if err := tx.QueryRow(ctx, `INSERT INTO risk_warnings (subject_kind, subject_value, level, score, status, signals, opened_at, updated_at)
				VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`, string(ch.Subject.Kind), ch.Subject.Value, string(ch.To), score,
				joinIDs(all), s.d.Time(now), s.d.Time(now)).Scan(&id); err != nil {
				return s.errf("open warning", err)
			}
		case err != nil:
			return s.errf("warning", err)
		default:
			all = append(splitIDs(sigs), ch.SignalIDs...)
			if _, err := tx.Exec(ctx, "UPDATE risk_warnings SET level = ?, score = ?, signals = ?, updated_at = ? WHERE id = ?",
				string(ch.To), score, joinIDs(all), s.d.Time(now), id); err != nil {
				return s.errf("raise warning", err)
			}
		}
		ch.WarningID, ch.WarningLevel = id, ch.To
		evs = append(evs, &risk.WarningEvent{Warning: id, Action: action, Subject: ch.Subject, Level: ch.To, Score: score,
			Signals: ch.SignalIDs, By: monitor, At: now})
	}
	return s.appendEvents(ctx, tx, evs)
}

// appendEvents writes warning steps and their leaves, appended as one group.
func (s *Store) appendEvents(ctx context.Context, tx sqldb.Tx, evs []*risk.WarningEvent) error {
	if len(evs) == 0 {
		return nil
	}
	leaves := make([][]byte, len(evs))
	for i, e := range evs {
		leaf, err := risk.WarningLeaf(e)
		if err != nil {
			return fmt.Errorf("risk: the leaf of warning %d: %w", e.Warning, err)
		}
		leaves[i] = leaf
	}
	first, err := tx.AppendLeaves(ctx, leaves)
	if err != nil {
		return err
	}
	for i, e := range evs {
		e.LedgerIndex = first + int64(i)
		if _, err := tx.Exec(ctx, `INSERT INTO risk_warning_events (warning_id, action, subject, level, score, signals, reason, measure, by_uscc, at, ledger_idx)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Warning, string(e.Action), e.Subject.String(), string(e.Level), e.Score,
			joinIDs(e.Signals), e.Reason, e.Measure, e.By, s.d.Time(e.At), e.LedgerIndex); err != nil {
			return s.errf("warning step", err)
		}
	}
	return nil
}

// DecideRiskWarning closes the open warning id.
func (s *Store) DecideRiskWarning(ctx context.Context, id int64, status risk.WarningStatus, reason, measure, by string) (*risk.Warning, error) {
	if status != risk.WarningConfirmed && status != risk.WarningDismissed {
		return nil, tracegate.Invalidf("/status", "a warning is confirmed or dismissed, not %q", status)
	}
	err := s.update(ctx, func(tx sqldb.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		w, err := s.warning(ctx, tx, id)
		if err != nil {
			return err
		}
		if w.Status != risk.WarningOpen {
			return tracegate.Errorf(tracegate.ECONFLICT, "warning %d is %s", id, w.Status)
		}
		now := tx.Now()
		if _, err := tx.Exec(ctx, "UPDATE risk_warnings SET status = ?, reason = ?, measure = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ?",
			string(status), reason, measure, by, s.d.Time(now), s.d.Time(now), id); err != nil {
			return s.errf("decide warning", err)
		}
		action := risk.ActionDismissed
		if status == risk.WarningConfirmed {
			action = risk.ActionConfirmed
		}
		return s.appendEvents(ctx, tx, []*risk.WarningEvent{{Warning: id, Action: action, Subject: w.Subject, Level: w.Level, Score: w.Score,
			Signals: []int64{}, Reason: reason, Measure: measure, By: by, At: now}})
	})
	if err != nil {
		return nil, err
	}
	return s.RiskWarning(ctx, id)
}

const warningCols = `id, subject_kind, subject_value, level, score, status, signals, opened_at, updated_at, reason, measure, decided_by, decided_at`

func (s *Store) scanWarning(r interface{ Scan(...any) error }) (*risk.Warning, error) {
	var w risk.Warning
	var kind, level, status, sigs string
	if err := r.Scan(&w.ID, &kind, &w.Subject.Value, &level, &w.Score, &status, &sigs, s.d.TimeDest(&w.OpenedAt), s.d.TimeDest(&w.UpdatedAt),
		&w.Reason, &w.Measure, &w.DecidedBy, s.d.NullTimeDest(&w.DecidedAt)); err != nil {
		return nil, err
	}
	w.Subject.Kind, w.Level, w.Status, w.Signals = risk.SubjectKind(kind), risk.Level(level), risk.WarningStatus(status), splitIDs(sigs)
	return &w, nil
}

func (s *Store) warning(ctx context.Context, q sqldb.Q, id int64) (*risk.Warning, error) {
	w, err := s.scanWarning(q.QueryRow(ctx, "SELECT "+warningCols+" FROM risk_warnings WHERE id = ?", id))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no risk warning %d", id)
	}
	if err != nil {
		return nil, s.errf("warning", err)
	}
	return w, nil
}

// RiskWarning returns warning id with its history.
func (s *Store) RiskWarning(ctx context.Context, id int64) (*risk.Warning, error) {
	w, err := s.warning(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	err = s.events(ctx, "WHERE warning_id = ?", []any{id}, func(e *risk.WarningEvent) error {
		w.History = append(w.History, *e)
		return nil
	})
	return w, err
}

// RiskWarnings lists warnings, newest first.
func (s *Store) RiskWarnings(ctx context.Context, f risk.WarningFilter) ([]risk.Warning, error) {
	q := "SELECT " + warningCols + " FROM risk_warnings WHERE 1 = 1"
	var args []any
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	if f.Subject.Kind != "" {
		q += " AND subject_kind = ? AND subject_value = ?"
		args = append(args, subjectArgs(f.Subject)...)
	}
	if f.BeforeID > 0 {
		q += " AND id < ?"
		args = append(args, f.BeforeID)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("warnings", err)
	}
	defer rows.Close()
	out := []risk.Warning{}
	for rows.Next() {
		w, err := s.scanWarning(rows)
		if err != nil {
			return nil, s.errf("warnings", err)
		}
		out = append(out, *w)
	}
	return out, rows.Err()
}

// RiskWarningLedgerRecords yields every warning step in ledger order.
func (s *Store) RiskWarningLedgerRecords(ctx context.Context, fn func(e *risk.WarningEvent) error) error {
	return s.events(ctx, "", nil, fn)
}

func (s *Store) events(ctx context.Context, where string, args []any, fn func(e *risk.WarningEvent) error) error {
	rows, err := s.db.Query(ctx, `SELECT warning_id, action, subject, level, score, signals, reason, measure, by_uscc, at, ledger_idx
		FROM risk_warning_events `+where+` ORDER BY ledger_idx`, args...)
	if err != nil {
		return s.errf("warning steps", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e risk.WarningEvent
		var action, subj, level, sigs string
		if err := rows.Scan(&e.Warning, &action, &subj, &level, &e.Score, &sigs, &e.Reason, &e.Measure, &e.By, s.d.TimeDest(&e.At), &e.LedgerIndex); err != nil {
			return s.errf("warning steps", err)
		}
		e.Action, e.Level, e.Signals = risk.WarningAction(action), risk.Level(level), splitIDs(sigs)
		if k, v, ok := cut(subj); ok {
			e.Subject = risk.Subject{Kind: risk.SubjectKind(k), Value: v}
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

func cut(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}
