package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/credit"
)

// SaveCreditChanges stores the level changes chs in one transaction: each
// with its reasons and score, their ledger leaves appended as one group;
// the writes go in one round trip.
func (s *Store) SaveCreditChanges(ctx context.Context, chs []*credit.Change) error {
	if len(chs) == 0 {
		return nil
	}
	return s.update(ctx, func(tx *Tx) error {
		// The ledger's sequencer lock also serialises the level changes.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
			return fmt.Errorf("postgres: ledger lock: %w", err)
		}
		usccs := make([]string, len(chs))
		for i, ch := range chs {
			usccs[i] = ch.USCC
		}
		type current struct {
			id    int64
			level int
		}
		cur := make(map[string]current, len(chs))
		rows, err := tx.Query(ctx, `SELECT e.uscc, e.id, COALESCE(g.level, 0) FROM enterprises e
			LEFT JOIN credit_grades g ON g.enterprise_id = e.id WHERE e.uscc = ANY($1)`, usccs)
		if err != nil {
			return fmt.Errorf("postgres: credit grades: %w", err)
		}
		for rows.Next() {
			var u string
			var c current
			if err := rows.Scan(&u, &c.id, &c.level); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: credit grades: %w", err)
			}
			cur[u] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: credit grades: %w", err)
		}
		size, err := ledgerSize(ctx, tx)
		if err != nil {
			return err
		}
		var batch pgx.Batch
		leaves := make([][]byte, 0, len(chs))
		for i, ch := range chs {
			c, ok := cur[ch.USCC]
			if !ok {
				return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", ch.USCC)
			}
			if c.level != ch.Prev {
				return tracegate.Errorf(tracegate.ECONFLICT, "credit: the level of %s changed meanwhile (now %d, not %d)", ch.USCC, c.level, ch.Prev)
			}
			ch.At, ch.LedgerIndex = tx.now, size+int64(i)
			leaf, err := credit.ChangeLeaf(ch)
			if err != nil {
				return err
			}
			leaves = append(leaves, leaf)
			reasons, err := json.Marshal(ch.Reasons)
			if err != nil {
				return fmt.Errorf("postgres: credit reasons: %w", err)
			}
			batch.Queue("INSERT INTO ledger_entries (idx, leaf) VALUES ($1, $2)", ch.LedgerIndex, leaf)
			batch.Queue(`INSERT INTO credit_changes (enterprise_id, uscc, level, prev, score, reasons, at, ledger_idx)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.id, ch.USCC, ch.Level, ch.Prev, ch.Score, string(reasons), tx.now, ch.LedgerIndex)
			batch.Queue(`INSERT INTO credit_grades (enterprise_id, level, score, since, computed_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (enterprise_id) DO UPDATE SET level = excluded.level, score = excluded.score, since = excluded.since,
				computed_at = excluded.computed_at`, c.id, ch.Level, ch.Score, tx.now, tx.now)
		}
		if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
			return fmt.Errorf("postgres: credit changes: %w", err)
		}
		return appendTree(ctx, tx, size, leaves)
	})
}
