package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
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

// labelColumns are the columns scanLabel reads, labels l joined to their
// request r and their current bindings i (intake) and d (dispatch), in
// labelsFrom.
const labelColumns = `l.hash, l.request_id, l.seq, r.enterprise_id, r.created_at,
	COALESCE(r.ledger_idx, -1), COALESCE(i.product_id, 0), COALESCE(i.gtin, ''), COALESCE(i.batch, ''),
	COALESCE(i.production_date, ''), COALESCE(i.expiry_date, ''), COALESCE(i.warehouse, ''), COALESCE(i.warehouse_id, 0),
	i.at, COALESCE(i.event_id, ''), COALESCE(d.ebp_code, ''), COALESCE(d.order_no, ''),
	COALESCE(d.logistics_code, ''), COALESCE(d.waybill_no, ''), d.at, COALESCE(d.event_id, ''), COALESCE(i.location, '')`

const labelsFrom = ` FROM labels l JOIN label_requests r ON r.id = l.request_id
	LEFT JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN label_dispatches d ON d.id = l.dispatch_id `

func scanLabel(row pgx.Row) (*label.State, error) {
	var st label.State
	var hash []byte
	var intake, dispatch *time.Time
	err := row.Scan(&hash, &st.RequestID, &st.Seq, &st.IssuedTo, &st.IssuedAt, &st.IssuanceLeaf, &st.ProductID,
		&st.GTIN, &st.Batch, &st.ProductionDate, &st.ExpiryDate, &st.Warehouse, &st.WarehouseID, &intake, &st.IntakeEvent,
		&st.EBPCode, &st.OrderNo, &st.LogisticsCode, &st.WaybillNo, &dispatch, &st.DispatchEvent, &st.Location)
	if err != nil {
		return nil, err
	}
	copy(st.Hash[:], hash)
	st.IssuanceLeaf = label.IssuanceLeafIndex(st.IssuanceLeaf, st.Seq) // scanned as the request's first leaf
	st.IssuedAt = st.IssuedAt.UTC()
	if intake != nil {
		st.IntakeAt = intake.UTC()
	}
	if dispatch != nil {
		st.DispatchAt = dispatch.UTC()
	}
	return &st, nil
}

// FindLabel returns the state of the label with hash, or ENOTFOUND.
func (s *Store) FindLabel(ctx context.Context, hash [32]byte) (*label.State, error) {
	st, err := scanLabel(s.pool.QueryRow(ctx, "SELECT "+labelColumns+labelsFrom+"WHERE l.hash = $1", hash[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such label")
	} else if err != nil {
		return nil, fmt.Errorf("postgres: find label: %w", err)
	}
	return st, nil
}

// BindLabels checks and applies b with its events in one transaction,
// holding the labels' rows.
func (s *Store) BindLabels(ctx context.Context, b *label.Binding, leaf epcis.LeafFunc, events []*epcis.Record) error {
	return s.update(ctx, func(tx *Tx) error {
		keys := make([][]byte, len(b.Hashes))
		for i := range b.Hashes {
			keys[i] = b.Hashes[i][:]
		}
		// Lock the labels first (in hash order, so that concurrent bindings
		// cannot deadlock), then read their bindings in a new statement: a
		// join read under a lock wait would see the bindings of the old
		// snapshot, before the binding that held the lock.
		if _, err := tx.Exec(ctx, "SELECT hash FROM labels WHERE hash = ANY($1) ORDER BY hash FOR UPDATE", keys); err != nil {
			return fmt.Errorf("postgres: lock labels: %w", err)
		}
		rows, err := tx.Query(ctx, "SELECT "+labelColumns+labelsFrom+"WHERE l.hash = ANY($1)", keys)
		if err != nil {
			return fmt.Errorf("postgres: find labels: %w", err)
		}
		found := make(map[[32]byte]*label.State, len(keys))
		for rows.Next() {
			st, err := scanLabel(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("postgres: find labels: %w", err)
			}
			found[st.Hash] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: find labels: %w", err)
		}
		states := make([]*label.State, len(b.Hashes))
		for i, h := range b.Hashes {
			states[i] = found[h]
		}
		var holds []label.Hold
		for _, g := range label.BindingGTINs(b, states) {
			hs, err := queryHolds(ctx, tx, g)
			if err != nil {
				return err
			}
			holds = append(holds, hs...)
		}
		if err := label.CheckBinding(b, states, holds); err != nil {
			return err
		}
		if err := applyBinding(ctx, tx, b, keys, states); err != nil {
			return err
		}
		// The events come in a capture job of their own, finished at once.
		var job int64
		if err := tx.QueryRow(ctx, `INSERT INTO epcis_capture_jobs (enterprise_id, behaviour, running, success, captured, created_at, finished_at)
			VALUES ($1, $2, false, true, $3, $4, $4) RETURNING id`, b.EnterpriseID, epcis.Rollback, len(events), tx.now).Scan(&job); err != nil {
			return fmt.Errorf("postgres: create capture job: %w", err)
		}
		for _, r := range events {
			r.CaptureID = job
		}
		return writeEvents(ctx, tx, leaf, func(w epcis.EventWriter) error {
			_, err := w.Write(ctx, events)
			return err
		})
	})
}

// applyBinding records the bindings of b (all checked), one binding row
// per event, points its labels at them (or at none, when unbinding) and
// records unbindings: the labels an event records are a run of b.Hashes
// with one eventID.
func applyBinding(ctx context.Context, tx *Tx, b *label.Binding, keys [][]byte, states []*label.State) error {
	for lo := 0; lo < len(b.Hashes); {
		hi := lo + 1
		for hi < len(b.Hashes) && b.EventIDs[hi] == b.EventIDs[lo] {
			hi++
		}
		part, event := keys[lo:hi], b.EventIDs[lo]
		set := "intake_id"
		var id *int64
		switch b.Kind {
		case label.BindIntake:
			var v int64
			if err := tx.QueryRow(ctx, `INSERT INTO label_intakes (enterprise_id, product_id, gtin, batch, production_date, expiry_date,
				warehouse, warehouse_id, at, event_id, location) VALUES ($1, $2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), $7, NULLIF($8, 0), $9, $10, $11) RETURNING id`,
				b.EnterpriseID, b.ProductID, b.GTIN, b.Batch, b.ProductionDate, b.ExpiryDate, b.Warehouse, b.WarehouseID, b.At, event, b.Location).Scan(&v); err != nil {
				return fmt.Errorf("postgres: insert intake: %w", err)
			}
			id = &v
		case label.BindDispatch:
			var v int64
			if err := tx.QueryRow(ctx, `INSERT INTO label_dispatches (enterprise_id, ebp_code, order_no, logistics_code, waybill_no, at, event_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, b.EnterpriseID, b.EBPCode, b.OrderNo, b.LogisticsCode, b.WaybillNo,
				b.At, event).Scan(&v); err != nil {
				return fmt.Errorf("postgres: insert dispatch: %w", err)
			}
			set, id = "dispatch_id", &v
		case label.UnbindIntake, label.UnbindDispatch:
			if b.Kind == label.UnbindDispatch {
				set = "dispatch_id"
			}
			kinds, details := make([]string, hi-lo), make([]string, hi-lo)
			for i := lo; i < hi; i++ {
				kinds[i-lo], details[i-lo] = label.UnbindingDetail(b.Kind, states[i])
			}
			if _, err := tx.Exec(ctx, `INSERT INTO label_unbindings (hash, kind, reason, detail, enterprise_id, event_id, at)
				SELECT u.h, u.k, $2, u.d, $3, $4, $5 FROM unnest($1::bytea[], $6::text[], $7::text[]) AS u(h, k, d)`,
				part, b.Reason, b.EnterpriseID, event, b.At, kinds, details); err != nil {
				return fmt.Errorf("postgres: insert unbindings: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE labels SET "+set+" = $1 WHERE hash = ANY($2)", id, part); err != nil {
			return fmt.Errorf("postgres: bind labels: %w", err)
		}
		lo = hi
	}
	return nil
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
	return queryHolds(ctx, s.pool, gtin)
}

func queryHolds(ctx context.Context, q querier, gtin string) ([]label.Hold, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, gtin, COALESCE(batch, ''), text, text_en, since, until, COALESCE(created_by, 0), created_at
		FROM label_holds WHERE $1 = '' OR gtin = $1 ORDER BY since, id`, gtin)
	if err != nil {
		return nil, fmt.Errorf("postgres: holds: %w", err)
	}
	defer rows.Close()
	var out []label.Hold
	for rows.Next() {
		var h label.Hold
		var kind string
		if err := rows.Scan(&h.ID, &kind, &h.GTIN, &h.Batch, &h.Text, &h.TextEN, &h.Since, &h.Until, &h.CreatedBy, &h.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: holds: %w", err)
		}
		h.Kind, h.Since, h.CreatedAt = label.NoticeKind(kind), h.Since.UTC(), h.CreatedAt.UTC()
		if h.Until != nil {
			t := h.Until.UTC()
			h.Until = &t
		}
		out = append(out, h)
	}
	return out, rows.Err()
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
