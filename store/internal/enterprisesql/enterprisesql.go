// Package enterprisesql is the enterprise and API key store both stores
// share (tracegate.EnterpriseStore): enterprises with their roles, and the
// hashes of their API keys. It is written against store/internal/sqldb; each
// store gives it its dialect, its read pool, its write transactions and the
// one expression that differs (the roles of an enterprise as one
// comma-separated column).
package enterprisesql

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate"
	"tracegate/store/internal/sqldb"
)

// Store implements tracegate.EnterpriseStore; a store embeds it (New).
type Store struct {
	d       sqldb.Dialect
	db      sqldb.Q // the read pool
	update  func(ctx context.Context, fn func(tx sqldb.Tx) error) error
	columns string // enterpriseColumns with the dialect's roles aggregate
}

// New is the enterprise store over db (the read pool) and the write
// transactions update runs. rolesColumn is the expression of an enterprise
// e's roles in position order, comma-separated (” for none).
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error, rolesColumn string) *Store {
	return &Store{d: d, db: db, update: update,
		columns: "e.id, e.uscc, e.name, e.name_en, e.status, e.created_at, e.updated_at, " + rolesColumn}
}

var _ tracegate.EnterpriseStore = (*Store)(nil)

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// CreateEnterprise stores e with its roles. It fails with ECONFLICT when the
// USCC is already registered.
func (s *Store) CreateEnterprise(ctx context.Context, e *tracegate.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx sqldb.Tx) error {
		now := s.d.Time(tx.Now())
		err := tx.QueryRow(ctx, `INSERT INTO enterprises (uscc, name, name_en, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.USCC, e.Name, e.NameEN, e.Status, now, now).Scan(&e.ID)
		if err != nil && s.d.Unique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "an enterprise with USCC %s is already registered", e.USCC)
		} else if err != nil {
			return s.errf("insert enterprise", err)
		}
		for i, r := range e.Roles {
			if _, err := tx.Exec(ctx, "INSERT INTO enterprise_roles (enterprise_id, role, position) VALUES (?, ?, ?)", e.ID, r, i); err != nil {
				return s.errf("insert enterprise role", err)
			}
		}
		e.CreatedAt, e.UpdatedAt = tx.Now(), tx.Now()
		return nil
	})
}

func (s *Store) scanEnterprise(row sqldb.Row) (*tracegate.Enterprise, error) {
	var e tracegate.Enterprise
	var roles *string
	if err := row.Scan(&e.ID, &e.USCC, &e.Name, &e.NameEN, &e.Status, s.d.TimeDest(&e.CreatedAt), s.d.TimeDest(&e.UpdatedAt), &roles); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.Roles = []tracegate.Role{}
	if roles != nil && *roles != "" {
		for _, r := range strings.Split(*roles, ",") {
			e.Roles = append(e.Roles, tracegate.Role(r))
		}
	}
	return &e, nil
}

// FindEnterprise returns the enterprise with id, or ENOTFOUND.
func (s *Store) FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error) {
	e, err := s.scanEnterprise(s.db.QueryRow(ctx, "SELECT "+s.columns+" FROM enterprises e WHERE e.id = ?", id))
	if err != nil && s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
	} else if err != nil {
		return nil, s.errf(fmt.Sprintf("find enterprise %d", id), err)
	}
	return e, nil
}

// FindEnterpriseByUSCC returns the enterprise with the given code, or ENOTFOUND.
func (s *Store) FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	e, err := s.scanEnterprise(s.db.QueryRow(ctx, "SELECT "+s.columns+" FROM enterprises e WHERE e.uscc = ?", code))
	if err != nil && s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with USCC %s", code)
	} else if err != nil {
		return nil, s.errf("find enterprise "+code, err)
	}
	return e, nil
}

// ListEnterprises returns the enterprises that match f in ID order.
func (s *Store) ListEnterprises(ctx context.Context, f tracegate.EnterpriseFilter) ([]*tracegate.Enterprise, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q := "SELECT " + s.columns + " FROM enterprises e"
	args := []any{}
	if f.Role != "" {
		q += " WHERE EXISTS (SELECT 1 FROM enterprise_roles r WHERE r.enterprise_id = e.id AND r.role = ?)"
		args = append(args, f.Role)
	}
	q += " ORDER BY e.id LIMIT ? OFFSET ?"
	args = append(args, limit, f.Offset)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("list enterprises", err)
	}
	defer rows.Close()
	out := []*tracegate.Enterprise{}
	for rows.Next() {
		e, err := s.scanEnterprise(rows)
		if err != nil {
			return nil, s.errf("list enterprises", err)
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
	return s.update(ctx, func(tx sqldb.Tx) error {
		n, err := tx.Exec(ctx, "UPDATE enterprises SET status = ?, updated_at = ? WHERE id = ?", st, s.d.Time(tx.Now()), id)
		if err != nil {
			return s.errf("set enterprise status", err)
		}
		if n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", id)
		}
		return nil
	})
}

// CreateAPIKey stores k's hash. It fails with ENOTFOUND when k's enterprise
// does not exist.
func (s *Store) CreateAPIKey(ctx context.Context, k *tracegate.APIKey) error {
	if len(k.Hash) == 0 {
		return tracegate.Errorf(tracegate.EINTERNAL, "%s: api key without hash", s.d.Name)
	}
	return s.update(ctx, func(tx sqldb.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_keys (enterprise_id, role, hash, hint, label, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, k.EnterpriseID, k.Role, k.Hash, k.Hint, k.Label, s.d.Time(tx.Now())).Scan(&k.ID)
		switch {
		case err != nil && s.d.ForeignKey(err):
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", k.EnterpriseID)
		case err != nil && s.d.Unique(err):
			return tracegate.Errorf(tracegate.ECONFLICT, "api key hash collision")
		case err != nil:
			return s.errf("insert api key", err)
		}
		k.CreatedAt = tx.Now()
		return nil
	})
}

const apiKeyColumns = "k.id, k.enterprise_id, k.role, k.hash, k.hint, k.label, k.created_at, k.revoked_at"

func (s *Store) scanAPIKey(row sqldb.Row) (*tracegate.APIKey, error) {
	var k tracegate.APIKey
	if err := row.Scan(&k.ID, &k.EnterpriseID, &k.Role, &k.Hash, &k.Hint, &k.Label, s.d.TimeDest(&k.CreatedAt), s.d.NullTimeDest(&k.RevokedAt)); err != nil {
		return nil, err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	if k.RevokedAt != nil {
		t := k.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return &k, nil
}

// FindAPIKeyByHash returns the key with hash and its enterprise, or ENOTFOUND.
func (s *Store) FindAPIKeyByHash(ctx context.Context, hash []byte) (*tracegate.APIKey, *tracegate.Enterprise, error) {
	k, err := s.scanAPIKey(s.db.QueryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.hash = ?", hash))
	if err != nil && s.d.NoRows(err) {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "unknown api key")
	} else if err != nil {
		return nil, nil, s.errf("find api key", err)
	}
	e, err := s.FindEnterprise(ctx, k.EnterpriseID)
	if err != nil {
		return nil, nil, err
	}
	return k, e, nil
}

// FindAPIKey returns the key with id, without its hash, or ENOTFOUND.
func (s *Store) FindAPIKey(ctx context.Context, id int64) (*tracegate.APIKey, error) {
	k, err := s.scanAPIKey(s.db.QueryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.id = ?", id))
	if err != nil && s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
	} else if err != nil {
		return nil, s.errf(fmt.Sprintf("find api key %d", id), err)
	}
	k.Hash = nil
	return k, nil
}

// ListAPIKeys returns an enterprise's keys in ID order.
func (s *Store) ListAPIKeys(ctx context.Context, enterpriseID int64) ([]*tracegate.APIKey, error) {
	rows, err := s.db.Query(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.enterprise_id = ? ORDER BY k.id", enterpriseID)
	if err != nil {
		return nil, s.errf("list api keys", err)
	}
	defer rows.Close()
	out := []*tracegate.APIKey{}
	for rows.Next() {
		k, err := s.scanAPIKey(rows)
		if err != nil {
			return nil, s.errf("list api keys", err)
		}
		k.Hash = nil
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey marks the key revoked. It fails with ENOTFOUND for an unknown
// key and ECONFLICT for one already revoked; the key's row is locked (or
// the store's writes serialised) for the check.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		var revoked *time.Time
		err := tx.QueryRow(ctx, "SELECT revoked_at FROM api_keys k WHERE id = ?"+s.d.ForUpdate("k"), id).Scan(s.d.NullTimeDest(&revoked))
		if err != nil && s.d.NoRows(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
		} else if err != nil {
			return s.errf("revoke api key", err)
		}
		if revoked != nil {
			return tracegate.Errorf(tracegate.ECONFLICT, "api key %d was already revoked at %s", id, revoked.UTC().Format("2006-01-02T15:04:05Z"))
		}
		if _, err := tx.Exec(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ?", s.d.Time(tx.Now()), id); err != nil {
			return s.errf("revoke api key", err)
		}
		return nil
	})
}
