// Package complaintsql is the complaint store both stores share
// (label.ComplaintStore): consumers' complaints with their photos under a
// storage quota, the replies and status changes of the enterprise and the
// regulator. It is written against store/internal/sqldb; each store gives it
// its dialect, its read pool and its write transactions.
package complaintsql

import (
	"context"
	"fmt"
	"time"

	"tracegate"
	"tracegate/label"
	"tracegate/store/internal/sqldb"
)

// Store implements label.ComplaintStore; a store embeds it (New).
type Store struct {
	d      sqldb.Dialect
	db     sqldb.Q // the read pool
	update func(ctx context.Context, fn func(tx sqldb.Tx) error) error
}

// New is the complaint store over db (the read pool) and the write
// transactions update runs (committed when fn returns nil).
func New(d sqldb.Dialect, db sqldb.Q, update func(ctx context.Context, fn func(tx sqldb.Tx) error) error) *Store {
	return &Store{d: d, db: db, update: update}
}

var _ label.ComplaintStore = (*Store)(nil)

func (s *Store) errf(what string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, what, err)
}

// complaintColumns are the columns scanComplaint reads, without the photo.
const complaintColumns = `id, hash, COALESCE(gtin, ''), COALESCE(batch, ''), category, text, contact, COALESCE(photo_type, ''),
	ip_prefix, device, created_at, COALESCE(owner_id, 0), status, photo_size, COALESCE(updated_at, created_at)`

// FileComplaint stores c with its reference hash, owner and status new;
// with photoQuota > 0 it fails with EQUOTA when c's photo would take the
// stored photos past photoQuota bytes. The storage row is locked for the
// check (where the store's writes are not serialised already), so
// concurrent filings cannot both pass the quota.
func (s *Store) FileComplaint(ctx context.Context, c *label.Complaint, photoQuota int64) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		size := int64(len(c.Photo))
		if size > 0 {
			var used int64
			if err := tx.QueryRow(ctx, `SELECT photo_bytes FROM label_complaint_storage st WHERE id = 1`+s.d.ForUpdate("st")).Scan(&used); err != nil {
				return s.errf("complaint storage", err)
			}
			if photoQuota > 0 && used+size > photoQuota {
				return tracegate.Errorf(tracegate.EQUOTA, "the storage for complaint photos is full; send the complaint without a photo")
			}
			if _, err := tx.Exec(ctx, `UPDATE label_complaint_storage SET photo_bytes = photo_bytes + ? WHERE id = 1`, size); err != nil {
				return s.errf("complaint storage", err)
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
		now := s.d.Time(tx.Now())
		err := tx.QueryRow(ctx, `INSERT INTO label_complaints (hash, gtin, batch, category, text, contact, photo, photo_type,
			ip_prefix, device, created_at, ref_hash, owner_id, status, photo_size, updated_at)
			VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, 'new', ?, ?)
			RETURNING id`, hash, c.GTIN, c.Batch, c.Category, c.Text, c.Contact, c.Photo, c.PhotoType, c.IPPrefix, c.Device, now,
			ref, owner, size, now).Scan(&c.ID)
		if err != nil {
			return s.errf("insert complaint", err)
		}
		c.CreatedAt, c.UpdatedAt, c.Status, c.PhotoSize = tx.Now(), tx.Now(), label.ComplaintNew, size
		return nil
	})
}

// ComplaintPhotoBytes returns the bytes of all stored complaint photos.
func (s *Store) ComplaintPhotoBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRow(ctx, `SELECT photo_bytes FROM label_complaint_storage WHERE id = 1`).Scan(&n); err != nil {
		return 0, s.errf("complaint storage", err)
	}
	return n, nil
}

// ListComplaints returns complaints newest first, after f's cursor.
func (s *Store) ListComplaints(ctx context.Context, f label.ComplaintFilter) ([]label.Complaint, error) {
	rows, err := s.db.Query(ctx, `SELECT `+complaintColumns+` FROM label_complaints
		WHERE (? = 0 OR owner_id = ?) AND (? = '' OR status = ?) AND (? = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, f.OwnerID, f.OwnerID, string(f.Status), string(f.Status), f.AfterID, f.AfterID, f.Limit)
	if err != nil {
		return nil, s.errf("complaints", err)
	}
	defer rows.Close()
	var out []label.Complaint
	for rows.Next() {
		c, err := s.scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func (s *Store) scanComplaint(row sqldb.Row) (*label.Complaint, error) {
	var c label.Complaint
	var hash []byte
	var status string
	err := row.Scan(&c.ID, &hash, &c.GTIN, &c.Batch, &c.Category, &c.Text, &c.Contact, &c.PhotoType, &c.IPPrefix, &c.Device,
		s.d.TimeDest(&c.CreatedAt), &c.OwnerID, &status, &c.PhotoSize, s.d.TimeDest(&c.UpdatedAt))
	if err != nil && s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
	} else if err != nil {
		return nil, s.errf("complaint", err)
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
	c, err := s.scanComplaint(s.db.QueryRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE id = ?`, id))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

// FindComplaintByReference returns the complaint whose reference hashes to
// refHash, with its replies.
func (s *Store) FindComplaintByReference(ctx context.Context, refHash [32]byte) (*label.Complaint, error) {
	c, err := s.scanComplaint(s.db.QueryRow(ctx, `SELECT `+complaintColumns+` FROM label_complaints WHERE ref_hash = ?`, refHash[:]))
	if err != nil {
		return nil, err
	}
	return c, s.complaintReplies(ctx, c)
}

func (s *Store) complaintReplies(ctx context.Context, c *label.Complaint) error {
	rows, err := s.db.Query(ctx, `SELECT id, enterprise_id, role, text, COALESCE(status, ''), created_at
		FROM label_complaint_replies WHERE complaint_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return s.errf("complaint replies", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r label.ComplaintReply
		var role, status string
		var created time.Time
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &role, &r.Text, &status, s.d.TimeDest(&created)); err != nil {
			return s.errf("complaint replies", err)
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
	err := s.db.QueryRow(ctx, `SELECT photo, photo_type FROM label_complaints WHERE id = ? AND photo IS NOT NULL AND photo_type IS NOT NULL`, id).Scan(&photo, &ct)
	if err != nil && s.d.NoRows(err) {
		return nil, "", tracegate.Errorf(tracegate.ENOTFOUND, "no photo with this complaint")
	} else if err != nil {
		return nil, "", s.errf("complaint photo", err)
	}
	return photo, ct, nil
}

// ReplyToComplaint stores reply and, when it sets a status that check
// allows, the complaint's new status, in one transaction; the complaint's
// row is locked (or the store's writes serialised), so concurrent status
// changes are checked one after the other.
func (s *Store) ReplyToComplaint(ctx context.Context, id int64, reply *label.ComplaintReply, check func(label.ComplaintStatus) error) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM label_complaints c WHERE id = ?`+s.d.ForUpdate("c"), id).Scan(&status)
		if err != nil && s.d.NoRows(err) {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no such complaint")
		} else if err != nil {
			return s.errf("complaint", err)
		}
		if err := check(label.ComplaintStatus(status)); err != nil {
			return err
		}
		var set *string
		if reply.Status != "" {
			status = string(reply.Status)
			set = &status
		}
		now := s.d.Time(tx.Now())
		if err := tx.QueryRow(ctx, `INSERT INTO label_complaint_replies (complaint_id, enterprise_id, role, text, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, id, reply.EnterpriseID, string(reply.Role), reply.Text, set, now).Scan(&reply.ID); err != nil {
			return s.errf("insert complaint reply", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE label_complaints SET status = ?, updated_at = ? WHERE id = ?`, status, now, id); err != nil {
			return s.errf("update complaint", err)
		}
		reply.CreatedAt = tx.Now()
		return nil
	})
}
