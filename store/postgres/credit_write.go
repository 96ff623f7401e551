package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/jackc/pgx/v5"
	"time"

	"tracegate"
	"tracegate/credit"
)

func enterpriseIDByUSCC(ctx context.Context, tx *Tx, uscc string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = $1", uscc).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", uscc)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: find enterprise: %w", err)
	}
	return id, nil
}

// SaveCreditGrade stores the score of uscc and the level change ch (when
// not nil) with its ledger leaf, in one transaction.
func (s *Store) SaveCreditGrade(ctx context.Context, uscc string, score float64, ch *credit.Change) error {
	return s.update(ctx, func(tx *Tx) error {
		// The ledger's sequencer lock also serialises the level changes.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
			return fmt.Errorf("postgres: ledger lock: %w", err)
		}
		eid, err := enterpriseIDByUSCC(ctx, tx, uscc)
		if err != nil {
			return err
		}
		var cur int
		err = tx.QueryRow(ctx, "SELECT level FROM credit_grades WHERE enterprise_id = $1", eid).Scan(&cur)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: credit grade: %w", err)
		}
		if ch == nil {
			if cur == 0 {
				return tracegate.Errorf(tracegate.ECONFLICT, "credit: %s has no level yet", uscc)
			}
			_, err := tx.Exec(ctx, "UPDATE credit_grades SET score = $1, computed_at = $2 WHERE enterprise_id = $3", score, tx.now, eid)
			if err != nil {
				return fmt.Errorf("postgres: credit grade: %w", err)
			}
			return nil
		}
		if cur != ch.Prev {
			return tracegate.Errorf(tracegate.ECONFLICT, "credit: the level of %s changed meanwhile (now %d, not %d)", uscc, cur, ch.Prev)
		}
		ch.USCC, ch.At = uscc, tx.now
		leaf, err := credit.ChangeLeaf(ch)
		if err != nil {
			return err
		}
		size, err := ledgerSize(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES ($1, $2)", size, leaf); err != nil {
			return fmt.Errorf("postgres: insert ledger entry: %w", err)
		}
		ch.LedgerIndex = size
		reasons, err := json.Marshal(ch.Reasons)
		if err != nil {
			return fmt.Errorf("postgres: credit reasons: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO credit_changes (enterprise_id, uscc, level, prev, score, reasons, at, ledger_idx)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, eid, uscc, ch.Level, ch.Prev, ch.Score, string(reasons), tx.now, size); err != nil {
			return fmt.Errorf("postgres: credit change: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO credit_grades (enterprise_id, level, score, since, computed_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (enterprise_id) DO UPDATE SET level = excluded.level, score = excluded.score, since = excluded.since,
			computed_at = excluded.computed_at`, eid, ch.Level, score, tx.now, tx.now); err != nil {
			return fmt.Errorf("postgres: credit grade: %w", err)
		}
		return appendTree(ctx, tx, size, [][]byte{leaf})
	})
}

// CreditLevels returns the level of every graded enterprise by USCC.
func (s *Store) CreditLevels(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, "SELECT e.uscc, g.level FROM credit_grades g JOIN enterprises e ON e.id = g.enterprise_id")
	if err != nil {
		return nil, fmt.Errorf("postgres: credit levels: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var u string
		var l int
		if err := rows.Scan(&u, &l); err != nil {
			return nil, fmt.Errorf("postgres: credit levels: %w", err)
		}
		out[u] = l
	}
	return out, rows.Err()
}

// CreditChanges returns the level changes since t, newest first.
func (s *Store) CreditChanges(ctx context.Context, since time.Time) ([]credit.Change, error) {
	rows, err := s.pool.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes
		WHERE at >= $1 ORDER BY at DESC, id DESC`, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: credit changes: %w", err)
	}
	return scanChanges(rows)
}

// CreditLedgerRecords yields every level change in ledger order, for the
// audit.
func (s *Store) CreditLedgerRecords(ctx context.Context, fn func(*credit.Change) error) error {
	rows, err := s.pool.Query(ctx, `SELECT uscc, level, prev, score, reasons, at, ledger_idx FROM credit_changes ORDER BY ledger_idx`)
	if err != nil {
		return fmt.Errorf("postgres: credit changes: %w", err)
	}
	all, err := scanChanges(rows)
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
	return s.update(ctx, func(tx *Tx) error {
		eid, err := enterpriseIDByUSCC(ctx, tx, r.USCC)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO credit_recognitions (enterprise_id, agency, level, at, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, eid, r.Agency, r.Level, r.At, r.Source, tx.now).Scan(&r.ID)
	})
}

// AddCreditAppeal stores an open appeal, or ECONFLICT when one is open
// against the same entry.
func (s *Store) AddCreditAppeal(ctx context.Context, a *credit.Appeal) error {
	return s.update(ctx, func(tx *Tx) error {
		eid, err := enterpriseIDByUSCC(ctx, tx, a.USCC)
		if err != nil {
			return err
		}
		a.Status, a.FiledAt = credit.AppealOpen, tx.now
		err = tx.QueryRow(ctx, `INSERT INTO credit_appeals (enterprise_id, ref, note, status, filed_at)
			VALUES ($1, $2, $3, 'open', $4) RETURNING id`, eid, a.Ref, a.Note, tx.now).Scan(&a.ID)
		if err != nil && isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "an appeal against %s is open already", a.Ref)
		}
		if err != nil {
			return fmt.Errorf("postgres: credit appeal: %w", err)
		}
		return nil
	})
}

// ResolveCreditAppeal closes the open appeal id.
func (s *Store) ResolveCreditAppeal(ctx context.Context, id int64, status credit.AppealStatus, resolution string) (*credit.Appeal, error) {
	var a *credit.Appeal
	err := s.update(ctx, func(tx *Tx) error {
		var eid int64
		var err error
		a, err = scanAppeal(tx.QueryRow(ctx, `SELECT a.id, a.enterprise_id, e.uscc, a.ref, a.note, a.status, a.resolution, a.filed_at, a.resolved_at
			FROM credit_appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = $1 FOR UPDATE OF a`, id), &eid)
		if err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return tracegate.Errorf(tracegate.ENOTFOUND, "no appeal %d", id)
			}
			return err
		}
		if a.Status != credit.AppealOpen {
			return tracegate.Errorf(tracegate.ECONFLICT, "appeal %d is %s already", id, a.Status)
		}
		a.Status, a.Resolution, a.ResolvedAt = status, resolution, &tx.now
		_, err = tx.Exec(ctx, "UPDATE credit_appeals SET status = $1, resolution = $2, resolved_at = $3 WHERE id = $4",
			string(status), resolution, tx.now, id)
		if err != nil {
			return fmt.Errorf("postgres: resolve credit appeal: %w", err)
		}
		return nil
	})
	return a, err
}
