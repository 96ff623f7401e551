package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/customs"
)

// The reads screening needs inside the intake's transaction. They go
// through the transaction, never the pool: the intake holds the ledger's
// lock, and a read waiting for a pooled connection that other intakes hold
// while they wait for that lock would deadlock a small pool.

// CustomsTables returns the latest version of each table kind.
func (c *customsTx) CustomsTables(ctx context.Context) ([]*customs.TableVersion, error) {
	if err := c.flush(ctx); err != nil {
		return nil, err
	}
	return customsTables(ctx, c.tx)
}

// CodeOwner returns the USCC of the enterprise holding code confirmed, ""
// when none does.
func (c *customsTx) CodeOwner(ctx context.Context, code string) (string, error) {
	if err := c.flush(ctx); err != nil {
		return "", err
	}
	var uscc string
	err := c.tx.QueryRow(ctx, `SELECT e.uscc FROM customs_codes c JOIN enterprises e ON e.id = c.enterprise_id
		WHERE c.code = $1 AND c.status = 'confirmed'`, strings.TrimSpace(code)).Scan(&uscc)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("postgres: code owner: %w", err)
	}
	return uscc, nil
}
