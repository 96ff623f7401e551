package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate"
)

// SaveProducts creates or updates each product (by owner and GTIN) in one
// transaction; all or none are stored.
func (s *Store) SaveProducts(ctx context.Context, ps []*tracegate.Product) (int, error) {
	created := 0
	err := s.update(ctx, func(tx *Tx) error {
		created = 0
		for i, p := range ps {
			var inserted bool
			err := tx.QueryRow(ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code,
				origin_country, manufacturer, filing_number, item_record_no, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), NULLIF($11, ''), $12, $12)
				ON CONFLICT (owner_id, gtin) DO UPDATE SET name = EXCLUDED.name, name_zh = EXCLUDED.name_zh,
					brand = EXCLUDED.brand, specification = EXCLUDED.specification, hs_code = EXCLUDED.hs_code,
					origin_country = EXCLUDED.origin_country, manufacturer = EXCLUDED.manufacturer,
					filing_number = EXCLUDED.filing_number, item_record_no = EXCLUDED.item_record_no,
					updated_at = EXCLUDED.updated_at
				RETURNING id, created_at, (xmax = 0)`,
				p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
				p.FilingNumber, p.ItemRecordNo, tx.now).Scan(&p.ID, &p.CreatedAt, &inserted)
			if err != nil {
				return productSaveError(i, len(ps), p, err)
			}
			p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), tx.now
			if inserted {
				created++
			}
		}
		return ledgerProducts(ctx, tx, ps)
	})
	return created, err
}

// productSaveError maps a failed save of product i to a coded error.
func productSaveError(i, n int, p *tracegate.Product, err error) error {
	prefix := ""
	if n > 1 {
		prefix = fmt.Sprintf("/products/%d", i)
	}
	switch {
	case isForeignKey(err):
		return tracegate.Invalidf(prefix+"/ownerId", "no enterprise with id %d", p.OwnerID)
	case isUnique(err):
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: prefix + "/filingNumber",
			Message: fmt.Sprintf("filing number %s belongs to another product filing", p.FilingNumber)}
	}
	return fmt.Errorf("postgres: save product %s: %w", p.GTIN, err)
}

const productColumns = `p.id, p.gtin, p.owner_id, e.uscc, p.name, p.name_zh, p.brand, p.specification, p.hs_code,
	p.origin_country, p.manufacturer, COALESCE(p.filing_number, ''), COALESCE(p.item_record_no, ''), p.created_at, p.updated_at`

func scanProduct(row pgx.Row) (*tracegate.Product, error) {
	var p tracegate.Product
	err := row.Scan(&p.ID, &p.GTIN, &p.OwnerID, &p.OwnerUSCC, &p.Name, &p.NameZH, &p.Brand, &p.Specification, &p.HSCode,
		&p.OriginCountry, &p.Manufacturer, &p.FilingNumber, &p.ItemRecordNo, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// FindProduct returns owner's filing of gtin, or ENOTFOUND.
func (s *Store) FindProduct(ctx context.Context, ownerID int64, gtin string) (*tracegate.Product, error) {
	p, err := scanProduct(s.pool.QueryRow(ctx, "SELECT "+productColumns+" FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.owner_id = $1 AND p.gtin = $2", ownerID, gtin))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product filing of GTIN %s by enterprise %d", gtin, ownerID)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find product %s: %w", gtin, err)
	}
	return p, nil
}

// ListProducts returns the filings that match f, by GTIN then owner.
func (s *Store) ListProducts(ctx context.Context, f tracegate.ProductFilter) ([]*tracegate.Product, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.pool.Query(ctx, "SELECT "+productColumns+` FROM products p JOIN enterprises e ON e.id = p.owner_id
		WHERE ($1 = 0 OR p.owner_id = $1) AND ($2 = '' OR p.gtin = $2) ORDER BY p.gtin, p.owner_id LIMIT $3 OFFSET $4`,
		f.OwnerID, f.GTIN, limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: list products: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list products: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
