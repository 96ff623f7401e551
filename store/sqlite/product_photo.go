package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"tracegate"
)

// SetProductPhoto stores the photo by its hash and points filing id at it;
// an approved, rejected or withdrawn filing is submitted again, and the new
// version is ledgered like any save.
func (s *Store) SetProductPhoto(ctx context.Context, id int64, typ string, photo []byte) (*tracegate.Product, error) {
	sum := sha256.Sum256(photo)
	hexSum := hex.EncodeToString(sum[:])
	var out *tracegate.Product
	err := s.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO product_photos (sha256, type, data, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
			hexSum, typ, photo, micro(tx.now)); err != nil {
			return fmt.Errorf("sqlite: store product photo: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE products SET photo_sha256 = ?, updated_at = ?,
			status = CASE WHEN photo_sha256 IS ? THEN status ELSE 'submitted' END,
			status_reason = CASE WHEN photo_sha256 IS ? THEN status_reason END WHERE id = ?`,
			hexSum, micro(tx.now), hexSum, hexSum, id)
		if err != nil {
			return fmt.Errorf("sqlite: set product photo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
		}
		p, err := scanProduct(tx.QueryRowContext(ctx, productByID, id))
		if out, err = productByIDResult(p, id, err); err != nil {
			return err
		}
		return ledgerProducts(ctx, tx, []*tracegate.Product{out})
	})
	return out, err
}

// ProductPhoto returns the photo with hex SHA-256 sum.
func (s *Store) ProductPhoto(ctx context.Context, sum string) (string, []byte, error) {
	var typ string
	var data []byte
	err := s.readRow(ctx, "SELECT type, data FROM product_photos WHERE sha256 = ?", sum).Scan(&typ, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product photo %s", sum)
	} else if err != nil {
		return "", nil, fmt.Errorf("sqlite: product photo: %w", err)
	}
	return typ, data, nil
}
