package auditsql

import (
	"context"
	"fmt"
	"time"

	"tracegate/audit"
	"tracegate/label"
)

// BindingRows yields every intake and dispatch row with its labels and
// its event.
func (s *Store) BindingRows(ctx context.Context, fn func(b *audit.BindingRow) error) error {
	for _, q := range []struct {
		kind          label.BindKind
		sql, labelCol string
	}{
		{label.BindIntake, `SELECT b.id, b.enterprise_id, b.at, b.event_id, b.gtin, b.batch, COALESCE(b.production_date, ''),
			COALESCE(b.expiry_date, ''), b.warehouse, '', '', '', '' FROM label_intakes b ORDER BY b.id`, "intake_id"},
		{label.BindDispatch, `SELECT b.id, b.enterprise_id, b.at, b.event_id, '', '', '', '', '', b.ebp_code, b.order_no,
			b.logistics_code, b.waybill_no FROM label_dispatches b ORDER BY b.id`, "dispatch_id"},
	} {
		if err := s.bindingRows(ctx, q.kind, q.sql, q.labelCol, fn); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) bindingRows(ctx context.Context, kind label.BindKind, q, labelCol string, fn func(b *audit.BindingRow) error) error {
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return s.errf("binding rows", err)
	}
	defer rows.Close()
	for rows.Next() {
		b := &audit.BindingRow{Kind: kind, EventLedger: -1}
		if err := rows.Scan(&b.ID, &b.EnterpriseID, s.d.TimeDest(&b.At), &b.EventID, &b.GTIN, &b.Batch, &b.ProductionDate, &b.ExpiryDate,
			&b.Warehouse, &b.EBPCode, &b.OrderNo, &b.LogisticsCode, &b.WaybillNo); err != nil {
			return s.errf("binding rows", err)
		}
		b.At = b.At.UTC()
		var body string
		err := s.db.QueryRow(ctx, `SELECT body, enterprise_id, COALESCE(ledger_idx, -1) FROM epcis_events
			WHERE event_id = ? ORDER BY seq LIMIT 1`, b.EventID).Scan(&body, &b.EventEnterprise, &b.EventLedger)
		if err == nil {
			b.EventBody = []byte(body)
		} else if !s.d.NoRows(err) {
			return s.errf("binding event", err)
		}
		if b.Labels, err = s.boundLabels(ctx, labelCol, b.ID); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// boundLabels are the EPCs of the labels whose labelCol is id.
func (s *Store) boundLabels(ctx context.Context, labelCol string, id int64) ([]string, error) {
	rows, err := s.db.Query(ctx, "SELECT hash FROM labels WHERE "+labelCol+" = ?", id)
	if err != nil {
		return nil, s.errf("bound labels", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, s.errf("bound labels", err)
		}
		if len(h) != 32 {
			out = append(out, fmt.Sprintf("a label hash of %d bytes", len(h)))
			continue
		}
		out = append(out, label.EPC([32]byte(h)))
	}
	if err := rows.Err(); err != nil {
		return nil, s.errf("bound labels", err)
	}
	return out, nil
}

// ContainmentRows yields every containment interval with the bodies of the
// events that opened and closed it, by the opening event.
func (s *Store) ContainmentRows(ctx context.Context, fn func(c *audit.ContainmentRow) error) error {
	rows, err := s.db.Query(ctx, `SELECT c.parent, c.child, c.from_time, c.to_time, c.add_seq, COALESCE(c.del_seq, 0),
		COALESCE(a.body, ''), d.body FROM epcis_containment c LEFT JOIN epcis_events a ON a.seq = c.add_seq
		LEFT JOIN epcis_events d ON d.seq = c.del_seq ORDER BY c.add_seq`)
	if err != nil {
		return s.errf("containment rows", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c audit.ContainmentRow
		var to *time.Time
		var add string
		var del *string
		if err := rows.Scan(&c.Parent, &c.Child, s.d.TimeDest(&c.From), s.d.NullTimeDest(&to), &c.AddSeq, &c.DelSeq, &add, &del); err != nil {
			return s.errf("containment rows", err)
		}
		c.From, c.To = c.From.UTC(), utc(to)
		if add != "" {
			c.AddBody = []byte(add)
		}
		if del != nil {
			c.DelBody = []byte(*del)
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DanglingBindings counts the labels bound to intake or dispatch rows that
// do not exist.
func (s *Store) DanglingBindings(ctx context.Context) (intakes, dispatches int64, err error) {
	err = s.db.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM labels l WHERE l.intake_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM label_intakes i WHERE i.id = l.intake_id)),
		(SELECT COUNT(*) FROM labels l WHERE l.dispatch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM label_dispatches d WHERE d.id = l.dispatch_id))`).Scan(&intakes, &dispatches)
	if err != nil {
		return 0, 0, s.errf("dangling bindings", err)
	}
	return intakes, dispatches, nil
}
