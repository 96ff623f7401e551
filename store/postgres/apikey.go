package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
)

// CreateAPIKey stores k's hash. It fails with ENOTFOUND when k's enterprise
// does not exist.
func (s *Store) CreateAPIKey(ctx context.Context, k *tracegate.APIKey) error {
	if len(k.Hash) == 0 {
		return tracegate.Errorf(tracegate.EINTERNAL, "postgres: api key without hash")
	}
	return s.update(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_keys (enterprise_id, role, hash, hint, label, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, k.EnterpriseID, k.Role, k.Hash, k.Hint, k.Label, tx.now).Scan(&k.ID)
		if isForeignKey(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", k.EnterpriseID)
		} else if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "api key hash collision")
		} else if err != nil {
			return fmt.Errorf("postgres: insert api key: %w", err)
		}
		k.CreatedAt = tx.now
		return nil
	})
}

const apiKeyColumns = "k.id, k.enterprise_id, k.role, k.hash, k.hint, k.label, k.created_at, k.revoked_at"

func scanAPIKey(row pgx.Row) (*tracegate.APIKey, error) {
	var k tracegate.APIKey
	if err := row.Scan(&k.ID, &k.EnterpriseID, &k.Role, &k.Hash, &k.Hint, &k.Label, &k.CreatedAt, &k.RevokedAt); err != nil {
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
	k, err := scanAPIKey(s.pool.QueryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.hash = $1", hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "unknown api key")
	} else if err != nil {
		return nil, nil, fmt.Errorf("postgres: find api key: %w", err)
	}
	e, err := s.FindEnterprise(ctx, k.EnterpriseID)
	if err != nil {
		return nil, nil, err
	}
	return k, e, nil
}

// FindAPIKey returns the key with id, without its hash, or ENOTFOUND.
func (s *Store) FindAPIKey(ctx context.Context, id int64) (*tracegate.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find api key %d: %w", id, err)
	}
	k.Hash = nil
	return k, nil
}

// ListAPIKeys returns an enterprise's keys in ID order.
func (s *Store) ListAPIKeys(ctx context.Context, enterpriseID int64) ([]*tracegate.APIKey, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.enterprise_id = $1 ORDER BY k.id", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list api keys: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list api keys: %w", err)
		}
		k.Hash = nil
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey marks the key revoked. It fails with ENOTFOUND for an unknown
// key and ECONFLICT for one already revoked.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) error {
	return s.update(ctx, func(tx *Tx) error {
		var revoked *time.Time
		err := tx.QueryRow(ctx, "SELECT revoked_at FROM api_keys WHERE id = $1 FOR UPDATE", id).Scan(&revoked)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
		} else if err != nil {
			return fmt.Errorf("postgres: revoke api key: %w", err)
		}
		if revoked != nil {
			return tracegate.Errorf(tracegate.ECONFLICT, "api key %d was already revoked at %s", id, revoked.UTC().Format("2006-01-02T15:04:05Z"))
		}
		if _, err := tx.Exec(ctx, "UPDATE api_keys SET revoked_at = $1 WHERE id = $2", tx.now, id); err != nil {
			return fmt.Errorf("postgres: revoke api key: %w", err)
		}
		return nil
	})
}
