package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/store/internal/labelsql"
)

var _ label.Store = (*Store)(nil)

// IssueLabels stores a label request, its labels (by COPY) and its issuance
// leaves in one transaction under the ledger's sequencer lock.
func (s *Store) IssueLabels(ctx context.Context, req *label.Request, labels []label.Issued, chunks [][]byte, leaves [][]byte) error {
	return s.update(ctx, func(tx *Tx) error {
		var idx *int64
		var size int64
		req.LedgerIndex = -1
		if len(leaves) > 0 {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
				return fmt.Errorf("postgres: ledger lock: %w", err)
			}
			var err error
			if size, err = ledgerSize(ctx, tx); err != nil {
				return err
			}
			idx, req.LedgerIndex = &size, size
		}
		err := tx.QueryRow(ctx, `INSERT INTO label_requests (enterprise_id, count, caption, ledger_idx, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, req.EnterpriseID, req.Count, req.Caption, idx, req.CreatedAt).Scan(&req.ID)
		if err != nil {
			return fmt.Errorf("postgres: insert label request: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"label_chunks"}, []string{"request_id", "chunk", "commitments"},
			pgx.CopyFromSlice(len(chunks), func(i int) ([]any, error) { return []any{req.ID, int64(i), chunks[i]}, nil })); err != nil {
			return fmt.Errorf("postgres: insert label chunks: %w", err)
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"labels"}, []string{"hash", "request_id", "seq"},
			pgx.CopyFromSlice(len(labels), func(i int) ([]any, error) {
				return []any{labels[i].Hash[:], req.ID, int64(labels[i].Seq)}, nil
			}))
		if isUnique(err) {
			return tracegate.Errorf(tracegate.ECONFLICT, "a generated label code is issued already; request again")
		} else if err != nil {
			return fmt.Errorf("postgres: insert labels: %w", err)
		}
		if len(leaves) == 0 {
			return nil
		}
		idxs := make([]int64, len(leaves))
		for i := range leaves {
			idxs[i] = size + int64(i)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO ledger_entries (idx, leaf) SELECT * FROM unnest($1::bigint[], $2::bytea[])", idxs, leaves); err != nil {
			return fmt.Errorf("postgres: insert ledger entries: %w", err)
		}
		return appendTree(ctx, tx, size, leaves)
	})
}

// FindLabel returns the state of the label with hash, or ENOTFOUND.
func (s *Store) FindLabel(ctx context.Context, hash [32]byte) (*label.State, error) {
	return labelsql.FindLabel(ctx, dialect, s.db(), hash)
}

// LabelUpdate runs fn in a write transaction; the labels it reads are
// locked (labelsql.Labels).
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

// RecordScans stores scans with one COPY.
func (s *Store) RecordScans(ctx context.Context, scans []label.ScanRecord) error {
	if len(scans) == 0 {
		return nil
	}
	_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"label_scans"}, []string{"hash", "at", "lat", "lon", "ip_prefix", "place", "device", "staff"},
		pgx.CopyFromSlice(len(scans), func(i int) ([]any, error) {
			r := scans[i]
			var lat, lon *float64
			if r.Scan.HasPosition {
				lat, lon = &r.Scan.Lat, &r.Scan.Lon
			}
			return []any{r.Hash[:], r.Scan.At, lat, lon, r.Scan.IPPrefix, r.Scan.Place, string(r.Scan.Device), r.Scan.Staff}, nil
		}))
	if err != nil {
		return fmt.Errorf("postgres: insert scans: %w", err)
	}
	return nil
}

// LabelScans returns the first limit scans of a label and their number.
func (s *Store) LabelScans(ctx context.Context, hash [32]byte, limit int) ([]label.Scan, int, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, lat, lon, ip_prefix, place, device, staff FROM label_scans
		WHERE hash = $1 ORDER BY at, id LIMIT $2`, hash[:], limit)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: scans: %w", err)
	}
	defer rows.Close()
	var out []label.Scan
	for rows.Next() {
		var sc label.Scan
		var lat, lon *float64
		var device string
		if err := rows.Scan(&sc.At, &lat, &lon, &sc.IPPrefix, &sc.Place, &device, &sc.Staff); err != nil {
			return nil, 0, fmt.Errorf("postgres: scans: %w", err)
		}
		sc.At, sc.Device = sc.At.UTC(), label.DeviceClass(device)
		if lat != nil && lon != nil {
			sc.HasPosition, sc.Lat, sc.Lon = true, *lat, *lon
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("postgres: scans: %w", err)
	}
	total := len(out)
	if total == limit { // there may be more: count them
		if err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM label_scans WHERE hash = $1", hash[:]).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("postgres: count scans: %w", err)
		}
	}
	return out, total, nil
}

// CreateHold stores h.
func (s *Store) CreateHold(ctx context.Context, h *label.Hold) error {
	return s.update(ctx, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO label_holds (kind, gtin, batch, text, text_en, since, until, created_by, created_at)
			VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, NULLIF($8, 0), $9) RETURNING id`, string(h.Kind), h.GTIN, h.Batch,
			h.Text, h.TextEN, h.Since, h.Until, h.CreatedBy, tx.now).Scan(&h.ID)
		if err != nil {
			return fmt.Errorf("postgres: insert hold: %w", err)
		}
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
	rows, err := s.pool.Query(ctx, `SELECT id, COALESCE(gtin, ''), COALESCE(batch, ''), category, text, contact,
		COALESCE(photo_type, ''), device, created_at FROM label_complaints ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: complaints: %w", err)
	}
	defer rows.Close()
	var out []label.Complaint
	for rows.Next() {
		var c label.Complaint
		if err := rows.Scan(&c.ID, &c.GTIN, &c.Batch, &c.Category, &c.Text, &c.Contact, &c.PhotoType, &c.Device, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: complaints: %w", err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// IssuanceChunks yields every issuance leaf's chunk in ledger order.
func (s *Store) IssuanceChunks(ctx context.Context, fn func(c *label.IssuanceChunk) error) error {
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.enterprise_id, r.count, r.caption, r.ledger_idx, r.created_at, e.uscc
		FROM label_requests r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.ledger_idx IS NOT NULL ORDER BY r.ledger_idx`)
	if err != nil {
		return fmt.Errorf("postgres: label requests: %w", err)
	}
	type reqUSCC struct {
		req  *label.Request
		uscc string
	}
	var reqs []reqUSCC
	for rows.Next() {
		var r label.Request
		var uscc string
		if err := rows.Scan(&r.ID, &r.EnterpriseID, &r.Count, &r.Caption, &r.LedgerIndex, &r.CreatedAt, &uscc); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: label requests: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		reqs = append(reqs, reqUSCC{&r, uscc})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: label requests: %w", err)
	}
	for _, rq := range reqs {
		rows, err := s.pool.Query(ctx, "SELECT chunk, commitments FROM label_chunks WHERE request_id = $1 ORDER BY chunk", rq.req.ID)
		if err != nil {
			return fmt.Errorf("postgres: label chunks: %w", err)
		}
		var chunks []*label.IssuanceChunk
		for rows.Next() {
			c := &label.IssuanceChunk{Request: rq.req, USCC: rq.uscc}
			var blob []byte
			if err := rows.Scan(&c.Index, &blob); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: label chunks: %w", err)
			}
			c.LedgerIndex, c.Commitments = rq.req.LedgerIndex+int64(c.Index), label.SplitCommitments(blob)
			chunks = append(chunks, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: label chunks: %w", err)
		}
		for _, c := range chunks {
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}
