package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tracegate"
)

// SaveProducts creates or updates each product (by owner and GTIN) in one
// transaction; all or none are stored.
func (s *Store) SaveProducts(ctx context.Context, ps []*tracegate.Product) (int, error) {
	created := 0
	err := s.update(ctx, func(tx *Tx) error {
		created = 0
		for i, p := range ps {
			isNew, err := saveProduct(ctx, tx, p)
			if err != nil {
				return productSaveError(i, len(ps), p, err)
			}
			if isNew {
				created++
			}
		}
		return ledgerProducts(ctx, tx, ps)
	})
	return created, err
}

func saveProduct(ctx context.Context, tx *Tx, p *tracegate.Product) (bool, error) {
	var id, createdAt int64
	err := tx.QueryRowContext(ctx, "SELECT id, created_at FROM products WHERE owner_id = ? AND gtin = ?", p.OwnerID, p.GTIN).Scan(&id, &createdAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code,
			origin_country, manufacturer, filing_number, item_record_no, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
			nullable(p.FilingNumber), nullable(p.ItemRecordNo), micro(tx.now), micro(tx.now))
		if err != nil {
			return false, err
		}
		p.ID, _ = res.LastInsertId()
		p.CreatedAt, p.UpdatedAt = tx.now, tx.now
		return true, nil
	case err != nil:
		return false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE products SET name = ?, name_zh = ?, brand = ?, specification = ?, hs_code = ?,
		origin_country = ?, manufacturer = ?, filing_number = ?, item_record_no = ?, updated_at = ? WHERE id = ?`,
		p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
		nullable(p.FilingNumber), nullable(p.ItemRecordNo), micro(tx.now), id)
	if err != nil {
		return false, err
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, fromMicro(createdAt), tx.now
	return false, nil
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
	return fmt.Errorf("sqlite: save product %s: %w", p.GTIN, err)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const productColumns = `p.id, p.gtin, p.owner_id, e.uscc, p.name, p.name_zh, p.brand, p.specification, p.hs_code,
	p.origin_country, p.manufacturer, COALESCE(p.filing_number, ''), COALESCE(p.item_record_no, ''), p.created_at, p.updated_at`

func scanProduct(row rowScanner) (*tracegate.Product, error) {
	var p tracegate.Product
	var created, updated int64
	err := row.Scan(&p.ID, &p.GTIN, &p.OwnerID, &p.OwnerUSCC, &p.Name, &p.NameZH, &p.Brand, &p.Specification, &p.HSCode,
		&p.OriginCountry, &p.Manufacturer, &p.FilingNumber, &p.ItemRecordNo, &created, &updated)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &p, nil
}

// FindProduct returns owner's filing of gtin, or ENOTFOUND.
func (s *Store) FindProduct(ctx context.Context, ownerID int64, gtin string) (*tracegate.Product, error) {
	p, err := scanProduct(s.readRow(ctx, "SELECT "+productColumns+" FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.owner_id = ? AND p.gtin = ?", ownerID, gtin))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product filing of GTIN %s by enterprise %d", gtin, ownerID)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find product %s: %w", gtin, err)
	}
	return p, nil
}

// ListProducts returns the filings that match f, by GTIN then owner.
func (s *Store) ListProducts(ctx context.Context, f tracegate.ProductFilter) ([]*tracegate.Product, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.readRows(ctx, "SELECT "+productColumns+` FROM products p JOIN enterprises e ON e.id = p.owner_id
		WHERE (? = 0 OR p.owner_id = ?) AND (? = '' OR p.gtin = ?) ORDER BY p.gtin, p.owner_id LIMIT ? OFFSET ?`,
		f.OwnerID, f.OwnerID, f.GTIN, f.GTIN, limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list products: %w", err)
	}
	defer rows.Close()
	out := []*tracegate.Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list products: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
