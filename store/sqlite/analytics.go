package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tracegate/customs"
	"tracegate/risk"
	"tracegate/store/internal/analyticssql"
)

// The analytics store is store/internal/analyticssql's; this file keeps
// the full scan and the projection's writes in the customs transaction.

var _ risk.AnalyticsStore = (*Store)(nil)

// analyticsStore is embedded in Store: its methods are the store's.
type analyticsStore = analyticssql.Store

// ScanDeclaredLines implements risk.AnalyticsStore: the full scan reads
// the WITHOUT ROWID table in its key order (GTIN first), one sequential
// pass over its B-tree on a read connection.
func (s *Store) ScanDeclaredLines(ctx context.Context, gtins []int64, fn func(*risk.Line) error) error {
	if gtins != nil {
		return s.analyticsStore.ScanSome(ctx, gtins, fn)
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT "+analyticssql.LineColumns+" FROM risk_lines ORDER BY gtin, declaration_id, gnum")
	if err != nil {
		return fmt.Errorf("sqlite: scan declared lines: %w", err)
	}
	defer rows.Close()
	var l risk.Line
	var r sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&r); err != nil {
			return fmt.Errorf("sqlite: scan declared lines: %w", err)
		}
		if err := risk.DecodeLine(r, &l); err != nil {
			return fmt.Errorf("sqlite: scan declared lines: %w", err)
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: scan declared lines: %w", err)
	}
	return nil
}

// SaveDeclaredLines implements customs.StoreTx.
func (c *customsTx) SaveDeclaredLines(ctx context.Context, declarationID, seq int64, uscc string, lines []customs.DeclaredLine) error {
	if _, err := c.exec(ctx, analyticssql.DeleteLinesSQL, declarationID); err != nil {
		return fmt.Errorf("sqlite: delete declared lines: %w", err)
	}
	if len(lines) == 0 {
		return nil
	}
	var declarant int64
	if err := c.queryRow(ctx, analyticssql.DeclarantSQL, uscc).Scan(&declarant); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: declarant: %w", err)
	}
	for _, l := range lines {
		pl := analyticssql.ProjectLine(declarationID, declarant, l)
		if _, err := c.exec(ctx, analyticssql.InsertLineSQL, analyticssql.LineArgs(seq, l.Gnum, &pl)...); err != nil {
			return fmt.Errorf("sqlite: save declared line: %w", err)
		}
		if _, err := c.exec(ctx, analyticssql.InsertSpecSQL, risk.SpecHash(l.Gmodel), l.Gmodel); err != nil {
			return fmt.Errorf("sqlite: save specification: %w", err)
		}
	}
	return nil
}
