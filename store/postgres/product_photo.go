package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

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
		if _, err := tx.Exec(ctx, "INSERT INTO product_photos (sha256, type, data, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
			hexSum, typ, photo, tx.now); err != nil {
			return fmt.Errorf("postgres: store product photo: %w", err)
		}
		tag, err := tx.Exec(ctx, `UPDATE products SET photo_sha256 = $1, updated_at = $2,
			status = CASE WHEN photo_sha256 IS NOT DISTINCT FROM $1 THEN status ELSE 'submitted' END,
			status_reason = CASE WHEN photo_sha256 IS NOT DISTINCT FROM $1 THEN status_reason END WHERE id = $3`,
			hexSum, tx.now, id)
		if err != nil {
			return fmt.Errorf("postgres: set product photo: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no product filing %d", id)
		}
		if out, err = findProductByID(ctx, tx, id); err != nil {
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
	err := s.pool.QueryRow(ctx, "SELECT type, data FROM product_photos WHERE sha256 = $1", sum).Scan(&typ, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product photo %s", sum)
	} else if err != nil {
		return "", nil, fmt.Errorf("postgres: product photo: %w", err)
	}
	return typ, data, nil
}
