package creditsql

import (
	"context"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/store/internal/sqldb"
)

// CreditAtLevel returns the enterprises at level.
func (s *Store) CreditAtLevel(ctx context.Context, level int) ([]credit.Listed, error) {
	return s.listed(ctx, `SELECT e.uscc, e.name, g.since FROM credit_grades g JOIN enterprises e ON e.id = g.enterprise_id
		WHERE g.level = ? ORDER BY e.uscc`, level)
}

// CreditRemovals returns the enterprises that left level since t and are
// not back at it.
func (s *Store) CreditRemovals(ctx context.Context, level int, since time.Time) ([]credit.Listed, error) {
	return s.listed(ctx, `SELECT e.uscc, e.name, MAX(c.at) FROM credit_changes c JOIN enterprises e ON e.id = c.enterprise_id
		JOIN credit_grades g ON g.enterprise_id = c.enterprise_id
		WHERE c.prev = ? AND c.level <> c.prev AND c.at >= ? AND g.level <> c.prev GROUP BY e.uscc, e.name ORDER BY e.uscc`, level, s.d.Time(since))
}

func (s *Store) listed(ctx context.Context, q string, args ...any) ([]credit.Listed, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("credit listed", err)
	}
	defer rows.Close()
	var out []credit.Listed
	for rows.Next() {
		var l credit.Listed
		if err := rows.Scan(&l.USCC, &l.Name, s.d.TimeDest(&l.Since)); err != nil {
			return nil, s.errf("credit listed", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// SaveCreditEdition stores the next edition with its ledger leaf.
func (s *Store) SaveCreditEdition(ctx context.Context, publisher string, build func(int64, time.Time) ([]byte, error)) (*credit.Edition, error) {
	e := &credit.Edition{Publisher: publisher}
	err := s.update(ctx, func(tx sqldb.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM credit_editions").Scan(&e.Edition); err != nil {
			return s.errf("credit edition", err)
		}
		e.PublishedAt = tx.Now()
		body, err := build(e.Edition, e.PublishedAt)
		if err != nil {
			return err
		}
		e.Body = body
		leaf, err := credit.EditionLeaf(e)
		if err != nil {
			return err
		}
		if e.LedgerIndex, err = tx.AppendLeaves(ctx, [][]byte{leaf}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO credit_editions (number, published_at, publisher, body, ledger_idx) VALUES (?, ?, ?, ?, ?)`,
			e.Edition, s.d.Time(e.PublishedAt), publisher, body, e.LedgerIndex); err != nil {
			return s.errf("credit edition", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// CreditEdition returns edition number, the latest for 0, or ENOTFOUND.
func (s *Store) CreditEdition(ctx context.Context, number int64) (*credit.Edition, error) {
	q := "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions WHERE number = ?"
	args := []any{number}
	if number == 0 {
		q, args = "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions ORDER BY number DESC LIMIT 1", nil
	}
	e, err := s.scanEdition(s.db.QueryRow(ctx, q, args...))
	if s.d.NoRows(err) {
		if number == 0 {
			return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no edition of the blacklist has been published yet")
		}
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no edition %d of the blacklist", number)
	}
	return e, err
}

// CreditEditions yields every edition in ledger order.
func (s *Store) CreditEditions(ctx context.Context, fn func(*credit.Edition) error) error {
	rows, err := s.db.Query(ctx, "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions ORDER BY ledger_idx")
	if err != nil {
		return s.errf("credit editions", err)
	}
	var all []*credit.Edition
	for rows.Next() {
		e, err := s.scanEdition(rows)
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.errf("credit editions", err)
	}
	for _, e := range all {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) scanEdition(row sqldb.Row) (*credit.Edition, error) {
	var e credit.Edition
	if err := row.Scan(&e.Edition, s.d.TimeDest(&e.PublishedAt), &e.Publisher, &e.Body, &e.LedgerIndex); err != nil {
		if s.d.NoRows(err) {
			return nil, err
		}
		return nil, s.errf("credit edition", err)
	}
	return &e, nil
}
