package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/lease"
)

var _ lease.Store = (*Store)(nil)

// AcquireLease takes name for holder when it is absent or expired by the
// database's clock, with the next token.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (int64, error) {
	var token int64
	err := s.pool.QueryRow(ctx, `INSERT INTO leases AS l (name, holder, token, expires_at)
		VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 microsecond')
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, token = l.token + 1, expires_at = EXCLUDED.expires_at
		WHERE l.expires_at <= clock_timestamp()
		RETURNING token`, name, holder, ttl.Microseconds()).Scan(&token)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, lease.Held(name)
	} else if err != nil {
		return 0, fmt.Errorf("postgres: acquire lease %s: %w", name, err)
	}
	return token, nil
}

// RenewLease extends the lease when holder still holds it under token.
func (s *Store) RenewLease(ctx context.Context, name, holder string, token int64, ttl time.Duration) error {
	tag, err := s.pool.Exec(ctx, `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 microsecond'
		WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp()`, name, holder, token, ttl.Microseconds())
	if err != nil {
		return fmt.Errorf("postgres: renew lease %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return lease.Stale(name, token)
	}
	return nil
}

// ReleaseLease expires the lease now when holder holds it under token.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string, token int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE leases SET expires_at = clock_timestamp()
		WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp()`, name, holder, token)
	if err != nil {
		return fmt.Errorf("postgres: release lease %s: %w", name, err)
	}
	return nil
}

// Leases lists the stored leases by name.
func (s *Store) Leases(ctx context.Context) ([]lease.Lease, error) {
	rows, err := s.pool.Query(ctx, "SELECT name, holder, token, expires_at, expires_at > clock_timestamp() FROM leases ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("postgres: leases: %w", err)
	}
	defer rows.Close()
	var out []lease.Lease
	for rows.Next() {
		var l lease.Lease
		if err := rows.Scan(&l.Name, &l.Holder, &l.Token, &l.Expires, &l.Held); err != nil {
			return nil, fmt.Errorf("postgres: leases: %w", err)
		}
		l.Expires = l.Expires.UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// checkFence refuses the transaction of a write made under a lease (ctx
// carries its fence) whose token is no longer the lease's, and locks the
// lease row until the transaction ends, so no other node takes the lease
// over while the write is in flight.
func checkFence(ctx context.Context, tx pgx.Tx) error {
	f, ok := lease.FenceFrom(ctx)
	if !ok {
		return nil
	}
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM leases WHERE name = $1 AND token = $2 AND expires_at > clock_timestamp() FOR SHARE",
		f.Name, f.Token).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return lease.Stale(f.Name, f.Token)
	} else if err != nil {
		return fmt.Errorf("postgres: check lease %s: %w", f.Name, err)
	}
	return nil
}
