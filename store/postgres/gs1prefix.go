package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/epcis"
)

var _ epcis.CompanyPrefixStore = (*Store)(nil)

// RegisterCompanyPrefix registers a GS1 company prefix to an enterprise.
func (s *Store) RegisterCompanyPrefix(ctx context.Context, enterpriseID int64, prefix string) error {
	prefix, err := epcis.ParseCompanyPrefix(prefix)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *Tx) error {
		var one int
		if err := tx.QueryRow(ctx, "SELECT 1 FROM enterprises WHERE id = $1", enterpriseID).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise %d", enterpriseID)
		} else if err != nil {
			return fmt.Errorf("postgres: find enterprise: %w", err)
		}
		var holder int64
		err := tx.QueryRow(ctx, `WITH ins AS (INSERT INTO gs1_company_prefixes (prefix, enterprise_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (prefix) DO NOTHING RETURNING enterprise_id)
			SELECT enterprise_id FROM ins UNION ALL SELECT enterprise_id FROM gs1_company_prefixes WHERE prefix = $1 LIMIT 1`,
			prefix, enterpriseID, tx.now).Scan(&holder)
		if err != nil {
			return fmt.Errorf("postgres: register company prefix: %w", err)
		}
		if holder != enterpriseID {
			return tracegate.Errorf(tracegate.ECONFLICT, "the GS1 company prefix %s is registered to another enterprise", prefix)
		}
		return nil
	})
}

// CompanyPrefixes lists an enterprise's GS1 company prefixes.
func (s *Store) CompanyPrefixes(ctx context.Context, enterpriseID int64) ([]string, error) {
	rows, err := s.pool.Query(ctx, "SELECT prefix FROM gs1_company_prefixes WHERE enterprise_id = $1 ORDER BY prefix", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("postgres: company prefixes: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: company prefixes: %w", err)
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// CompanyPrefixOwner returns the enterprise of the longest registered
// prefix of digits, or 0.
func (s *Store) CompanyPrefixOwner(ctx context.Context, digits string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE((SELECT enterprise_id FROM gs1_company_prefixes WHERE $1::text LIKE prefix || '%'
		ORDER BY length(prefix) DESC LIMIT 1), 0)`, digits).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: company prefix owner: %w", err)
	}
	return id, nil
}
