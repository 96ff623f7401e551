package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

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
			if p.FilingNumber != "" {
				var taken bool
				err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM products WHERE filing_number = $1 AND status = 'approved'
					AND NOT (owner_id = $2 AND gtin = $3))`, p.FilingNumber, p.OwnerID, p.GTIN).Scan(&taken)
				if err == nil && taken {
					err = errFilingNumberTaken
				}
				if err != nil {
					return productSaveError(i, len(ps), p, err)
				}
			}
			var inserted bool
			err := tx.QueryRow(ctx, `INSERT INTO products (gtin, owner_id, name, name_zh, brand, specification, hs_code,
				origin_country, manufacturer, filing_number, item_record_no, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), NULLIF($11, ''), 'submitted', $12, $12)
				ON CONFLICT (owner_id, gtin) DO UPDATE SET name = EXCLUDED.name, name_zh = EXCLUDED.name_zh,
					brand = EXCLUDED.brand, specification = EXCLUDED.specification, hs_code = EXCLUDED.hs_code,
					origin_country = EXCLUDED.origin_country, manufacturer = EXCLUDED.manufacturer,
					filing_number = CASE WHEN `+pgUnchanged+` AND products.status = 'approved'
						THEN products.filing_number ELSE EXCLUDED.filing_number END,
					status = CASE WHEN `+pgUnchanged+` AND products.status IN ('approved', 'rejected')
						THEN products.status ELSE 'submitted' END,
					status_reason = CASE WHEN `+pgUnchanged+` AND products.status IN ('approved', 'rejected')
						THEN products.status_reason END,
					item_record_no = EXCLUDED.item_record_no, updated_at = EXCLUDED.updated_at
				RETURNING id, created_at, (xmax = 0), status, COALESCE(filing_number, ''), COALESCE(status_reason, '')`,
				p.GTIN, p.OwnerID, p.Name, p.NameZH, p.Brand, p.Specification, p.HSCode, p.OriginCountry, p.Manufacturer,
				p.FilingNumber, p.ItemRecordNo, tx.now).Scan(&p.ID, &p.CreatedAt, &inserted, &p.Status, &p.FilingNumber, &p.StatusReason)
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
	return fmt.Errorf("postgres: save product %s: %w", p.GTIN, err)
}

// pgUnchanged says, inside an upsert, that the filed facts stay the same
// (a proposed filing number left empty or equal to the stored one counts as
// unchanged).
const pgUnchanged = `(products.name, products.name_zh, products.brand, products.specification, products.hs_code,
	products.origin_country, products.manufacturer) = (EXCLUDED.name, EXCLUDED.name_zh, EXCLUDED.brand,
	EXCLUDED.specification, EXCLUDED.hs_code, EXCLUDED.origin_country, EXCLUDED.manufacturer)
	AND (EXCLUDED.filing_number IS NULL OR EXCLUDED.filing_number IS NOT DISTINCT FROM products.filing_number)`

const productColumns = `p.id, p.gtin, p.owner_id, e.uscc, p.name, p.name_zh, p.brand, p.specification, p.hs_code,
	p.origin_country, p.manufacturer, COALESCE(p.filing_number, ''), COALESCE(p.item_record_no, ''), COALESCE(p.photo_sha256, ''),
	p.status, COALESCE(p.status_reason, ''), COALESCE(p.reviewed_by, 0), p.reviewed_at, p.created_at, p.updated_at`

func scanProduct(row pgx.Row) (*tracegate.Product, error) {
	var p tracegate.Product
	err := row.Scan(&p.ID, &p.GTIN, &p.OwnerID, &p.OwnerUSCC, &p.Name, &p.NameZH, &p.Brand, &p.Specification, &p.HSCode,
		&p.OriginCountry, &p.Manufacturer, &p.FilingNumber, &p.ItemRecordNo, &p.PhotoSHA256, &p.Status, &p.StatusReason, &p.ReviewedBy,
		&p.ReviewedAt, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if p.ReviewedAt != nil {
		at := p.ReviewedAt.UTC()
		p.ReviewedAt = &at
	}
	return &p, nil
}

// FindProductByID returns the filing with id, or ENOTFOUND.
func (s *Store) FindProductByID(ctx context.Context, id int64) (*tracegate.Product, error) {
	return findProductByID(ctx, s.pool, id)
}

func findProductByID(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, id int64) (*tracegate.Product, error) {
	p, err := scanProduct(q.QueryRow(ctx, "SELECT "+productColumns+" FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find product %d: %w", id, err)
	}
	return p, nil
}

// ReviewProduct applies a regulator's or the owner's decision to a filing.
func (s *Store) ReviewProduct(ctx context.Context, id int64, r tracegate.ProductReview) (*tracegate.Product, error) {
	var out *tracegate.Product
	err := s.update(ctx, func(tx *Tx) error {
		var from tracegate.FilingStatus
		var proposed string
		var updated time.Time
		err := tx.QueryRow(ctx, "SELECT status, COALESCE(filing_number, ''), updated_at FROM products WHERE id = $1 FOR UPDATE", id).
			Scan(&from, &proposed, &updated)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
		} else if err != nil {
			return fmt.Errorf("postgres: review product %d: %w", id, err)
		}
		if !r.Version.IsZero() && !r.Version.Equal(updated) {
			return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/version",
				Message: "the filing changed since you read it: read it again before deciding"}
		}
		number, err := tracegate.CheckReview(from, proposed, &r)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE products SET status = $1, filing_number = NULLIF($2, ''), status_reason = NULLIF($3, ''),
			reviewed_by = $4, reviewed_at = $5, updated_at = $5 WHERE id = $6`, r.Status, number, r.Reason, r.By, tx.now, id)
		if isUnique(err) {
			return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/filingNumber",
				Message: fmt.Sprintf("filing number %s belongs to another approved filing", number)}
		} else if err != nil {
			return fmt.Errorf("postgres: review product %d: %w", id, err)
		}
		out, err = findProductByID(ctx, tx, id)
		if err != nil {
			return err
		}
		// The decision is a new version of the filing: ledgered like a save.
		return ledgerProducts(ctx, tx, []*tracegate.Product{out})
	})
	return out, err
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
		WHERE ($1 = 0 OR p.owner_id = $1) AND ($2 = '' OR p.gtin = $2) AND ($5 = '' OR p.status = $5)
		ORDER BY p.gtin, p.owner_id LIMIT $3 OFFSET $4`,
		f.OwnerID, f.GTIN, limit, f.Offset, string(f.Status))
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
