package risksql

import (
	"context"
	"strings"
	"time"

	"tracegate"
	"tracegate/risk"
)

// RiskStock answers the stock search from the label bindings: labels bound
// at intake to the GTIN (and batch) and not dispatched are in stock at the
// intake's warehouse; dispatched ones are delivered once an EPCIS
// receiving event on the label follows the dispatch.
func (s *Store) RiskStock(ctx context.Context, f risk.StockFilter) (*risk.Stock, error) {
	where := " WHERE i.gtin = ?"
	args := []any{f.GTIN}
	if f.Batch != "" {
		where += " AND i.batch = ?"
		args = append(args, f.Batch)
	}
	if f.HolderID != 0 {
		where += " AND (i.enterprise_id = ? OR i.warehouse_id = ? OR i.product_id IN (SELECT id FROM products WHERE owner_id = ?))"
		args = append(args, f.HolderID, f.HolderID, f.HolderID)
	}
	st := &risk.Stock{GTIN: f.GTIN, Batch: f.Batch, Warehouses: []risk.StockWarehouse{}, Holders: []risk.StockHolder{}}
	// A warehouse is its operator's USCC when it is a tenant, else its name.
	rows, err := s.db.Query(ctx, `SELECT COALESCE(e.uscc, i.warehouse), i.warehouse, i.batch, COUNT(*) FROM labels l
		JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN enterprises e ON e.id = i.warehouse_id`+where+` AND l.dispatch_id IS NULL
		GROUP BY e.uscc, i.warehouse, i.batch ORDER BY 1, 2, i.batch`, args...)
	if err != nil {
		return nil, s.errf("stock", err)
	}
	for rows.Next() {
		var wh, name, batch string
		var n int
		if err := rows.Scan(&wh, &name, &batch, &n); err != nil {
			rows.Close()
			return nil, s.errf("stock", err)
		}
		if k := len(st.Warehouses); k == 0 || st.Warehouses[k-1].ID != wh {
			st.Warehouses = append(st.Warehouses, risk.StockWarehouse{ID: wh, Name: name, Batches: []risk.StockBatch{}})
		}
		w := &st.Warehouses[len(st.Warehouses)-1]
		if w.Name == "" {
			w.Name = name
		}
		w.InStock += n
		w.Batches = append(w.Batches, risk.StockBatch{Batch: batch, InStock: n})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errf("stock", err)
	}
	rows, err = s.db.Query(ctx, `SELECT e.uscc, e.name, COUNT(*) FROM labels l JOIN label_intakes i ON i.id = l.intake_id
		JOIN enterprises e ON e.id = i.enterprise_id`+where+` AND l.dispatch_id IS NULL GROUP BY e.uscc, e.name ORDER BY e.uscc`, args...)
	if err != nil {
		return nil, s.errf("stock holders", err)
	}
	for rows.Next() {
		var h risk.StockHolder
		if err := rows.Scan(&h.USCC, &h.Name, &h.InStock); err != nil {
			rows.Close()
			return nil, s.errf("stock holders", err)
		}
		st.Holders = append(st.Holders, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errf("stock holders", err)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM labels l JOIN label_intakes i ON i.id = l.intake_id`+where+` AND l.dispatch_id IS NOT NULL`, args...).
		Scan(&st.Dispatched); err != nil {
		return nil, s.errf("stock dispatched", err)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM labels l JOIN label_intakes i ON i.id = l.intake_id
		JOIN label_dispatches d ON d.id = l.dispatch_id`+where+` AND EXISTS (SELECT 1 FROM epcis_epcs x JOIN epcis_events ev ON ev.seq = x.seq
			WHERE x.epc = `+s.labelEPC+` AND ev.biz_step LIKE '%receiving' AND ev.event_time >= d.at)`, args...).Scan(&st.Delivered); err != nil {
		return nil, s.errf("stock delivered", err)
	}
	return st, nil
}

// complaintHazards maps the scan page's complaint categories to hazards.
var complaintHazards = map[string]risk.Hazard{"counterfeit": risk.HazardCounterfeit, "label": risk.HazardLabelling}

// PendingComplaintSignals returns the scan-page complaints after the last
// one made a signal, on a genuine bound label (a GTIN), as signals.
func (s *Store) PendingComplaintSignals(ctx context.Context, limit int) ([]*risk.Signal, error) {
	rows, err := s.db.Query(ctx, `SELECT c.id, c.gtin, COALESCE(c.batch, ''), c.category, c.text, c.ip_prefix, c.created_at
		FROM label_complaints c WHERE c.id > (SELECT COALESCE(MAX(complaint_id), 0) FROM risk_signals)
		AND c.gtin IS NOT NULL AND length(c.gtin) = 14 ORDER BY c.id LIMIT ?`, limit)
	if err != nil {
		return nil, s.errf("pending complaints", err)
	}
	defer rows.Close()
	var out []*risk.Signal
	for rows.Next() {
		var id int64
		var gtin, batch, cat, text, prefix string
		var at time.Time
		if err := rows.Scan(&id, &gtin, &batch, &cat, &text, &prefix, s.d.TimeDest(&at)); err != nil {
			return nil, s.errf("pending complaints", err)
		}
		sel := tracegate.Selector{GTIN: gtin, Batch: batch}
		if sel.Validate("") != nil {
			sel.Batch = ""
		}
		hz, ok := complaintHazards[cat]
		if !ok {
			hz = risk.HazardOther
		}
		if len(text) > risk.MaxDetail {
			text = text[:risk.MaxDetail]
		}
		out = append(out, &risk.Signal{Kind: risk.KindComplaint, Source: "consumer:" + prefix, ObservedAt: at.UTC(), Selector: sel,
			Hazard: hz, Severity: risk.SeverityMedium, Title: "Consumer complaint (" + cat + ")", Detail: strings.ToValidUTF8(text, ""),
			Ref: "complaint:" + itoa64(id), Complaint: id})
	}
	return out, rows.Err()
}

func itoa64(i int64) string {
	var b [20]byte
	n := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}
