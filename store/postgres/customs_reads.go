package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/customs"
)

// SaveCustomsTable stores a new version of a table.
func (s *Store) SaveCustomsTable(ctx context.Context, t *customs.TableVersion) error {
	return s.update(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, "INSERT INTO customs_tables (kind, rows, csv, loaded_at) VALUES ($1, $2, $3, $4) RETURNING id",
			t.Kind, t.Rows, t.CSV, tx.now).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("postgres: save customs table: %w", err)
		}
		t.LoadedAt = tx.now
		return nil
	})
}

// CustomsTables returns the latest version of each table kind.
func (s *Store) CustomsTables(ctx context.Context) ([]*customs.TableVersion, error) {
	return customsTables(ctx, s.pool)
}

// customsTables reads the latest version of each table through q (the pool,
// or the intake's transaction).
func customsTables(ctx context.Context, q querier) ([]*customs.TableVersion, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, rows, csv, loaded_at FROM customs_tables
		WHERE id IN (SELECT MAX(id) FROM customs_tables GROUP BY kind) ORDER BY kind`)
	if err != nil {
		return nil, fmt.Errorf("postgres: customs tables: %w", err)
	}
	defer rows.Close()
	var out []*customs.TableVersion
	for rows.Next() {
		var t customs.TableVersion
		if err := rows.Scan(&t.ID, &t.Kind, &t.Rows, &t.CSV, &t.LoadedAt); err != nil {
			return nil, fmt.Errorf("postgres: customs tables: %w", err)
		}
		t.LoadedAt = t.LoadedAt.UTC()
		out = append(out, &t)
	}
	return out, rows.Err()
}

// FindCustomsDeclaration returns the declaration of (ebpCode, orderNo).
func (s *Store) FindCustomsDeclaration(ctx context.Context, ebpCode, orderNo string) (*customs.DeclarationRecord, error) {
	d, err := scanDeclaration(s.pool.QueryRow(ctx, "SELECT "+declarationColumns+` FROM customs_declarations
		WHERE order_no = $1 AND ebp_code = $2 LIMIT 1`, orderNo, ebpCode))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of order %q on platform %q", orderNo, ebpCode)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find declaration: %w", err)
	}
	return d, nil
}

func (s *Store) declarations(ctx context.Context, q string, args ...any) ([]*customs.DeclarationRecord, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+declarationColumns+" FROM customs_declarations "+q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list declarations: %w", err)
	}
	defer rows.Close()
	var out []*customs.DeclarationRecord
	for rows.Next() {
		d, err := scanDeclaration(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list declarations: %w", err)
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
	return s.declarations(ctx, "WHERE review <> '' ORDER BY decided_at, id LIMIT $1", limit)
}

// CustomsWaiting returns waiting declarations first seen before before.
func (s *Store) CustomsWaiting(ctx context.Context, before time.Time, limit int) ([]*customs.DeclarationRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.declarations(ctx, "WHERE status = 'waiting' AND first_at <= $1 ORDER BY first_at, id LIMIT $2", before, limit)
}

// AddQuotaUses stores uses in one transaction with COPY.
func (s *Store) AddQuotaUses(ctx context.Context, uses []customs.QuotaRecord) error {
	return s.update(ctx, func(tx *Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"customs_quota"}, []string{"buyer_key", "year", "declaration_id", "kind", "value", "at"},
			pgx.CopyFromSlice(len(uses), func(i int) ([]any, error) {
				u := uses[i]
				kind := "use"
				if u.Value < 0 {
					kind = "refund"
				}
				return []any{u.BuyerKey, int32(u.Year), u.DeclarationID, kind, int64(u.Value), u.At}, nil
			}))
		if err != nil {
			return fmt.Errorf("postgres: add quota uses: %w", err)
		}
		return nil
	})
}

// CustomsLedgerRecords calls fn with every stored decision in ledger order.
func (s *Store) CustomsLedgerRecords(ctx context.Context, fn func(d *customs.DecisionRecord) error) error {
	rows, err := s.pool.Query(ctx, `SELECT declaration_id, line, decision, content_hash, guids, uscc, ledger_idx, decided_at
		FROM customs_decisions ORDER BY ledger_idx`)
	if err != nil {
		return fmt.Errorf("postgres: customs ledger records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d customs.DecisionRecord
		var guids, decision string
		var line string
		if err := rows.Scan(&d.DeclarationID, &line, &decision, &d.ContentHash, &guids, &d.USCC, &d.LedgerIndex, &d.DecidedAt); err != nil {
			return fmt.Errorf("postgres: customs ledger records: %w", err)
		}
		d.DecidedAt = d.DecidedAt.UTC()
		d.Line = customs.SecondLine
		if line == customs.FirstLine.String() {
			d.Line = customs.FirstLine
		}
		if err := json.Unmarshal([]byte(guids), &d.GUIDs); err != nil {
			return fmt.Errorf("postgres: customs ledger records: %w", err)
		}
		if err := json.Unmarshal([]byte(decision), &d.Decision); err != nil {
			return fmt.Errorf("postgres: customs ledger records: %w", err)
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}
