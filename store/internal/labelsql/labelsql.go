// Package labelsql is the SQL of label binding both stores share: the
// labels' states (locked for the binding transaction where the dialect
// locks rows), the holds, the binding, intake, dispatch and unbinding rows
// and the capture job of the binding events. label.Service runs the use-case
// over label.Tx; each store's label.Tx calls these with its dialect and
// writes the events with its own EPCIS writer.
package labelsql

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/store/internal/sqldb"
)

// chunk is how many labels one statement reads or changes.
const chunk = 1000

// Columns are the columns Scan reads, labels l joined to their request r and
// their current bindings i (intake) and d (dispatch), in From.
const Columns = `l.hash, l.request_id, l.seq, r.enterprise_id, r.created_at,
	COALESCE(r.ledger_idx, -1), COALESCE(i.product_id, 0), COALESCE(i.gtin, ''), COALESCE(i.batch, ''),
	COALESCE(i.production_date, ''), COALESCE(i.expiry_date, ''), COALESCE(i.warehouse, ''), COALESCE(i.warehouse_id, 0),
	i.at, COALESCE(i.event_id, ''), COALESCE(d.ebp_code, ''), COALESCE(d.order_no, ''),
	COALESCE(d.logistics_code, ''), COALESCE(d.waybill_no, ''), d.at, COALESCE(d.event_id, ''), COALESCE(i.location, '')`

// From joins a label to its request and its current bindings.
const From = ` FROM labels l JOIN label_requests r ON r.id = l.request_id
	LEFT JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN label_dispatches d ON d.id = l.dispatch_id `

// Scan reads one row of Columns.
func Scan(d sqldb.Dialect, row sqldb.Row) (*label.State, error) {
	var st label.State
	var hash []byte
	var intake, dispatch *time.Time
	err := row.Scan(&hash, &st.RequestID, &st.Seq, &st.IssuedTo, d.TimeDest(&st.IssuedAt), &st.IssuanceLeaf, &st.ProductID,
		&st.GTIN, &st.Batch, &st.ProductionDate, &st.ExpiryDate, &st.Warehouse, &st.WarehouseID, d.NullTimeDest(&intake), &st.IntakeEvent,
		&st.EBPCode, &st.OrderNo, &st.LogisticsCode, &st.WaybillNo, d.NullTimeDest(&dispatch), &st.DispatchEvent, &st.Location)
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
func FindLabel(ctx context.Context, d sqldb.Dialect, q sqldb.Q, hash [32]byte) (*label.State, error) {
	st, err := Scan(d, q.QueryRow(ctx, "SELECT "+Columns+From+"WHERE l.hash = ?", hash[:]))
	if err != nil && d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no such label")
	} else if err != nil {
		return nil, fmt.Errorf("%s: find label: %w", d.Name, err)
	}
	return st, nil
}

// Labels returns the state of each label of hashes (nil for a hash never
// issued), a thousand at a time. Where the dialect locks rows, the labels
// are locked first, in hash order (concurrent bindings cannot deadlock),
// and read in statements of their own: a join read under a lock wait would
// see the bindings of the old snapshot, before the binding that held the
// lock.
func Labels(ctx context.Context, d sqldb.Dialect, tx sqldb.Tx, hashes [][32]byte) ([]*label.State, error) {
	if lock := d.ForUpdate("labels"); lock != "" {
		sorted := slices.Clone(hashes)
		slices.SortFunc(sorted, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
		for lo := 0; lo < len(sorted); lo += chunk {
			part := sorted[lo:min(len(sorted), lo+chunk)]
			if _, err := tx.Exec(ctx, "SELECT hash FROM labels WHERE hash IN ("+Marks(len(part))+") ORDER BY hash"+lock,
				HashArgs(part)...); err != nil {
				return nil, fmt.Errorf("%s: lock labels: %w", d.Name, err)
			}
		}
	}
	found := make(map[[32]byte]*label.State, len(hashes))
	for lo := 0; lo < len(hashes); lo += chunk {
		part := hashes[lo:min(len(hashes), lo+chunk)]
		rows, err := tx.Query(ctx, "SELECT "+Columns+From+"WHERE l.hash IN ("+Marks(len(part))+")", HashArgs(part)...)
		if err != nil {
			return nil, fmt.Errorf("%s: find labels: %w", d.Name, err)
		}
		for rows.Next() {
			st, err := Scan(d, rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s: find labels: %w", d.Name, err)
			}
			found[st.Hash] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: find labels: %w", d.Name, err)
		}
	}
	states := make([]*label.State, len(hashes))
	for i, h := range hashes {
		states[i] = found[h]
	}
	return states, nil
}

// Marks is n "?" markers, comma-separated.
func Marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// HashArgs are hashes as statement arguments.
func HashArgs(hashes [][32]byte) []any {
	args := make([]any, len(hashes))
	for i := range hashes {
		args[i] = hashes[i][:]
	}
	return args
}

// Holds returns the holds on gtin (every hold for ""), oldest first.
func Holds(ctx context.Context, d sqldb.Dialect, q sqldb.Q, gtin string) ([]label.Hold, error) {
	rows, err := q.Query(ctx, `SELECT id, kind, gtin, COALESCE(batch, ''), text, text_en, since, until, COALESCE(created_by, 0), created_at
		FROM label_holds WHERE ? = '' OR gtin = ? ORDER BY since, id`, gtin, gtin)
	if err != nil {
		return nil, fmt.Errorf("%s: holds: %w", d.Name, err)
	}
	defer rows.Close()
	var out []label.Hold
	for rows.Next() {
		var h label.Hold
		var kind string
		if err := rows.Scan(&h.ID, &kind, &h.GTIN, &h.Batch, &h.Text, &h.TextEN, d.TimeDest(&h.Since), d.NullTimeDest(&h.Until),
			&h.CreatedBy, d.TimeDest(&h.CreatedAt)); err != nil {
			return nil, fmt.Errorf("%s: holds: %w", d.Name, err)
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

// ApplyBinding records the bindings of b (all checked), one binding row per
// event, points its labels at them (or at none, when unbinding) and records
// unbindings: the labels an event records are a run of b.Hashes with one
// eventID.
func ApplyBinding(ctx context.Context, d sqldb.Dialect, tx sqldb.Tx, b *label.Binding, states []*label.State) error {
	at := d.Time(b.At)
	for lo := 0; lo < len(b.Hashes); {
		hi := lo + 1
		for hi < len(b.Hashes) && b.EventIDs[hi] == b.EventIDs[lo] {
			hi++
		}
		event := b.EventIDs[lo]
		set := "intake_id"
		var id *int64
		switch b.Kind {
		case label.BindIntake:
			var v int64
			if err := tx.QueryRow(ctx, `INSERT INTO label_intakes (enterprise_id, product_id, gtin, batch, production_date, expiry_date,
				warehouse, warehouse_id, at, event_id, location) VALUES (?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, NULLIF(?, 0), ?, ?, ?) RETURNING id`,
				b.EnterpriseID, b.ProductID, b.GTIN, b.Batch, b.ProductionDate, b.ExpiryDate, b.Warehouse, b.WarehouseID, at, event, b.Location).Scan(&v); err != nil {
				return fmt.Errorf("%s: insert intake: %w", d.Name, err)
			}
			id = &v
		case label.BindDispatch:
			var v int64
			if err := tx.QueryRow(ctx, `INSERT INTO label_dispatches (enterprise_id, ebp_code, order_no, logistics_code, waybill_no, at, event_id,
				consignee, consignee_phone, consignee_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				b.EnterpriseID, b.EBPCode, b.OrderNo, b.LogisticsCode, b.WaybillNo, at, event, b.Consignee, b.ConsigneePhone, b.ConsigneeAddress).Scan(&v); err != nil {
				return fmt.Errorf("%s: insert dispatch: %w", d.Name, err)
			}
			set, id = "dispatch_id", &v
		case label.UnbindIntake, label.UnbindDispatch:
			if b.Kind == label.UnbindDispatch {
				set = "dispatch_id"
			}
			for plo := lo; plo < hi; plo += chunk {
				phi := min(hi, plo+chunk)
				rows := make([]any, 0, 7*(phi-plo))
				for i := plo; i < phi; i++ {
					kind, detail := label.UnbindingDetail(b.Kind, states[i])
					rows = append(rows, b.Hashes[i][:], kind, b.Reason, detail, b.EnterpriseID, event, at)
				}
				if _, err := tx.Exec(ctx, "INSERT INTO label_unbindings (hash, kind, reason, detail, enterprise_id, event_id, at) VALUES "+
					strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", phi-plo), ", "), rows...); err != nil {
					return fmt.Errorf("%s: insert unbindings: %w", d.Name, err)
				}
			}
		}
		for plo := lo; plo < hi; plo += chunk {
			part := b.Hashes[plo:min(hi, plo+chunk)]
			if _, err := tx.Exec(ctx, "UPDATE labels SET "+set+" = ? WHERE hash IN ("+Marks(len(part))+")",
				append([]any{id}, HashArgs(part)...)...); err != nil {
				return fmt.Errorf("%s: bind labels: %w", d.Name, err)
			}
		}
		lo = hi
	}
	return nil
}

// CaptureJob creates the capture job of n binding events of enterpriseID,
// finished at once, and sets it on each of events.
func CaptureJob(ctx context.Context, d sqldb.Dialect, tx sqldb.Tx, enterpriseID int64, events []*epcis.Record) error {
	now := d.Time(tx.Now())
	var job int64
	if err := tx.QueryRow(ctx, `INSERT INTO epcis_capture_jobs (enterprise_id, behaviour, running, success, captured, created_at, finished_at)
		VALUES (?, ?, FALSE, TRUE, ?, ?, ?) RETURNING id`, enterpriseID, epcis.Rollback, len(events), now, now).Scan(&job); err != nil {
		return fmt.Errorf("%s: create capture job: %w", d.Name, err)
	}
	for _, r := range events {
		r.CaptureID = job
	}
	return nil
}

// Tx is a store's write transaction as a label.Tx: these statements in the
// store's dialect, and the store's EPCIS writer for the binding events.
type Tx struct {
	D  sqldb.Dialect
	Tx sqldb.Tx
	// WriteEvents writes events (their capture job set) with their ledger
	// leaves when leaf is set.
	WriteEvents func(ctx context.Context, leaf epcis.LeafFunc, events []*epcis.Record) error
}

var _ label.Tx = Tx{}

// Labels returns the labels' states, held until the transaction ends.
func (t Tx) Labels(ctx context.Context, hashes [][32]byte) ([]*label.State, error) {
	return Labels(ctx, t.D, t.Tx, hashes)
}

// Holds returns the holds on gtin, oldest first.
func (t Tx) Holds(ctx context.Context, gtin string) ([]label.Hold, error) {
	return Holds(ctx, t.D, t.Tx, gtin)
}

// ApplyBinding writes b.
func (t Tx) ApplyBinding(ctx context.Context, b *label.Binding, states []*label.State) error {
	return ApplyBinding(ctx, t.D, t.Tx, b, states)
}

// CaptureEvents writes events in a capture job of their own.
func (t Tx) CaptureEvents(ctx context.Context, enterpriseID int64, leaf epcis.LeafFunc, events []*epcis.Record) error {
	if err := CaptureJob(ctx, t.D, t.Tx, enterpriseID, events); err != nil {
		return err
	}
	return t.WriteEvents(ctx, leaf, events)
}
