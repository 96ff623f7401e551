package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/store/internal/labelsql"
)

var _ label.Store = (*Store)(nil)

// IssueLabels stores a label request, its labels and its issuance leaves in
// one transaction (the single writer is the ledger's sequencer).
func (s *Store) IssueLabels(ctx context.Context, req *label.Request, labels []label.Issued, chunks [][]byte, leaves [][]byte) error {
	return s.update(ctx, func(tx *Tx) error {
		var idx any
		var size int64
		req.LedgerIndex = -1
		if len(leaves) > 0 {
			var err error
			if size, err = ledgerSize(ctx, tx); err != nil {
				return err
			}
			idx, req.LedgerIndex = size, size
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO label_requests (enterprise_id, count, caption, ledger_idx, created_at)
			VALUES (?, ?, ?, ?, ?)`, req.EnterpriseID, req.Count, req.Caption, idx, micro(req.CreatedAt))
		if err != nil {
			return fmt.Errorf("sqlite: insert label request: %w", err)
		}
		req.ID, _ = res.LastInsertId()
		for i, c := range chunks {
			if _, err := tx.ExecContext(ctx, "INSERT INTO label_chunks (request_id, chunk, commitments) VALUES (?, ?, ?)", req.ID, i, c); err != nil {
				return fmt.Errorf("sqlite: insert label chunk: %w", err)
			}
		}
		// Many rows per statement: a million labels are a thousand
		// statements, not a million.
		const rowsPerInsert = 1000
		var full *sql.Stmt
		args := make([]any, 0, 3*rowsPerInsert)
		for lo := 0; lo < len(labels); lo += rowsPerInsert {
			batch := labels[lo:min(len(labels), lo+rowsPerInsert)]
			args = args[:0]
			for i := range batch {
				args = append(args, batch[i].Hash[:], req.ID, batch[i].Seq)
			}
			q := "INSERT INTO labels (hash, request_id, seq) VALUES (?, ?, ?)" + strings.Repeat(", (?, ?, ?)", len(batch)-1)
			var err error
			if len(batch) == rowsPerInsert {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, q); err != nil {
						return fmt.Errorf("sqlite: prepare: %w", err)
					}
					defer full.Close()
				}
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, q, args...)
			}
			if isUnique(err) {
				return tracegate.Errorf(tracegate.ECONFLICT, "a generated label code is issued already; request again")
			} else if err != nil {
				return fmt.Errorf("sqlite: insert labels: %w", err)
			}
		}
		return appendLeaves(ctx, tx, size, leaves)
	})
}

// appendLeaves stores leaves as the entries from index size on and appends
// them to the tree.
func appendLeaves(ctx context.Context, tx *Tx, size int64, leaves [][]byte) error {
	if len(leaves) == 0 {
		return nil
	}
	for i, l := range leaves {
		if _, err := tx.ExecContext(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)", size+int64(i), l); err != nil {
			return fmt.Errorf("sqlite: insert ledger entry: %w", err)
		}
	}
	return appendTree(ctx, tx, size, leaves)
}

// FindLabel returns the state of the label with hash, or ENOTFOUND.
func (s *Store) FindLabel(ctx context.Context, hash [32]byte) (*label.State, error) {
	return labelsql.FindLabel(ctx, dialect, s.db(), hash)
}

// LabelUpdate runs fn in a write transaction(the single writer holds
// every label it reads).
func (s *Store) LabelUpdate(ctx context.Context, fn func(tx label.Tx) error) error {
	return s.update(ctx, func(tx *Tx) error {
		return fn(labelsql.Tx{D: dialect, Tx: tx.db(), WriteEvents: func(ctx context.Context, leaf epcis.LeafFunc, events []*epcis.Record) error {
			return writeEvents(ctx, tx, leaf, func(w epcis.EventWriter) error {
				_, err := w.Write(ctx, events)
				return err
			})
		}})
	})
}

func placeholders(n int) string { return labelsql.Marks(n) }

func hashArgs(hashes [][32]byte) []any { return labelsql.HashArgs(hashes) }

// optMicro is fromMicro, with 0 for the zero time.
func optMicro(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMicro(v)
}

// RecordScans stores scans in one transaction.
func (s *Store) RecordScans(ctx context.Context, scans []label.ScanRecord) error {
	if len(scans) == 0 {
		return nil
	}
	return s.update(ctx, func(tx *Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO label_scans (hash, at, lat, lon, ip_prefix, place, device, staff)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("sqlite: prepare: %w", err)
		}
		defer ins.Close()
		for _, r := range scans {
			var lat, lon any
			if r.Scan.HasPosition {
				lat, lon = r.Scan.Lat, r.Scan.Lon
			}
			if _, err := ins.ExecContext(ctx, r.Hash[:], micro(r.Scan.At), lat, lon, r.Scan.IPPrefix, r.Scan.Place,
				string(r.Scan.Device), r.Scan.Staff); err != nil {
				return fmt.Errorf("sqlite: insert scan: %w", err)
			}
		}
		return nil
	})
}

// LabelScans returns the first limit scans of a label and their number.
func (s *Store) LabelScans(ctx context.Context, hash [32]byte, limit int) ([]label.Scan, int, error) {
	rows, err := s.readRows(ctx, `SELECT at, lat, lon, ip_prefix, place, device, staff FROM label_scans
		WHERE hash = ? ORDER BY at, id LIMIT ?`, hash[:], limit)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: scans: %w", err)
	}
	defer rows.Close()
	var out []label.Scan
	for rows.Next() {
		var sc label.Scan
		var at int64
		var lat, lon sql.NullFloat64
		var device string
		if err := rows.Scan(&at, &lat, &lon, &sc.IPPrefix, &sc.Place, &device, &sc.Staff); err != nil {
			return nil, 0, fmt.Errorf("sqlite: scans: %w", err)
		}
		sc.At, sc.Device = fromMicro(at), label.DeviceClass(device)
		sc.HasPosition, sc.Lat, sc.Lon = lat.Valid && lon.Valid, lat.Float64, lon.Float64
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlite: scans: %w", err)
	}
	total := len(out)
	if total == limit { // there may be more: count them
		if err := s.readRow(ctx, "SELECT COUNT(*) FROM label_scans WHERE hash = ?", hash[:]).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("sqlite: count scans: %w", err)
		}
	}
	return out, total, nil
}

// CreateHold stores h.
func (s *Store) CreateHold(ctx context.Context, h *label.Hold) error {
	return s.update(ctx, func(tx *Tx) error {
		var until any
		if h.Until != nil {
			until = micro(*h.Until)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO label_holds (kind, gtin, batch, text, text_en, since, until, created_by, created_at)
			VALUES (?, ?, NULLIF(?, ''), ?, ?, ?, ?, NULLIF(?, 0), ?)`, string(h.Kind), h.GTIN, h.Batch, h.Text, h.TextEN,
			micro(h.Since), until, h.CreatedBy, micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: insert hold: %w", err)
		}
		h.ID, _ = res.LastInsertId()
		h.CreatedAt = tx.now
		return ledgerHold(ctx, tx, h)
	})
}

// Holds returns the holds on gtin (every hold for ""), oldest first.
func (s *Store) Holds(ctx context.Context, gtin string) ([]label.Hold, error) {
	return labelsql.Holds(ctx, dialect, s.db(), gtin)
}

// CreateComplaint stores c (FileComplaint without a quota).
func (s *Store) CreateComplaint(ctx context.Context, c *label.Complaint) error {
	return s.FileComplaint(ctx, c, 0)
}

// Complaints returns the latest complaints, newest first, without photos.
func (s *Store) Complaints(ctx context.Context, limit int) ([]label.Complaint, error) {
	rows, err := s.readRows(ctx, `SELECT id, COALESCE(gtin, ''), COALESCE(batch, ''), category, text, contact,
		COALESCE(photo_type, ''), device, created_at FROM label_complaints ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: complaints: %w", err)
	}
	defer rows.Close()
	var out []label.Complaint
	for rows.Next() {
		var c label.Complaint
		var created int64
		if err := rows.Scan(&c.ID, &c.GTIN, &c.Batch, &c.Category, &c.Text, &c.Contact, &c.PhotoType, &c.Device, &created); err != nil {
			return nil, fmt.Errorf("sqlite: complaints: %w", err)
		}
		c.CreatedAt = fromMicro(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// IssuanceChunks yields every issuance leaf's chunk in ledger order.
func (s *Store) IssuanceChunks(ctx context.Context, fn func(c *label.IssuanceChunk) error) error {
	rows, err := s.reader.QueryContext(ctx, `SELECT r.id, r.enterprise_id, r.count, r.caption, r.ledger_idx, r.created_at, e.uscc
		FROM label_requests r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.ledger_idx IS NOT NULL ORDER BY r.ledger_idx`)
	if err != nil {
		return fmt.Errorf("sqlite: label requests: %w", err)
	}
	type reqUSCC struct {
		req  *label.Request
		uscc string
	}
	var reqs []reqUSCC
	for rows.Next() {
		var r label.Request
		var created int64
		var uscc string
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &r.Count, &r.Caption, &r.LedgerIndex, &created, &uscc); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: label requests: %w", err)
		}
		r.CreatedAt = fromMicro(created)
		reqs = append(reqs, reqUSCC{&r, uscc})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: label requests: %w", err)
	}
	for _, rq := range reqs {
		rows, err := s.reader.QueryContext(ctx, "SELECT chunk, commitments FROM label_chunks WHERE request_id = ? ORDER BY chunk", rq.req.ID)
		if err != nil {
			return fmt.Errorf("sqlite: label chunks: %w", err)
		}
		for rows.Next() {
			c := &label.IssuanceChunk{Request: rq.req, USCC: rq.uscc}
			var blob []byte
			if err := rows.Scan(&c.Index, &blob); err != nil {
				rows.Close()
				return fmt.Errorf("sqlite: label chunks: %w", err)
			}
			c.LedgerIndex, c.Commitments = rq.req.LedgerIndex+int64(c.Index), label.SplitCommitments(blob)
			if err := fn(c); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlite: label chunks: %w", err)
		}
	}
	return nil
}
