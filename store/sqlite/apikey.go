package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tracegate"
)

// CreateAPIKey stores k's hash. It fails with ENOTFOUND when k's enterprise
// does not exist.
func (s *Store) CreateAPIKey(ctx context.Context, k *tracegate.APIKey) error {
	if len(k.Hash) == 0 {
		return tracegate.Errorf(tracegate.EINTERNAL, "sqlite: api key without hash")
	}
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO api_keys (enterprise_id, role, hash, hint, label, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, k.EnterpriseID, k.Role, k.Hash, k.Hint, k.Label, micro(tx.now))
		if isForeignKey(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise with id %d", k.EnterpriseID)
		} else if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "api key hash collision")
		} else if err != nil {
			return fmt.Errorf("sqlite: insert api key: %w", err)
		}
		if k.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: insert api key: %w", err)
		}
		k.CreatedAt = tx.now
		return nil
	})
}

const apiKeyColumns = "k.id, k.enterprise_id, k.role, k.hash, k.hint, k.label, k.created_at, k.revoked_at"

func scanAPIKey(row rowScanner) (*tracegate.APIKey, error) {
	var k tracegate.APIKey
	var created int64
	var revoked sql.NullInt64
	if err := row.Scan(&k.ID, &k.EnterpriseID, &k.Role, &k.Hash, &k.Hint, &k.Label, &created, &revoked); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMicro(created)
	if revoked.Valid {
		t := fromMicro(revoked.Int64)
		k.RevokedAt = &t
	}
	return &k, nil
}

// FindAPIKeyByHash returns the key with hash and its enterprise, or ENOTFOUND.
func (s *Store) FindAPIKeyByHash(ctx context.Context, hash []byte) (*tracegate.APIKey, *tracegate.Enterprise, error) {
	k, err := scanAPIKey(s.readRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "unknown api key")
	} else if err != nil {
		return nil, nil, fmt.Errorf("sqlite: find api key: %w", err)
	}
	e, err := s.FindEnterprise(ctx, k.EnterpriseID)
	if err != nil {
		return nil, nil, err
	}
	return k, e, nil
}

// FindAPIKey returns the key with id, without its hash, or ENOTFOUND.
func (s *Store) FindAPIKey(ctx context.Context, id int64) (*tracegate.APIKey, error) {
	k, err := scanAPIKey(s.readRow(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find api key %d: %w", id, err)
	}
	k.Hash = nil
	return k, nil
}

// ListAPIKeys returns an enterprise's keys in ID order.
func (s *Store) ListAPIKeys(ctx context.Context, enterpriseID int64) ([]*tracegate.APIKey, error) {
	rows, err := s.readRows(ctx, "SELECT "+apiKeyColumns+" FROM api_keys k WHERE k.enterprise_id = ? ORDER BY k.id", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list api keys: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list api keys: %w", err)
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
		var revoked sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT revoked_at FROM api_keys WHERE id = ?", id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no api key with id %d", id)
		} else if err != nil {
			return fmt.Errorf("sqlite: revoke api key: %w", err)
		}
		if revoked.Valid {
			return tracegate.Errorf(tracegate.ECONFLICT, "api key %d was already revoked at %s", id, fromMicro(revoked.Int64).Format("2006-01-02T15:04:05Z"))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ?", micro(tx.now), id); err != nil {
			return fmt.Errorf("sqlite: revoke api key: %w", err)
		}
		return nil
	})
}
