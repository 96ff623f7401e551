// Package consolesql is the console's store both stores share: users,
// server-side sessions and the audit trail (tracegate.UserStore), and the
// aggregates of the regulator's dashboard (tracegate.DashboardStore). It is
// written against store/internal/sqldb; each store gives it its dialect,
// its read pool, its write transactions and the two expressions that
// differ (a time column's day number, an inventory's port of entry).
package consolesql

import (
	"context"
	"fmt"
	"time"

	"tracegate"
	"tracegate/store/internal/sqldb"
)

// Store implements tracegate.UserStore and tracegate.DashboardStore; a
// store embeds it (New).
type Store struct {
	d      sqldb.Dialect
	db     sqldb.Q
	update func(ctx context.Context, fn func(tx sqldb.Tx) error) error
	exprs  Exprs
}

// Exprs are the SQL expressions that differ between the stores.
type Exprs struct {
	// Day turns a time column into its UTC day number (days since
	// 1970-01-01) as an integer: Day("d.decided_at").
	Day func(col string) string
	// Port is the port of entry (the inventory's portCode) of the
	// customs_declarations row aliased c.
	Port string
}

var (
	_ tracegate.UserStore      = (*Store)(nil)
	_ tracegate.DashboardStore = (*Store)(nil)
)

// New is the console store over db (the read pool) and the write
// transactions update runs.
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error, exprs Exprs) *Store {
	return &Store{d: d, db: db, update: update, exprs: exprs}
}

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// exec runs one statement in a write transaction and returns the rows it
// changed.
func (s *Store) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	var n int64
	err := s.update(ctx, func(tx sqldb.Tx) error {
		var err error
		n, err = tx.Exec(ctx, query, args...)
		return err
	})
	if err != nil {
		return 0, s.errf(what, err)
	}
	return n, nil
}

const userColumns = `id, enterprise_id, login, name, role, admin, lang, disabled, password_hash, failures, locked_until, created_by, created_at`

func (s *Store) scanUser(row sqldb.Row) (*tracegate.User, error) {
	u := &tracegate.User{}
	var role string
	err := row.Scan(&u.ID, &u.EnterpriseID, &u.Login, &u.Name, &role, &u.Admin, &u.Lang, &u.Disabled, &u.PasswordHash,
		&u.Failures, s.d.NullTimeDest(&u.LockedUntil), &u.CreatedBy, s.d.TimeDest(&u.CreatedAt))
	u.Role = tracegate.Role(role)
	return u, err
}

// CreateUser stores u; ECONFLICT when its login is taken.
func (s *Store) CreateUser(ctx context.Context, u *tracegate.User) error {
	if u.Lang == "" {
		u.Lang = "zh"
	}
	err := s.update(ctx, func(tx sqldb.Tx) error {
		u.CreatedAt = tx.Now()
		return tx.QueryRow(ctx, `INSERT INTO users (enterprise_id, login, name, role, admin, lang, disabled, password_hash, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.EnterpriseID, u.Login, u.Name, string(u.Role), u.Admin, u.Lang, u.Disabled, u.PasswordHash, u.CreatedBy,
			s.d.Time(u.CreatedAt)).Scan(&u.ID)
	})
	if s.d.Unique(err) {
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/login", Message: fmt.Sprintf("the login %q is taken", u.Login)}
	}
	if err != nil {
		return s.errf("create user", err)
	}
	return nil
}

// FindUser returns the user with id, or ENOTFOUND.
func (s *Store) FindUser(ctx context.Context, id int64) (*tracegate.User, error) {
	u, err := s.scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no user %d", id)
	}
	if err != nil {
		return nil, s.errf("find user", err)
	}
	return u, nil
}

// FindUserByLogin returns the user of a normalized login, or ENOTFOUND.
func (s *Store) FindUserByLogin(ctx context.Context, login string) (*tracegate.User, error) {
	u, err := s.scanUser(s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE login = ?`, login))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no user %q", login)
	}
	if err != nil {
		return nil, s.errf("find user", err)
	}
	return u, nil
}

// ListUsers returns the users of an enterprise (0: all), by login.
func (s *Store) ListUsers(ctx context.Context, enterpriseID int64) ([]*tracegate.User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE ? = 0 OR enterprise_id = ? ORDER BY login`, enterpriseID, enterpriseID)
	if err != nil {
		return nil, s.errf("list users", err)
	}
	defer rows.Close()
	var out []*tracegate.User
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return nil, s.errf("list users", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// changeUser runs a statement on one user and ends its sessions when
// endSessions; ENOTFOUND when no user has id.
func (s *Store) changeUser(ctx context.Context, what string, id int64, endSessions bool, query string, args ...any) error {
	var n int64
	err := s.update(ctx, func(tx sqldb.Tx) error {
		var err error
		if n, err = tx.Exec(ctx, query, args...); err != nil || n == 0 || !endSessions {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM console_sessions WHERE user_id = ?`, id)
		return err
	})
	if err != nil {
		return s.errf(what, err)
	}
	if n == 0 {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no user %d", id)
	}
	return nil
}

// SetUserPassword replaces the hash, clears the lock-out, ends sessions.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	return s.changeUser(ctx, "set password", id, true,
		`UPDATE users SET password_hash = ?, failures = 0, locked_until = NULL WHERE id = ?`, hash, id)
}

// SetUserDisabled disables (ending its sessions) or enables a user.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.changeUser(ctx, "disable user", id, disabled, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, id)
}

// SetUserLang records the language a user chose.
func (s *Store) SetUserLang(ctx context.Context, id int64, lang string) error {
	return s.changeUser(ctx, "set language", id, false, `UPDATE users SET lang = ? WHERE id = ?`, lang, id)
}

// RecordSignIn clears a user's failures on success, or adds one and locks
// the user until lockUntil once they reach maxFailures.
func (s *Store) RecordSignIn(ctx context.Context, id int64, ok bool, maxFailures int, lockUntil time.Time) (int, error) {
	var failures int
	err := s.update(ctx, func(tx sqldb.Tx) error {
		if ok {
			_, err := tx.Exec(ctx, `UPDATE users SET failures = 0, locked_until = NULL WHERE id = ?`, id)
			return err
		}
		if err := tx.QueryRow(ctx, `UPDATE users SET failures = failures + 1 WHERE id = ? RETURNING failures`, id).Scan(&failures); err != nil {
			return err
		}
		if failures >= maxFailures {
			_, err := tx.Exec(ctx, `UPDATE users SET locked_until = ?, failures = 0 WHERE id = ?`, s.d.Time(lockUntil), id)
			return err
		}
		return nil
	})
	if s.d.NoRows(err) {
		return 0, tracegate.Errorf(tracegate.ENOTFOUND, "no user %d", id)
	}
	if err != nil {
		return 0, s.errf("record sign-in", err)
	}
	return failures, nil
}
