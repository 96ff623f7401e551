package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
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

// labelColumns are the columns scanLabel reads, labels l joined to their
// request r and their current bindings i (intake) and d (dispatch), in
// labelsFrom.
const labelColumns = `l.hash, l.request_id, l.seq, r.enterprise_id, r.created_at,
	COALESCE(r.ledger_idx, -1), COALESCE(i.product_id, 0), COALESCE(i.gtin, ''), COALESCE(i.batch, ''),
	COALESCE(i.production_date, ''), COALESCE(i.expiry_date, ''), COALESCE(i.warehouse, ''), COALESCE(i.warehouse_id, 0),
	COALESCE(i.at, 0), COALESCE(i.event_id, ''), COALESCE(d.ebp_code, ''), COALESCE(d.order_no, ''),
	COALESCE(d.logistics_code, ''), COALESCE(d.waybill_no, ''), COALESCE(d.at, 0), COALESCE(d.event_id, ''), COALESCE(i.location, '')`

const labelsFrom = ` FROM labels l JOIN label_requests r ON r.id = l.request_id
	LEFT JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN label_dispatches d ON d.id = l.dispatch_id`

const labelByHash = "SELECT " + labelColumns + labelsFrom + " WHERE l.hash = ?"

func scanLabel(row rowScanner) (*label.State, error) {
	var st label.State
	var hash []byte
	var issued, intake, dispatch int64
	err := row.Scan(&hash, &st.RequestID, &st.Seq, &st.IssuedTo, &issued, &st.IssuanceLeaf, &st.ProductID,
		&st.GTIN, &st.Batch, &st.ProductionDate, &st.ExpiryDate, &st.Warehouse, &st.WarehouseID, &intake, &st.IntakeEvent,
		&st.EBPCode, &st.OrderNo, &st.LogisticsCode, &st.WaybillNo, &dispatch, &st.DispatchEvent, &st.Location)
	if err != nil {
		return nil, err
	}
	copy(st.Hash[:], hash)
	st.IssuanceLeaf = label.IssuanceLeafIndex(st.IssuanceLeaf, st.Seq) // scanned as the request's first leaf
	st.IssuedAt, st.IntakeAt, st.DispatchAt = fromMicro(issued), optMicro(intake), optMicro(dispatch)
	return &st, nil
}

// optMicro is fromMicro, with 0 for the zero time.
func optMicro(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMicro(v)
}

// FindLabel returns the state of the label with hash, or ENOTFOUND.
func (s *Store) FindLabel(ctx context.Context, hash [32]byte) (*label.State, error) {
	st, err := scanLabel(s.readRow(ctx, labelByHash, hash[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such label")
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: find label: %w", err)
	}
	return st, nil
}

// BindLabels checks and applies b with its events in one transaction.
func (s *Store) BindLabels(ctx context.Context, b *label.Binding, leaf epcis.LeafFunc, events []*epcis.Record) error {
	return s.update(ctx, func(tx *Tx) error {
		states, err := findLabels(ctx, tx, b.Hashes)
		if err != nil {
			return err
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
		if err := applyBinding(ctx, tx, b, states); err != nil {
			return err
		}
		// The events come in a capture job of their own, finished at once.
		res, err := tx.ExecContext(ctx, `INSERT INTO epcis_capture_jobs (enterprise_id, behaviour, running, success, captured, created_at, finished_at)
			VALUES (?, ?, 0, 1, ?, ?, ?)`, b.EnterpriseID, epcis.Rollback, len(events), micro(tx.now), micro(tx.now))
		if err != nil {
			return fmt.Errorf("sqlite: create capture job: %w", err)
		}
		job, _ := res.LastInsertId()
		for _, r := range events {
			r.CaptureID = job
		}
		return writeEvents(ctx, tx, leaf, func(w epcis.EventWriter) error {
			_, err := w.Write(ctx, events)
			return err
		})
	})
}

// findLabels returns the state of each label of hashes (nil for a hash
// never issued), reading a thousand at a time.
func findLabels(ctx context.Context, tx *Tx, hashes [][32]byte) ([]*label.State, error) {
	found := make(map[[32]byte]*label.State, len(hashes))
	for lo := 0; lo < len(hashes); lo += 1000 {
		part := hashes[lo:min(len(hashes), lo+1000)]
		rows, err := tx.QueryContext(ctx, "SELECT "+labelColumns+labelsFrom+" WHERE l.hash IN ("+
			placeholders(len(part))+")", hashArgs(part)...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: find labels: %w", err)
		}
		for rows.Next() {
			st, err := scanLabel(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: find labels: %w", err)
			}
			found[st.Hash] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: find labels: %w", err)
		}
	}
	states := make([]*label.State, len(hashes))
	for i, h := range hashes {
		states[i] = found[h]
	}
	return states, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func hashArgs(hashes [][32]byte) []any {
	args := make([]any, len(hashes))
	for i := range hashes {
		args[i] = hashes[i][:]
	}
	return args
}

// applyBinding records the bindings of b (all checked), one binding row
// per event, points its labels at them (or at none, when unbinding) and
// records unbindings: the labels an event records are a run of b.Hashes
// with one eventID.
func applyBinding(ctx context.Context, tx *Tx, b *label.Binding, states []*label.State) error {
	at := micro(b.At)
	for lo := 0; lo < len(b.Hashes); {
		hi := lo + 1
		for hi < len(b.Hashes) && b.EventIDs[hi] == b.EventIDs[lo] {
			hi++
		}
		part, event := b.Hashes[lo:hi], b.EventIDs[lo]
		var set string
		var id any
		switch b.Kind {
		case label.BindIntake:
			res, err := tx.ExecContext(ctx, `INSERT INTO label_intakes (enterprise_id, product_id, gtin, batch, production_date, expiry_date,
				warehouse, warehouse_id, at, event_id, location) VALUES (?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, NULLIF(?, 0), ?, ?, ?)`,
				b.EnterpriseID, b.ProductID, b.GTIN, b.Batch, b.ProductionDate, b.ExpiryDate, b.Warehouse, b.WarehouseID, at, event, b.Location)
			if err != nil {
				return fmt.Errorf("sqlite: insert intake: %w", err)
			}
			set, id = "intake_id", lastID(res)
		case label.BindDispatch:
			res, err := tx.ExecContext(ctx, `INSERT INTO label_dispatches (enterprise_id, ebp_code, order_no, logistics_code, waybill_no, at, event_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, b.EnterpriseID, b.EBPCode, b.OrderNo, b.LogisticsCode, b.WaybillNo, at, event)
			if err != nil {
				return fmt.Errorf("sqlite: insert dispatch: %w", err)
			}
			set, id = "dispatch_id", lastID(res)
		case label.UnbindIntake, label.UnbindDispatch:
			set = "intake_id"
			if b.Kind == label.UnbindDispatch {
				set = "dispatch_id"
			}
			var rows []any
			for i := lo; i < hi; i++ {
				kind, detail := label.UnbindingDetail(b.Kind, states[i])
				rows = append(rows, b.Hashes[i][:], kind, b.Reason, detail, b.EnterpriseID, event, at)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO label_unbindings (hash, kind, reason, detail, enterprise_id, event_id, at) VALUES "+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", hi-lo), ", "), rows...); err != nil {
				return fmt.Errorf("sqlite: insert unbindings: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE labels SET "+set+" = ? WHERE hash IN ("+placeholders(len(part))+")",
			append([]any{id}, hashArgs(part)...)...); err != nil {
			return fmt.Errorf("sqlite: bind labels: %w", err)
		}
		lo = hi
	}
	return nil
}

func lastID(res sql.Result) int64 {
	id, _ := res.LastInsertId()
	return id
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
	return queryHolds(ctx, s.reader, gtin)
}

func queryHolds(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, gtin string) ([]label.Hold, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, gtin, COALESCE(batch, ''), text, text_en, since, until, COALESCE(created_by, 0), created_at
		FROM label_holds WHERE ? = '' OR gtin = ? ORDER BY since, id`, gtin, gtin)
	if err != nil {
		return nil, fmt.Errorf("sqlite: holds: %w", err)
	}
	defer rows.Close()
	var out []label.Hold
	for rows.Next() {
		var h label.Hold
		var kind string
		var since, created int64
		var until sql.NullInt64
		if err := rows.Scan(&h.ID, &kind, &h.GTIN, &h.Batch, &h.Text, &h.TextEN, &since, &until, &h.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("sqlite: holds: %w", err)
		}
		h.Kind, h.Since, h.CreatedAt = label.NoticeKind(kind), fromMicro(since), fromMicro(created)
		if until.Valid {
			t := fromMicro(until.Int64)
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
