package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tracegate/lease"
)

var _ lease.Store = (*Store)(nil)

// AcquireLease takes name for holder when it is absent or expired, with the
// next token. The embedded store has one writer and usually one node, which
// takes every lease at once.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (int64, error) {
	var token int64
	err := s.update(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1, expires_at = excluded.expires_at
			WHERE leases.expires_at <= ?
			RETURNING token`, name, holder, micro(tx.now.Add(ttl)), micro(tx.now)).Scan(&token)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, lease.Held(name)
	} else if err != nil {
		return 0, fmt.Errorf("sqlite: acquire lease %s: %w", name, err)
	}
	return token, nil
}

// RenewLease extends the lease when holder still holds it under token.
func (s *Store) RenewLease(ctx context.Context, name, holder string, token int64, ttl time.Duration) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ? AND expires_at > ?`,
			micro(tx.now.Add(ttl)), name, holder, token, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: renew lease %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lease.Stale(name, token)
		}
		return nil
	})
}

// ReleaseLease expires the lease now when holder holds it under token.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string, token int64) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ? AND expires_at > ?`,
			micro(tx.now), name, holder, token, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: release lease %s: %w", name, err)
		}
		return nil
	})
}

// Leases lists the stored leases by name.
func (s *Store) Leases(ctx context.Context) ([]lease.Lease, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT name, holder, token, expires_at FROM leases ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("sqlite: leases: %w", err)
	}
	defer rows.Close()
	now := s.clock.Now()
	var out []lease.Lease
	for rows.Next() {
		var l lease.Lease
		var exp int64
		if err := rows.Scan(&l.Name, &l.Holder, &l.Token, &exp); err != nil {
			return nil, fmt.Errorf("sqlite: leases: %w", err)
		}
		l.Expires = fromMicro(exp)
		l.Held = l.Expires.After(now)
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkFence refuses a write transaction made under a lease (ctx carries
// its fence) whose token is no longer the lease's. The single writer keeps
// a takeover from interleaving with the write.
func checkFence(ctx context.Context, tx *Tx) error {
	f, ok := lease.FenceFrom(ctx)
	if !ok {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM leases WHERE name = ? AND token = ? AND expires_at > ?",
		f.Name, f.Token, micro(tx.now)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return lease.Stale(f.Name, f.Token)
	} else if err != nil {
		return fmt.Errorf("sqlite: check lease %s: %w", f.Name, err)
	}
	return nil
}
