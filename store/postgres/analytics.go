package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/customs"
	"tracegate/risk"
	"tracegate/store/internal/analyticssql"
	"tracegate/store/internal/eventsql"
)

// The analytics store is store/internal/analyticssql's; this file keeps
// the full scan and the projection's writes in the customs transaction.

var _ risk.AnalyticsStore = (*Store)(nil)

// analyticsStore is embedded in Store: its methods are the store's.
type analyticsStore = analyticssql.Store

// ScanDeclaredLines implements risk.AnalyticsStore: the full scan is one
// streaming query (pgx reads the rows as they come) in GTIN order, in a
// read-only transaction whose work_mem lets the sort stay in memory.
func (s *Store) ScanDeclaredLines(ctx context.Context, gtins []int64, fn func(*risk.Line) error) error {
	if gtins != nil {
		return s.analyticsStore.ScanSome(ctx, gtins, fn)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: scan declared lines: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET TRANSACTION READ ONLY"); err != nil {
		return fmt.Errorf("postgres: scan declared lines: %w", err)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '512MB'"); err != nil {
		return fmt.Errorf("postgres: scan declared lines: %w", err)
	}
	rows, err := tx.Query(ctx, "SELECT "+analyticssql.LineColumns+" FROM risk_lines ORDER BY gtin, declaration_id, gnum")
	if err != nil {
		return fmt.Errorf("postgres: scan declared lines: %w", err)
	}
	defer rows.Close()
	var l risk.Line
	for rows.Next() {
		if err := risk.DecodeLine(rows.RawValues()[0], &l); err != nil {
			return fmt.Errorf("postgres: scan declared lines: %w", err)
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: scan declared lines: %w", err)
	}
	return nil
}

// The shared statements of the declared lines, numbered once for pgx.
var (
	pgDeclarantSQL   = eventsql.Rebind(pgDialect, analyticssql.DeclarantSQL)
	pgDeleteLinesSQL = eventsql.Rebind(pgDialect, analyticssql.DeleteLinesSQL)
	pgInsertLineSQL  = eventsql.Rebind(pgDialect, analyticssql.InsertLineSQL)
	pgInsertSpecSQL  = eventsql.Rebind(pgDialect, analyticssql.InsertSpecSQL)
)

// SaveDeclaredLines implements customs.StoreTx: queued with the other
// writes nothing waits for.
func (c *customsTx) SaveDeclaredLines(ctx context.Context, declarationID, seq int64, uscc string, lines []customs.DeclaredLine) error {
	if err := c.flush(ctx); err != nil {
		return err
	}
	var declarant int64
	if err := c.tx.QueryRow(ctx, pgDeclarantSQL, uscc).Scan(&declarant); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: declarant: %w", err)
	}
	c.later("delete declared lines", pgDeleteLinesSQL, declarationID)
	for _, l := range lines {
		pl := analyticssql.ProjectLine(declarationID, declarant, l)
		c.later("save declared line", pgInsertLineSQL, analyticssql.LineArgs(seq, l.Gnum, &pl)...)
		c.later("save specification", pgInsertSpecSQL, risk.SpecHash(l.Gmodel), l.Gmodel)
	}
	return nil
}
