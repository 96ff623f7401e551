package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tracegate/customs"
)

// The reads screening needs inside the intake's transaction, through the
// writer (what the transaction sees), as PostgreSQL's store does them.

// CustomsTables returns the latest version of each table kind.
func (c *customsTx) CustomsTables(ctx context.Context) ([]*customs.TableVersion, error) {
	rows, err := c.tx.QueryContext(ctx, customsTablesSQL)
	if err != nil {
		return nil, fmt.Errorf("sqlite: customs tables: %w", err)
	}
	return scanCustomsTables(rows)
}

// CodeOwner returns the USCC of the enterprise holding code confirmed, ""
// when none does.
func (c *customsTx) CodeOwner(ctx context.Context, code string) (string, error) {
	var uscc string
	err := c.queryRow(ctx, `SELECT e.uscc FROM customs_codes c JOIN enterprises e ON e.id = c.enterprise_id
		WHERE c.code = ? AND c.status = 'confirmed'`, strings.TrimSpace(code)).Scan(&uscc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("sqlite: code owner: %w", err)
	}
	return uscc, nil
}
