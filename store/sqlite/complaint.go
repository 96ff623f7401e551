package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tracegate"
	"tracegate/label"
)

var _ label.ComplaintStore = (*Store)(nil)

// complaintColumns are the columns complaintRow scans, without the photo.
const complaintColumns = `id, hash, COALESCE(gtin, ''), COALESCE(batch, ''), category, text, contact, COALESCE(photo_type, ''),
	ip_prefix, device, created_at, COALESCE(owner_id, 0), status, photo_size, COALESCE(updated_at, created_at)`

// FileComplaint stores c with its reference hash, owner and status new;
// with photoQuota > 0 it fails with EQUOTA when c's photo would take the
// stored photos past photoQuota bytes.
func (s *Store) FileComplaint(ctx context.Context, c *label.Complaint, photoQuota int64) error {
	return s.update(ctx, func(tx *Tx) error {
		size := int64(len(c.Photo))
		if size > 0 {
			var used int64
			if err := tx.QueryRowContext(ctx, `SELECT photo_bytes FROM label_complaint_storage WHERE id = 1`).Scan(&used); err != nil {
				return fmt.Errorf("sqlite: complaint storage: %w", err)
			}
			if photoQuota > 0 && used+size > photoQuota {
				return tracegate.Errorf(tracegate.EQUOTA, "the storage for complaint photos is full; send the complaint without a photo")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE label_complaint_storage SET photo_bytes = photo_bytes + ? WHERE id = 1`, size); err != nil {
				return fmt.Errorf("sqlite: complaint storage: %w", err)
			}
		}
		var hash, ref, owner any
		if c.Hash != nil {
			hash = c.Hash[:]
		}
		if c.RefHash != ([32]byte{}) {
			ref = c.RefHash[:]
		}
		if c.OwnerID != 0 {
			owner = c.OwnerID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO label_complaints (hash, gtin, batch, category, text, contact, photo, photo_type,
			ip_prefix, device, created_at, ref_hash, owner_id, status, photo_size, updated_at)
			VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, 'new', ?, ?)`,
			hash, c.GTIN, c.Batch, c.Category, c.Text, c.Contact, c.Photo, c.PhotoType, c.IPPrefix, c.Device, micro(tx.now),
			ref, owner, size, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: insert complaint: %w", err)
		}
		c.ID, _ = res.LastInsertId()
		c.CreatedAt, c.UpdatedAt, c.Status, c.PhotoSize = tx.now, tx.now, label.ComplaintNew, size
		return nil
	})
}

// ComplaintPhotoBytes returns the bytes of all stored complaint photos.
func (s *Store) ComplaintPhotoBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.readRow(ctx, `SELECT photo_bytes FROM label_complaint_storage WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: complaint storage: %w", err)
	}
	return n, nil
}

// ListComplaints returns complaints newest first, after f's cursor.
func (s *Store) ListComplaints(ctx context.Context, f label.ComplaintFilter) ([]label.Complaint, error) {
	rows, err := s.readRows(ctx, `SELECT `+complaintColumns+` FROM label_complaints
		WHERE (? = 0 OR owner_id = ?) AND (? = '' OR status = ?) AND (? = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, f.OwnerID, f.OwnerID, string(f.Status), string(f.Status), f.AfterID, f.AfterID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: complaints: %w", err)
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

func scanComplaint(row rowScanner) (*label.Complaint, error) {
	var c label.Complaint
	var hash []byte
	var created, updated int64
	var status string
	err := row.Scan(&c.ID, &hash, &c.GTIN, &c.Batch, &c.Category, &c.Text, &c.Contact, &c.PhotoType, &c.IPPrefix, &c.Device,
		&created, &c.OwnerID, &status, &c.PhotoSize, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: complaint: %w", err)
	}
	if len(hash) == 32 {
		h := [32]byte(hash)
		c.Hash = &h
	}
	c.CreatedAt, c.UpdatedAt, c.Status = fromMicro(created), fromMicro(updated), label.ComplaintStatus(status)
	return &c, nil
}

// FindComplaint returns the complaint with id and its replies.
func (s *Store) FindComplaint(ctx context.Context, id int64) (*label.Complaint, error) {
	c, err := scanComplaint(s.readRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE id = ?`, id))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

// FindComplaintByReference returns the complaint whose reference hashes to
// refHash, with its replies.
func (s *Store) FindComplaintByReference(ctx context.Context, refHash [32]byte) (*label.Complaint, error) {
	c, err := scanComplaint(s.readRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE ref_hash = ?`, refHash[:]))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

func (s *Store) complaintReplies(ctx context.Context, c *label.Complaint) error {
	rows, err := s.readRows(ctx, `SELECT id, enterprise_id, role, text, COALESCE(status, ''), created_at
		FROM label_complaint_replies WHERE complaint_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlite: complaint replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r label.ComplaintReply
		var role, status string
		var created int64
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &role, &r.Text, &status, &created); err != nil {
			return fmt.Errorf("sqlite: complaint replies: %w", err)
		}
		r.Role, r.Status, r.CreatedAt = tracegate.Role(role), label.ComplaintStatus(status), fromMicro(created)
		c.Replies = append(c.Replies, r)
	}
	return rows.Err()
}

// ComplaintPhoto returns the photo of complaint id and its media type.
func (s *Store) ComplaintPhoto(ctx context.Context, id int64) ([]byte, string, error) {
	var photo []byte
	var ct string
	err := s.readRow(ctx, `SELECT photo, photo_type FROM label_complaints WHERE id = ? AND photo IS NOT NULL AND photo_type IS NOT NULL`, id).Scan(&photo, &ct)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", tracegate.Errorf(tracegate.ENOTFOUND, "no photo with this complaint")
	} else if err != nil {
		return nil, "", fmt.Errorf("sqlite: complaint photo: %w", err)
	}
	return photo, ct, nil
}

// ReplyToComplaint stores reply and, when it sets a status that check
// allows, the complaint's new status, in one write transaction (SQLite's
// single writer orders concurrent replies).
func (s *Store) ReplyToComplaint(ctx context.Context, id int64, reply *label.ComplaintReply, check func(label.ComplaintStatus) error) error {
	return s.update(ctx, func(tx *Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM label_complaints WHERE id = ?`, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
		} else if err != nil {
			return fmt.Errorf("sqlite: complaint: %w", err)
		}
		if err := check(label.ComplaintStatus(status)); err != nil {
			return err
		}
		var set any
		if reply.Status != "" {
			set = string(reply.Status)
			status = string(reply.Status)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO label_complaint_replies (complaint_id, enterprise_id, role, text, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, reply.EnterpriseID, string(reply.Role), reply.Text, set, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: insert complaint reply: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE label_complaints SET status = ?, updated_at = ? WHERE id = ?`, status, micro(tx.now), id); err != nil {
			return fmt.Errorf("sqlite: update complaint: %w", err)
		}
		reply.ID, _ = res.LastInsertId()
		reply.CreatedAt = tx.now
		return nil
	})
}
