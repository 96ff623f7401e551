package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tracegate"
	"tracegate/customs"
)

// SaveCustomsTable stores a new version of a table.
func (s *Store) SaveCustomsTable(ctx context.Context, t *customs.TableVersion) error {
	return s.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO customs_tables (kind, rows, csv, loaded_at) VALUES (?, ?, ?, ?)",
			t.Kind, t.Rows, t.CSV, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: save customs table: %w", err)
		}
		t.ID, _ = res.LastInsertId()
		t.LoadedAt = tx.now
		return nil
	})
}

// CustomsTables returns the latest version of each table kind.
func (s *Store) CustomsTables(ctx context.Context) ([]*customs.TableVersion, error) {
	rows, err := s.readRows(ctx, customsTablesSQL)
	if err != nil {
		return nil, fmt.Errorf("sqlite: customs tables: %w", err)
	}
	return scanCustomsTables(rows)
}

// customsTablesSQL selects the latest version of each table.
const customsTablesSQL = `SELECT id, kind, rows, csv, loaded_at FROM customs_tables
		WHERE id IN (SELECT MAX(id) FROM customs_tables GROUP BY kind) ORDER BY kind`

func scanCustomsTables(rows *sql.Rows) ([]*customs.TableVersion, error) {
	defer rows.Close()
	var out []*customs.TableVersion
	for rows.Next() {
		var t customs.TableVersion
		var at int64
		if err := rows.Scan(&t.ID, &t.Kind, &t.Rows, &t.CSV, &at); err != nil {
			return nil, fmt.Errorf("sqlite: customs tables: %w", err)
		}
		t.LoadedAt = fromMicro(at)
		out = append(out, &t)
	}
	return out, rows.Err()
}

// FindCustomsDeclaration returns the declaration of (ebpCode, orderNo).
func (s *Store) FindCustomsDeclaration(ctx context.Context, ebpCode, orderNo string) (*customs.DeclarationRecord, error) {
	d, err := scanDeclaration(s.readRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations
		WHERE order_no = ? AND ebp_code = ? LIMIT 1`, orderNo, ebpCode))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of order %q on platform %q", orderNo, ebpCode)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find declaration: %w", err)
	}
	return d, nil
}

func (s *Store) declarations(ctx context.Context, q string, args ...any) ([]*customs.DeclarationRecord, error) {
	rows, err := s.readRows(ctx, "SELECT "+declarationColumns+" FROM customs_declarations "+q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list declarations: %w", err)
	}
	defer rows.Close()
	var out []*customs.DeclarationRecord
	for rows.Next() {
		d, err := scanDeclaration(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list declarations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CustomsReviews returns the open reviews, oldest decision first.
func (s *Store) CustomsReviews(ctx context.Context, limit int) ([]*customs.DeclarationRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.declarations(ctx, "WHERE review <> '' ORDER BY decided_at, id LIMIT ?", limit)
}

// CustomsWaiting returns waiting declarations first seen before before.
func (s *Store) CustomsWaiting(ctx context.Context, before time.Time, limit int) ([]*customs.DeclarationRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.declarations(ctx, "WHERE status = 'waiting' AND first_at <= ? ORDER BY first_at, id LIMIT ?", micro(before), limit)
}

// AddQuotaUses stores uses in one transaction through one prepared
// statement.
func (s *Store) AddQuotaUses(ctx context.Context, uses []customs.QuotaRecord) error {
	return s.update(ctx, func(tx *Tx) error {
		st, err := tx.PrepareContext(ctx, "INSERT INTO customs_quota (buyer_key, year, declaration_id, kind, value, at) VALUES (?, ?, ?, ?, ?, ?)")
		if err != nil {
			return fmt.Errorf("sqlite: add quota uses: %w", err)
		}
		defer st.Close()
		for _, u := range uses {
			kind := "use"
			if u.Value < 0 {
				kind = "refund"
			}
			if _, err := st.ExecContext(ctx, u.BuyerKey, u.Year, u.DeclarationID, kind, int64(u.Value), micro(u.At)); err != nil {
				return fmt.Errorf("sqlite: add quota uses: %w", err)
			}
		}
		return nil
	})
}

// CustomsLedgerRecords calls fn with every stored decision in ledger order.
func (s *Store) CustomsLedgerRecords(ctx context.Context, fn func(d *customs.DecisionRecord) error) error {
	rows, err := s.reader.QueryContext(ctx, `SELECT declaration_id, line, decision, content_hash, guids, uscc, ledger_idx, decided_at
		FROM customs_decisions ORDER BY ledger_idx`)
	if err != nil {
		return fmt.Errorf("sqlite: customs ledger records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d customs.DecisionRecord
		var guids, decision string
		var at int64
		var line string
		if err := rows.Scan(&d.DeclarationID, &line, &decision, &d.ContentHash, &guids, &d.USCC, &d.LedgerIndex, &at); err != nil {
			return fmt.Errorf("sqlite: customs ledger records: %w", err)
		}
		d.DecidedAt = fromMicro(at)
		d.Line = customs.SecondLine
		if line == customs.FirstLine.String() {
			d.Line = customs.FirstLine
		}
		if err := json.Unmarshal([]byte(guids), &d.GUIDs); err != nil {
			return fmt.Errorf("sqlite: customs ledger records: %w", err)
		}
		if err := json.Unmarshal([]byte(decision), &d.Decision); err != nil {
			return fmt.Errorf("sqlite: customs ledger records: %w", err)
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}
