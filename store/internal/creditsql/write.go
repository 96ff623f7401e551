package creditsql

import (
	"context"
	"encoding/json"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/store/internal/sqldb"
)

func (s *Store) enterpriseID(ctx context.Context, tx sqldb.Tx, uscc string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = ?", uscc).Scan(&id)
	if s.d.NoRows(err) {
		return 0, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", uscc)
	}
	if err != nil {
		return 0, s.errf("find enterprise", err)
	}
	return id, nil
}

// SaveCreditGrade stores the score of uscc and the level change ch (when
// not nil) with its ledger leaf, in one transaction.
func (s *Store) SaveCreditGrade(ctx context.Context, uscc string, score float64, ch *credit.Change) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		// The ledger's sequencer lock also serialises the level changes.
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		eid, err := s.enterpriseID(ctx, tx, uscc)
		if err != nil {
			return err
		}
		var cur int
		err = tx.QueryRow(ctx, "SELECT level FROM credit_grades WHERE enterprise_id = ?", eid).Scan(&cur)
		if err != nil && !s.d.NoRows(err) {
			return s.errf("credit grade", err)
		}
		now := tx.Now()
		if ch == nil {
			if cur == 0 {
				return tracegate.Errorf(tracegate.ECONFLICT, "credit: %s has no level yet", uscc)
			}
			if _, err := tx.Exec(ctx, "UPDATE credit_grades SET score = ?, computed_at = ? WHERE enterprise_id = ?", score, s.d.Time(now), eid); err != nil {
				return s.errf("credit grade", err)
			}
			return nil
		}
		if cur != ch.Prev {
			return tracegate.Errorf(tracegate.ECONFLICT, "credit: the level of %s changed meanwhile (now %d, not %d)", uscc, cur, ch.Prev)
		}
		ch.USCC, ch.At = uscc, now
		leaf, err := credit.ChangeLeaf(ch)
		if err != nil {
			return err
		}
		if ch.LedgerIndex, err = tx.AppendLeaves(ctx, [][]byte{leaf}); err != nil {
			return err
		}
		reasons, err := json.Marshal(ch.Reasons)
		if err != nil {
			return s.errf("credit reasons", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO credit_changes (enterprise_id, uscc, level, prev, score, reasons, at, ledger_idx)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, eid, uscc, ch.Level, ch.Prev, ch.Score, string(reasons), s.d.Time(now), ch.LedgerIndex); err != nil {
			return s.errf("credit change", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO credit_grades (enterprise_id, level, score, since, computed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (enterprise_id) DO UPDATE SET level = excluded.level, score = excluded.score, since = excluded.since,
			computed_at = excluded.computed_at`, eid, ch.Level, score, s.d.Time(now), s.d.Time(now)); err != nil {
			return s.errf("credit grade", err)
		}
		return nil
	})
}

// CreditLevels returns the level of every graded enterprise by USCC.
func (s *Store) CreditLevels(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.Query(ctx, "SELECT e.uscc, g.level FROM credit_grades g JOIN enterprises e ON e.id = g.enterprise_id")
	if err != nil {
		return nil, s.errf("credit levels", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var u string
		var l int
		if err := rows.Scan(&u, &l); err != nil {
			return nil, s.errf("credit levels", err)
		}
		out[u] = l
	}
	return out, rows.Err()
}

// CreditChanges returns the level changes since t, newest first.
func (s *Store) CreditChanges(ctx context.Context, since time.Time) ([]credit.Change, error) {
	rows, err := s.db.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes
		WHERE at >= ? ORDER BY at DESC, id DESC`, s.d.Time(since))
	if err != nil {
		return nil, s.errf("credit changes", err)
	}
	return s.scanChanges(rows)
}

// CreditLedgerRecords yields every level change in ledger order, for the
// audit.
func (s *Store) CreditLedgerRecords(ctx context.Context, fn func(*credit.Change) error) error {
	rows, err := s.db.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes ORDER BY ledger_idx`)
	if err != nil {
		return s.errf("credit changes", err)
	}
	all, err := s.scanChanges(rows)
	if err != nil {
		return err
	}
	for i := range all {
		if err := fn(&all[i]); err != nil {
			return err
		}
	}
	return nil
}

// AddCreditRecognition stores a recognised level.
func (s *Store) AddCreditRecognition(ctx context.Context, r *credit.Recognition) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		eid, err := s.enterpriseID(ctx, tx, r.USCC)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO credit_recognitions (enterprise_id, agency, level, at, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, eid, r.Agency, r.Level, s.d.Time(r.At), r.Source, s.d.Time(tx.Now())).Scan(&r.ID)
	})
}

// AddCreditAppeal stores an open appeal, or ECONFLICT when one is open
// against the same entry.
func (s *Store) AddCreditAppeal(ctx context.Context, a *credit.Appeal) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		eid, err := s.enterpriseID(ctx, tx, a.USCC)
		if err != nil {
			return err
		}
		a.Status, a.FiledAt = credit.AppealOpen, tx.Now()
		err = tx.QueryRow(ctx, `INSERT INTO credit_appeals (enterprise_id, ref, note, status, filed_at)
			VALUES (?, ?, ?, 'open', ?) RETURNING id`, eid, a.Ref, a.Note, s.d.Time(a.FiledAt)).Scan(&a.ID)
		if err != nil && s.d.Unique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "an appeal against %s is open already", a.Ref)
		}
		if err != nil {
			return s.errf("credit appeal", err)
		}
		return nil
	})
}

// ResolveCreditAppeal closes the open appeal id.
func (s *Store) ResolveCreditAppeal(ctx context.Context, id int64, status credit.AppealStatus, resolution string) (*credit.Appeal, error) {
	var a *credit.Appeal
	err := s.update(ctx, func(tx sqldb.Tx) error {
		var eid int64
		var err error
		a, err = s.scanAppeal(tx.QueryRow(ctx, `SELECT a.id, a.enterprise_id, e.uscc, a.ref, a.note, a.status, a.resolution, a.filed_at, a.resolved_at
			FROM credit_appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = ?`+s.d.ForUpdate("a"), id), &eid)
		if err != nil {
			if s.d.NoRows(err) {
				return tracegate.Errorf(tracegate.ENOTFOUND, "no appeal %d", id)
			}
			return err
		}
		if a.Status != credit.AppealOpen {
			return tracegate.Errorf(tracegate.ECONFLICT, "appeal %d is %s already", id, a.Status)
		}
		now := tx.Now()
		a.Status, a.Resolution, a.ResolvedAt = status, resolution, &now
		if _, err := tx.Exec(ctx, "UPDATE credit_appeals SET status = ?, resolution = ?, resolved_at = ? WHERE id = ?",
			string(status), resolution, s.d.Time(now), id); err != nil {
			return s.errf("resolve credit appeal", err)
		}
		return nil
	})
	return a, err
}
