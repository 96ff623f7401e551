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
	if p.FilingNumber != "" {
		var taken bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM products WHERE filing_number = ? AND status = 'approved'
			AND NOT (owner_id = ? AND gtin = ?))`, p.FilingNumber, p.OwnerID, p.GTIN).Scan(&taken)
		if err == nil && taken {
			err = errFilingNumberTaken
		}
		if err != nil {
			return false, err
		}
	}
	var id, createdAt int64
	err := tx.QueryRowContext(ctx, "SELECT id, created_at FROM products WHERE owner_id = ? AND gtin = ?", p.OwnerID, p.GTIN).Scan(&id, &createdAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code,
			origin_country, manufacturer, filing_number, item_record_no, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)`,
			p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
			nullable(p.FilingNumber), nullable(p.ItemRecordNo), micro(tx.now), micro(tx.now))
		if err != nil {
			return false, err
		}
		p.ID, _ = res.LastInsertId()
		p.CreatedAt, p.UpdatedAt = tx.now, tx.now
		p.Status, p.StatusReason, p.ReviewedBy, p.ReviewedAt = tracegate.FilingSubmitted, "", 0, nil
		return true, nil
	case err != nil:
		return false, err
	}
	// One statement decides the status from the row as it is: the filed
	// facts unchanged keep an approval (and the regulator's number) or a
	// rejection; anything else is submitted again.
	unchanged := `(name, name_zh, brand, specification, hs_code, origin_country, manufacturer) IS (?1, ?2, ?3, ?4, ?5, ?6, ?7)
		AND (?8 IS NULL OR ?8 IS filing_number)`
	err = tx.QueryRowContext(ctx, `UPDATE products SET
			filing_number = CASE WHEN `+unchanged+` AND status = 'approved' THEN filing_number ELSE ?8 END,
			status_reason = CASE WHEN `+unchanged+` AND status IN ('approved', 'rejected') THEN status_reason END,
			status = CASE WHEN `+unchanged+` AND status IN ('approved', 'rejected') THEN status ELSE 'submitted' END,
			name = ?1, name_zh = ?2, brand = ?3, specification = ?4, hs_code = ?5, origin_country = ?6, manufacturer = ?7,
			item_record_no = ?9, updated_at = ?10
		WHERE id = ?11
		RETURNING status, COALESCE(filing_number, ''), COALESCE(status_reason, '')`,
		p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
		nullable(p.FilingNumber), nullable(p.ItemRecordNo), micro(tx.now), id).Scan(&p.Status, &p.FilingNumber, &p.StatusReason)
	if err != nil {
		return false, err
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, fromMicro(createdAt), tx.now
	return false, nil
}

// FindProductByID returns the filing with id, or ENOTFOUND.
func (s *Store) FindProductByID(ctx context.Context, id int64) (*tracegate.Product, error) {
	p, err := scanProduct(s.readRow(ctx, productByID, id))
	return productByIDResult(p, id, err)
}

const productByID = "SELECT " + productColumns + " FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.id = ?"

func productByIDResult(p *tracegate.Product, id int64, err error) (*tracegate.Product, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find product %d: %w", id, err)
	}
	return p, nil
}

// ReviewProduct applies a regulator's or the owner's decision to a filing.
func (s *Store) ReviewProduct(ctx context.Context, id int64, r tracegate.ProductReview) (*tracegate.Product, error) {
	var out *tracegate.Product
	err := s.update(ctx, func(tx *Tx) error {
		var from tracegate.FilingStatus
		var proposed string
		var updated int64
		err := tx.QueryRowContext(ctx, "SELECT status, COALESCE(filing_number, ''), updated_at FROM products WHERE id = ?", id).
			Scan(&from, &proposed, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
		} else if err != nil {
			return fmt.Errorf("sqlite: review product %d: %w", id, err)
		}
		if !r.Version.IsZero() && !r.Version.Equal(fromMicro(updated)) {
			return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/version",
				Message: "the filing changed since you read it: read it again before deciding"}
		}
		number, err := tracegate.CheckReview(from, proposed, &r)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE products SET status = ?, filing_number = ?, status_reason = ?,
			reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?`,
			r.Status, nullable(number), nullable(r.Reason), r.By, micro(tx.now), micro(tx.now), id)
		if isUnique(err) {
			return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/filingNumber",
				Message: fmt.Sprintf("filing number %s belongs to another approved filing", number)}
		} else if err != nil {
			return fmt.Errorf("sqlite: review product %d: %w", id, err)
		}
		p, err := scanProduct(tx.QueryRowContext(ctx, productByID, id))
		out, err = productByIDResult(p, id, err)
		if err != nil {
			return err
		}
		// The decision is a new version of the filing: ledgered like a save.
		return ledgerProducts(ctx, tx, []*tracegate.Product{out})
	})
	return out, err
}

// errFilingNumberTaken: a proposed filing number is another approved
// filing's.
var errFilingNumberTaken = errors.New("filing number taken")

// productSaveError maps a failed save of product i to a coded error.
func productSaveError(i, n int, p *tracegate.Product, err error) error {
	prefix := ""
	if n > 1 {
		prefix = fmt.Sprintf("/products/%d", i)
	}
	switch {
	case isForeignKey(err):
		return tracegate.Invalidf(prefix+"/ownerId", "no enterprise with id %d", p.OwnerID)
	case isUnique(err) || errors.Is(err, errFilingNumberTaken):
		return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: prefix + "/filingNumber",
			Message: fmt.Sprintf("filing number %s belongs to another approved product filing", p.FilingNumber)}
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
	p.origin_country, p.manufacturer, COALESCE(p.filing_number, ''), COALESCE(p.item_record_no, ''), COALESCE(p.photo_sha256, ''),
	p.status, COALESCE(p.status_reason, ''), COALESCE(p.reviewed_by, 0), p.reviewed_at, p.created_at, p.updated_at`

func scanProduct(row rowScanner) (*tracegate.Product, error) {
	var p tracegate.Product
	var created, updated int64
	var reviewed sql.NullInt64
	err := row.Scan(&p.ID, &p.GTIN, &p.OwnerID, &p.OwnerUSCC, &p.Name, &p.NameZH, &p.Brand, &p.Specification, &p.HSCode,
		&p.OriginCountry, &p.Manufacturer, &p.FilingNumber, &p.ItemRecordNo, &p.PhotoSHA256, &p.Status, &p.StatusReason, &p.ReviewedBy,
		&reviewed, &created, &updated)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMicro(created), fromMicro(updated)
	if reviewed.Valid {
		at := fromMicro(reviewed.Int64)
		p.ReviewedAt = &at
	}
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
		WHERE (? = 0 OR p.owner_id = ?) AND (? = '' OR p.gtin = ?) AND (? = '' OR p.status = ?)
		ORDER BY p.gtin, p.owner_id LIMIT ? OFFSET ?`,
		f.OwnerID, f.OwnerID, f.GTIN, f.GTIN, string(f.Status), string(f.Status), limit, f.Offset)
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
