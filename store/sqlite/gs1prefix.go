package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
		var holder int64
		err := tx.QueryRowContext(ctx, "SELECT enterprise_id FROM gs1_company_prefixes WHERE prefix = ?", prefix).Scan(&holder)
		switch {
		case err == nil && holder == enterpriseID:
			return nil
		case err == nil:
			return tracegate.Errorf(tracegate.ECONFLICT, "the GS1 company prefix %s is registered to another enterprise", prefix)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlite: find company prefix: %w", err)
		}
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM enterprises WHERE id = ?", enterpriseID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no enterprise %d", enterpriseID)
		} else if err != nil {
			return fmt.Errorf("sqlite: find enterprise: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO gs1_company_prefixes (prefix, enterprise_id, created_at) VALUES (?, ?, ?)",
			prefix, enterpriseID, micro(tx.now)); err != nil {
			return fmt.Errorf("sqlite: register company prefix: %w", err)
		}
		return nil
	})
}

// CompanyPrefixes lists an enterprise's GS1 company prefixes.
func (s *Store) CompanyPrefixes(ctx context.Context, enterpriseID int64) ([]string, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT prefix FROM gs1_company_prefixes WHERE enterprise_id = ? ORDER BY prefix", enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: company prefixes: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("sqlite: company prefixes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CompanyPrefixOwner returns the enterprise of the longest registered
// prefix of digits, or 0.
func (s *Store) CompanyPrefixOwner(ctx context.Context, digits string) (int64, error) {
	var id int64
	err := s.reader.QueryRowContext(ctx, companyPrefixOwner, digits).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sqlite: company prefix owner: %w", err)
	}
	return id, nil
}

// companyPrefixOwner is the longest registered prefix's enterprise (or 0).
const companyPrefixOwner = "SELECT COALESCE((SELECT enterprise_id FROM gs1_company_prefixes WHERE ? LIKE prefix || '%' ORDER BY length(prefix) DESC LIMIT 1), 0)"
