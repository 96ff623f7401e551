package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

var (
	_          epcis.ContainmentStore = (*Store)(nil)
	pgContains                        = eventsql.Containment(true)
)

// applyContainment updates containment for a stored AggregationEvent.
func applyContainment(ctx context.Context, tx *Tx, r *epcis.Record) error {
	return pgContains.Apply(r, func(t time.Time) any { return t }, func(q string, args ...any) error {
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("postgres: containment: %w", err)
		}
		return nil
	})
}

// Contents returns what was inside parent at time at.
func (s *Store) Contents(ctx context.Context, parent string, at time.Time, deep bool) ([]epcis.Containment, error) {
	depth := 1
	if deep {
		depth = eventsql.MaxDepth
	}
	rows, err := s.pool.Query(ctx, pgContains.Contents, epcis.CanonicalEPC(parent), at, depth)
	if err != nil {
		return nil, fmt.Errorf("postgres: contents: %w", err)
	}
	return scanContainment(rows)
}

// Containers returns the parents around child at time at, innermost first.
func (s *Store) Containers(ctx context.Context, child string, at time.Time) ([]epcis.Containment, error) {
	rows, err := s.pool.Query(ctx, pgContains.Containers, epcis.CanonicalEPC(child), at)
	if err != nil {
		return nil, fmt.Errorf("postgres: containers: %w", err)
	}
	return scanContainment(rows)
}

func scanContainment(rows pgx.Rows) ([]epcis.Containment, error) {
	defer rows.Close()
	out := []epcis.Containment{}
	for rows.Next() {
		var c epcis.Containment
		if err := rows.Scan(&c.Parent, &c.Child, &c.From, &c.To, &c.Depth, &c.AddSeq); err != nil {
			return nil, fmt.Errorf("postgres: containment: %w", err)
		}
		c.From = c.From.UTC()
		if c.To != nil {
			t := c.To.UTC()
			c.To = &t
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
