package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate"
)

// CreateEnterprise stores e with its roles. It fails with ECONFLICT when the
// USCC is already registered.
func (s *Store) CreateEnterprise(ctx context.Context, e *tracegate.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO enterprises (uscc, name, name_en, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, e.USCC, e.Name, e.NameEN, e.Status, tx.now).Scan(&e.ID)
		if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "an enterprise with USCC %s is already registered", e.USCC)
		} else if err != nil {
			return fmt.Errorf("postgres: insert enterprise: %w", err)
		}
		for i, r := range e.Roles {
			if _, err := tx.Exec(ctx, "INSERT INTO enterprise_roles (enterprise_id, role, position) VALUES ($1, $2, $3)", e.ID, r, i); err != nil {
				return fmt.Errorf("postgres: insert enterprise role: %w", err)
			}
		}
		e.CreatedAt, e.UpdatedAt = tx.now, tx.now
		return nil
	})
}

const enterpriseColumns = `e.id, e.uscc, e.name, e.name_en, e.status, e.created_at, e.updated_at,
	COALESCE((SELECT string_agg(role, ',' ORDER BY position) FROM enterprise_roles r WHERE r.enterprise_id = e.id), '')`

func scanEnterprise(row pgx.Row) (*tracegate.Enterprise, error) {
	var e tracegate.Enterprise
	var roles string
	if err := row.Scan(&e.ID, &e.USCC, &e.Name, &e.NameEN, &e.Status, &e.CreatedAt, &e.UpdatedAt, &roles); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.Roles = []tracegate.Role{}
	if roles != "" {
		for _, r := range strings.Split(roles, ",") {
			e.Roles = append(e.Roles, tracegate.Role(r))
		}
	}
	return &e, nil
}

// FindEnterprise returns the enterprise with id, or ENOTFOUND.
func (s *Store) FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error) {
	e, err := scanEnterprise(s.pool.QueryRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE e.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find enterprise %d: %w", id, err)
	}
	return e, nil
}

// FindEnterpriseByUSCC returns the enterprise with the given code, or ENOTFOUND.
func (s *Store) FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	e, err := scanEnterprise(s.pool.QueryRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE e.uscc = $1", code))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", code)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find enterprise %s: %w", code, err)
	}
	return e, nil
}

// ListEnterprises returns the enterprises that match f in ID order.
func (s *Store) ListEnterprises(ctx context.Context, f tracegate.EnterpriseFilter) ([]*tracegate.Enterprise, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q := "SELECT " + enterpriseColumns + " FROM enterprises e WHERE ($1 = '' OR EXISTS (SELECT 1 FROM enterprise_roles r WHERE r.enterprise_id = e.id AND r.role = $1)) ORDER BY e.id LIMIT $2 OFFSET $3"
	rows, err := s.pool.Query(ctx, q, string(f.Role), limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: list enterprises: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.Enterprise{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list enterprises: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetEnterpriseStatus changes an enterprise's status, or fails with ENOTFOUND.
func (s *Store) SetEnterpriseStatus(ctx context.Context, id int64, st tracegate.EnterpriseStatus) error {
	if st != tracegate.EnterpriseActive && st != tracegate.EnterpriseSuspended {
		return tracegate.Invalidf("/status", "unknown status %q", st)
	}
	return s.update(ctx, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE enterprises SET status = $1, updated_at = $2 WHERE id = $3", st, tx.now, id)
		if err != nil {
			return fmt.Errorf("postgres: set enterprise status: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
		}
		return nil
	})
}
