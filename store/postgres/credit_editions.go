package postgres

import (
	"context"
	"errors"
	"fmt"
	"github.com/jackc/pgx/v5"
	"time"

	"tracegate"
	"tracegate/credit"
)

var _ credit.EditionStore = (*Store)(nil)

// CreditAtLevel returns the enterprises at level.
func (s *Store) CreditAtLevel(ctx context.Context, level int) ([]credit.Listed, error) {
	return s.listed(ctx, `SELECT e.uscc, e.name, g.since FROM credit_grades g JOIN enterprises e ON e.id = g.enterprise_id
		WHERE g.level = $1 ORDER BY e.uscc`, level)
}

// CreditRemovals returns the enterprises that left level since t and are
// not back at it.
func (s *Store) CreditRemovals(ctx context.Context, level int, since time.Time) ([]credit.Listed, error) {
	return s.listed(ctx, `SELECT e.uscc, e.name, MAX(c.at) FROM credit_changes c JOIN enterprises e ON e.id = c.enterprise_id
		JOIN credit_grades g ON g.enterprise_id = c.enterprise_id
		WHERE c.prev = $1 AND c.level <> c.prev AND c.at >= $2 AND g.level <> c.prev GROUP BY e.uscc, e.name ORDER BY e.uscc`, level, since)
}

func (s *Store) listed(ctx context.Context, q string, args ...any) ([]credit.Listed, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: credit listed: %w", err)
	}
	defer rows.Close()
	var out []credit.Listed
	for rows.Next() {
		var l credit.Listed
		var at time.Time
		if err := rows.Scan(&l.USCC, &l.Name, &at); err != nil {
			return nil, fmt.Errorf("postgres: credit listed: %w", err)
		}
		l.Since = at
		out = append(out, l)
	}
	return out, rows.Err()
}

// SaveCreditEdition stores the next edition with its ledger leaf.
func (s *Store) SaveCreditEdition(ctx context.Context, publisher string, build func(int64, time.Time) ([]byte, error)) (*credit.Edition, error) {
	e := &credit.Edition{Publisher: publisher}
	err := s.update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
			return fmt.Errorf("postgres: ledger lock: %w", err)
		}
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM credit_editions").Scan(&e.Edition); err != nil {
			return fmt.Errorf("postgres: credit edition: %w", err)
		}
		e.PublishedAt = tx.now
		body, err := build(e.Edition, tx.now)
		if err != nil {
			return err
		}
		e.Body = body
		leaf, err := credit.EditionLeaf(e)
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
		e.LedgerIndex = size
		if _, err := tx.Exec(ctx, `INSERT INTO credit_editions (number, published_at, publisher, body, ledger_idx) VALUES ($1, $2, $3, $4, $5)`,
			e.Edition, tx.now, publisher, body, size); err != nil {
			return fmt.Errorf("postgres: credit edition: %w", err)
		}
		return appendTree(ctx, tx, size, [][]byte{leaf})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// CreditEdition returns edition number, the latest for 0, or ENOTFOUND.
func (s *Store) CreditEdition(ctx context.Context, number int64) (*credit.Edition, error) {
	q := "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions WHERE number = $1"
	args := []any{number}
	if number == 0 {
		q, args = "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions ORDER BY number DESC LIMIT 1", nil
	}
	e, err := scanEdition(s.pool.QueryRow(ctx, q, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		if number == 0 {
			return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no edition of the blacklist has been published yet")
		}
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no edition %d of the blacklist", number)
	}
	return e, err
}

// CreditEditions yields every edition in ledger order.
func (s *Store) CreditEditions(ctx context.Context, fn func(*credit.Edition) error) error {
	rows, err := s.pool.Query(ctx, "SELECT number, published_at, publisher, body, ledger_idx FROM credit_editions ORDER BY ledger_idx")
	if err != nil {
		return fmt.Errorf("postgres: credit editions: %w", err)
	}
	var all []*credit.Edition
	for rows.Next() {
		e, err := scanEdition(rows)
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: credit editions: %w", err)
	}
	for _, e := range all {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func scanEdition(row interface{ Scan(...any) error }) (*credit.Edition, error) {
	var e credit.Edition
	var at time.Time
	if err := row.Scan(&e.Edition, &at, &e.Publisher, &e.Body, &e.LedgerIndex); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("postgres: credit edition: %w", err)
	}
	e.PublishedAt = at
	return &e, nil
}
