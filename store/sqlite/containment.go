package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

var (
	_              epcis.ContainmentStore = (*Store)(nil)
	sqliteContains                        = eventsql.Containment(false)
)

// applyContainment updates containment for a stored AggregationEvent.
func applyContainment(ctx context.Context, tx *Tx, r *epcis.Record) error {
	return sqliteContains.Apply(r, func(t time.Time) any { return t.UnixMicro() }, func(q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("sqlite: containment: %w", err)
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
	rows, err := s.readRows(ctx, sqliteContains.Contents, epcis.CanonicalEPC(parent), at.UnixMicro(), depth)
	if err != nil {
		return nil, fmt.Errorf("sqlite: contents: %w", err)
	}
	return scanContainment(rows)
}

// Containers returns the parents around child at time at, innermost first.
func (s *Store) Containers(ctx context.Context, child string, at time.Time) ([]epcis.Containment, error) {
	rows, err := s.readRows(ctx, sqliteContains.Containers, epcis.CanonicalEPC(child), at.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("sqlite: containers: %w", err)
	}
	return scanContainment(rows)
}

func scanContainment(rows *sql.Rows) ([]epcis.Containment, error) {
	defer rows.Close()
	out := []epcis.Containment{}
	for rows.Next() {
		var c epcis.Containment
		var from int64
		var to sql.NullInt64
		if err := rows.Scan(&c.Parent, &c.Child, &from, &to, &c.Depth, &c.AddSeq); err != nil {
			return nil, fmt.Errorf("sqlite: containment: %w", err)
		}
		c.From = fromMicro(from)
		if to.Valid {
			t := fromMicro(to.Int64)
			c.To = &t
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
