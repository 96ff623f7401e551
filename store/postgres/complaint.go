package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/label"
)

var _ label.ComplaintStore = (*Store)(nil)

// complaintColumns are the columns scanComplaint reads, without the photo.
const complaintColumns = `id, hash, COALESCE(gtin, ''), COALESCE(batch, ''), category, text, contact, COALESCE(photo_type, ''),
	ip_prefix, device, created_at, COALESCE(owner_id, 0), status, photo_size, COALESCE(updated_at, created_at)`

// FileComplaint stores c with its reference hash, owner and status new;
// with photoQuota > 0 it fails with EQUOTA when c's photo would take the
// stored photos past photoQuota bytes. The storage row is locked for the
// check, so concurrent filings cannot both pass the quota.
func (s *Store) FileComplaint(ctx context.Context, c *label.Complaint, photoQuota int64) error {
	return s.update(ctx, func(tx *Tx) error {
		size := int64(len(c.Photo))
		if size > 0 {
			var used int64
			if err := tx.QueryRow(ctx, `SELECT photo_bytes FROM label_complaint_storage WHERE id = 1 FOR UPDATE`).Scan(&used); err != nil {
				return fmt.Errorf("postgres: complaint storage: %w", err)
			}
			if photoQuota > 0 && used+size > photoQuota {
				return tracegate.Errorf(tracegate.EQUOTA, "the storage for complaint photos is full; send the complaint without a photo")
			}
			if _, err := tx.Exec(ctx, `UPDATE label_complaint_storage SET photo_bytes = photo_bytes + $1 WHERE id = 1`, size); err != nil {
				return fmt.Errorf("postgres: complaint storage: %w", err)
			}
		}
		var hash, ref []byte
		var owner *int64
		if c.Hash != nil {
			hash = c.Hash[:]
		}
		if c.RefHash != ([32]byte{}) {
			ref = c.RefHash[:]
		}
		if c.OwnerID != 0 {
			owner = &c.OwnerID
		}
		err := tx.QueryRow(ctx, `INSERT INTO label_complaints (hash, gtin, batch, category, text, contact, photo, photo_type,
			ip_prefix, device, created_at, ref_hash, owner_id, status, photo_size, updated_at)
			VALUES ($1, NULLIF($2, ''), NULLIF($3, ''), $4, $5, $6, $7, NULLIF($8, ''), $9, $10, $11, $12, $13, 'new', $14, $11)
			RETURNING id`, hash, c.GTIN, c.Batch, c.Category, c.Text, c.Contact, c.Photo, c.PhotoType, c.IPPrefix, c.Device, tx.now,
			ref, owner, size).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("postgres: insert complaint: %w", err)
		}
		c.CreatedAt, c.UpdatedAt, c.Status, c.PhotoSize = tx.now, tx.now, label.ComplaintNew, size
		return nil
	})
}

// ComplaintPhotoBytes returns the bytes of all stored complaint photos.
func (s *Store) ComplaintPhotoBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT photo_bytes FROM label_complaint_storage WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: complaint storage: %w", err)
	}
	return n, nil
}

// ListComplaints returns complaints newest first, after f's cursor.
func (s *Store) ListComplaints(ctx context.Context, f label.ComplaintFilter) ([]label.Complaint, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+complaintColumns+` FROM label_complaints
		WHERE ($1::bigint = 0 OR owner_id = $1) AND ($2::text = '' OR status = $2) AND ($3::bigint = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.OwnerID, string(f.Status), f.AfterID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: complaints: %w", err)
	}
	defer rows.Close()
	var out []label.Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func scanComplaint(row pgx.Row) (*label.Complaint, error) {
	var c label.Complaint
	var hash []byte
	var status string
	err := row.Scan(&c.ID, &hash, &c.GTIN, &c.Batch, &c.Category, &c.Text, &c.Contact, &c.PhotoType, &c.IPPrefix, &c.Device,
		&c.CreatedAt, &c.OwnerID, &status, &c.PhotoSize, &c.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
	} else if err != nil {
		return nil, fmt.Errorf("postgres: complaint: %w", err)
	}
	if len(hash) == 32 {
		h := [32]byte(hash)
		c.Hash = &h
	}
	c.CreatedAt, c.UpdatedAt, c.Status = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), label.ComplaintStatus(status)
	return &c, nil
}

// FindComplaint returns the complaint with id and its replies.
func (s *Store) FindComplaint(ctx context.Context, id int64) (*label.Complaint, error) {
	c, err := scanComplaint(s.pool.QueryRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE id = $1`, id))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

// FindComplaintByReference returns the complaint whose reference hashes to
// refHash, with its replies.
func (s *Store) FindComplaintByReference(ctx context.Context, refHash [32]byte) (*label.Complaint, error) {
	c, err := scanComplaint(s.pool.QueryRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE ref_hash = $1`, refHash[:]))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

func (s *Store) complaintReplies(ctx context.Context, c *label.Complaint) error {
	rows, err := s.pool.Query(ctx, `SELECT id, enterprise_id, role, text, COALESCE(status, ''), created_at
		FROM label_complaint_replies WHERE complaint_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return fmt.Errorf("postgres: complaint replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r label.ComplaintReply
		var role, status string
		var created time.Time
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &role, &r.Text, &status, &created); err != nil {
			return fmt.Errorf("postgres: complaint replies: %w", err)
		}
		r.Role, r.Status, r.CreatedAt = tracegate.Role(role), label.ComplaintStatus(status), created.UTC()
		c.Replies = append(c.Replies, r)
	}
	return rows.Err()
}

// ComplaintPhoto returns the photo of complaint id and its media type.
func (s *Store) ComplaintPhoto(ctx context.Context, id int64) ([]byte, string, error) {
	var photo []byte
	var ct string
	err := s.pool.QueryRow(ctx, `SELECT photo, photo_type FROM label_complaints WHERE id = $1 AND photo IS NOT NULL AND photo_type IS NOT NULL`, id).Scan(&photo, &ct)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", tracegate.Errorf(tracegate.ENOTFOUND, "no photo with this complaint")
	} else if err != nil {
		return nil, "", fmt.Errorf("postgres: complaint photo: %w", err)
	}
	return photo, ct, nil
}

// ReplyToComplaint stores reply and, when it sets a status that check
// allows, the complaint's new status, in one transaction; the complaint's
// row is locked, so concurrent status changes are checked one after the
// other.
func (s *Store) ReplyToComplaint(ctx context.Context, id int64, reply *label.ComplaintReply, check func(label.ComplaintStatus) error) error {
	return s.update(ctx, func(tx *Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM label_complaints WHERE id = $1 FOR UPDATE`, id).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
		} else if err != nil {
			return fmt.Errorf("postgres: complaint: %w", err)
		}
		if err := check(label.ComplaintStatus(status)); err != nil {
			return err
		}
		var set *string
		if reply.Status != "" {
			status = string(reply.Status)
			set = &status
		}
		if err := tx.QueryRow(ctx, `INSERT INTO label_complaint_replies (complaint_id, enterprise_id, role, text, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, reply.EnterpriseID, string(reply.Role), reply.Text, set, tx.now).Scan(&reply.ID); err != nil {
			return fmt.Errorf("postgres: insert complaint reply: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE label_complaints SET status = $1, updated_at = $2 WHERE id = $3`, status, tx.now, id); err != nil {
			return fmt.Errorf("postgres: update complaint: %w", err)
		}
		reply.CreatedAt = tx.now
		return nil
	})
}
