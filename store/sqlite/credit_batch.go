package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"tracegate"
	"tracegate/credit"
)

// SaveCreditChanges stores the level changes chs in one transaction: each
// with its reasons and score, their ledger leaves appended as one group.
func (s *Store) SaveCreditChanges(ctx context.Context, chs []*credit.Change) error {
	if len(chs) == 0 {
		return nil
	}
	return s.update(ctx, func(tx *Tx) error {
		cur, err := tx.PrepareContext(ctx, `SELECT e.id, COALESCE(g.level, 0) FROM enterprises e
			LEFT JOIN credit_grades g ON g.enterprise_id = e.id WHERE e.uscc = ?`)
		if err != nil {
			return fmt.Errorf("sqlite: credit grade: %w", err)
		}
		defer cur.Close()
		entry, err := tx.PrepareContext(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)")
		if err != nil {
			return fmt.Errorf("sqlite: insert ledger entry: %w", err)
		}
		defer entry.Close()
		change, err := tx.PrepareContext(ctx, `INSERT INTO credit_changes (enterprise_id, uscc, level, prev, score, reasons, at, ledger_idx)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("sqlite: credit change: %w", err)
		}
		defer change.Close()
		grade, err := tx.PrepareContext(ctx, `INSERT INTO credit_grades (enterprise_id, level, score, since, computed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (enterprise_id) DO UPDATE SET level = excluded.level, score = excluded.score, since = excluded.since,
			computed_at = excluded.computed_at`)
		if err != nil {
			return fmt.Errorf("sqlite: credit grade: %w", err)
		}
		defer grade.Close()
		size, err := ledgerSize(ctx, tx)
		if err != nil {
			return err
		}
		at := micro(tx.now)
		leaves := make([][]byte, 0, len(chs))
		for i, ch := range chs {
			var eid int64
			var level int
			err := cur.QueryRowContext(ctx, ch.USCC).Scan(&eid, &level)
			if errors.Is(err, sql.ErrNoRows) {
				return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", ch.USCC)
			}
			if err != nil {
				return fmt.Errorf("sqlite: credit grade: %w", err)
			}
			if level != ch.Prev {
				return tracegate.Errorf(tracegate.ECONFLICT, "credit: the level of %s changed meanwhile (now %d, not %d)", ch.USCC, level, ch.Prev)
			}
			ch.At, ch.LedgerIndex = tx.now, size+int64(i)
			leaf, err := credit.ChangeLeaf(ch)
			if err != nil {
				return err
			}
			leaves = append(leaves, leaf)
			reasons, err := json.Marshal(ch.Reasons)
			if err != nil {
				return fmt.Errorf("sqlite: credit reasons: %w", err)
			}
			if _, err := entry.ExecContext(ctx, ch.LedgerIndex, leaf); err != nil {
				return fmt.Errorf("sqlite: insert ledger entry: %w", err)
			}
			if _, err := change.ExecContext(ctx, eid, ch.USCC, ch.Level, ch.Prev, ch.Score, string(reasons), at, ch.LedgerIndex); err != nil {
				return fmt.Errorf("sqlite: credit change: %w", err)
			}
			if _, err := grade.ExecContext(ctx, eid, ch.Level, ch.Score, at, at); err != nil {
				return fmt.Errorf("sqlite: credit grade: %w", err)
			}
		}
		return appendTree(ctx, tx, size, leaves)
	})
}
