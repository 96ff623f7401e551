package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tracegate"
)

// CreateEnterprise stores e with its roles. It fails with ECONFLICT when the
// USCC is already registered.
func (s *Store) CreateEnterprise(ctx context.Context, e *tracegate.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO enterprises (uscc, name, name_en, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, e.USCC, e.Name, e.NameEN, e.Status, micro(tx.now), micro(tx.now))
		if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "an enterprise with USCC %s is already registered", e.USCC)
		} else if err != nil {
			return fmt.Errorf("sqlite: insert enterprise: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("sqlite: insert enterprise: %w", err)
		}
		for i, r := range e.Roles {
			if _, err := tx.ExecContext(ctx, "INSERT INTO enterprise_roles (enterprise_id, role, position) VALUES (?, ?, ?)", id, r, i); err != nil {
				return fmt.Errorf("sqlite: insert enterprise role: %w", err)
			}
		}
		e.ID, e.CreatedAt, e.UpdatedAt = id, tx.now, tx.now
		return nil
	})
}

const enterpriseColumns = `e.id, e.uscc, e.name, e.name_en, e.status, e.created_at, e.updated_at,
	(SELECT group_concat(role, ',') FROM (SELECT role FROM enterprise_roles r WHERE r.enterprise_id = e.id ORDER BY position))`

func scanEnterprise(row rowScanner) (*tracegate.Enterprise, error) {
	var e tracegate.Enterprise
	var created, updated int64
	var roles sql.NullString
	if err := row.Scan(&e.ID, &e.USCC, &e.Name, &e.NameEN, &e.Status, &created, &updated, &roles); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = fromMicro(created), fromMicro(updated)
	e.Roles = splitRoles(roles.String)
	return &e, nil
}

func splitRoles(s string) []tracegate.Role {
	if s == "" {
		return []tracegate.Role{}
	}
	parts := strings.Split(s, ",")
	roles := make([]tracegate.Role, len(parts))
	for i, p := range parts {
		roles[i] = tracegate.Role(p)
	}
	return roles
}

// FindEnterprise returns the enterprise with id, or ENOTFOUND.
func (s *Store) FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error) {
	e, err := scanEnterprise(s.readRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE e.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find enterprise %d: %w", id, err)
	}
	return e, nil
}

// FindEnterpriseByUSCC returns the enterprise with the given code, or ENOTFOUND.
func (s *Store) FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	e, err := scanEnterprise(s.readRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE e.uscc = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", code)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find enterprise %s: %w", code, err)
	}
	return e, nil
}

// ListEnterprises returns the enterprises that match f in ID order.
func (s *Store) ListEnterprises(ctx context.Context, f tracegate.EnterpriseFilter) ([]*tracegate.Enterprise, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q := "SELECT " + enterpriseColumns + " FROM enterprises e"
	args := []any{}
	if f.Role != "" {
		q += " WHERE EXISTS (SELECT 1 FROM enterprise_roles r WHERE r.enterprise_id = e.id AND r.role = ?)"
		args = append(args, f.Role)
	}
	q += " ORDER BY e.id LIMIT ? OFFSET ?"
	args = append(args, limit, f.Offset)
	rows, err := s.readRows(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list enterprises: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.Enterprise{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list enterprises: %w", err)
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
		res, err := tx.ExecContext(ctx, "UPDATE enterprises SET status = ?, updated_at = ? WHERE id = ?", st, micro(tx.now), id)
		if err != nil {
			return fmt.Errorf("sqlite: set enterprise status: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
		}
		return nil
	})
}
