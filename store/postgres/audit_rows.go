package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/audit"
	"tracegate/customs"
	"tracegate/label"
)

// DeclarationStates yields every declaration's current decision beside the
// latest decision of its history (see audit.DeclarationStore).
func (s *Store) DeclarationStates(ctx context.Context, fn func(d *audit.DeclarationState) error) error {
	rows, err := s.pool.Query(ctx, `SELECT d.id, d.status, d.decision, d.decided_at, d.content_hash,
		COALESCE(d.ledger_idx, -1), x.status, x.decision, x.guids, x.uscc, x.ledger_idx, x.decided_at
		FROM customs_declarations d LEFT JOIN customs_decisions x ON x.declaration_id = d.id
			AND x.ledger_idx = (SELECT MAX(y.ledger_idx) FROM customs_decisions y WHERE y.declaration_id = d.id)
		ORDER BY d.id`)
	if err != nil {
		return fmt.Errorf("postgres: declaration states: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d audit.DeclarationState
		var decision, xstatus, xdecision, guids, uscc *string
		var decided, xat *time.Time
		var xidx *int64
		if err := rows.Scan(&d.ID, &d.Status, &decision, &decided, &d.ContentHash, &d.LedgerIndex, &xstatus, &xdecision,
			&guids, &uscc, &xidx, &xat); err != nil {
			return fmt.Errorf("postgres: declaration states: %w", err)
		}
		if decision != nil {
			d.Decision = []byte(*decision)
			if decided != nil {
				d.DecidedAt = decided.UTC()
			}
		}
		if xidx != nil {
			l := &customs.DecisionRecord{DeclarationID: d.ID, USCC: deref(uscc), LedgerIndex: *xidx}
			if xat != nil {
				l.DecidedAt = xat.UTC()
			}
			if err := json.Unmarshal([]byte(deref(xdecision)), &l.Decision); err != nil {
				return fmt.Errorf("postgres: declaration states: %w", err)
			}
			if err := json.Unmarshal([]byte(deref(guids)), &l.GUIDs); err != nil {
				return fmt.Errorf("postgres: declaration states: %w", err)
			}
			d.Latest, d.LatestStatus = l, deref(xstatus)
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// LabelRequestRows yields every ledgered label request's label counts.
func (s *Store) LabelRequestRows(ctx context.Context, fn func(r *audit.LabelRequestRows) error) error {
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.ledger_idx,
		(SELECT COALESCE(SUM(length(c.commitments)), 0) / 32 FROM label_chunks c WHERE c.request_id = r.id),
		(SELECT COUNT(*) FROM labels l WHERE l.request_id = r.id),
		(SELECT COUNT(DISTINCT l.seq) FROM labels l WHERE l.request_id = r.id),
		(SELECT COALESCE(MAX(l.seq), -1) FROM labels l WHERE l.request_id = r.id)
		FROM label_requests r WHERE r.ledger_idx IS NOT NULL ORDER BY r.id`)
	if err != nil {
		return fmt.Errorf("postgres: label request rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r audit.LabelRequestRows
		if err := rows.Scan(&r.RequestID, &r.LedgerIndex, &r.Committed, &r.Stored, &r.Seqs, &r.MaxSeq); err != nil {
			return fmt.Errorf("postgres: label request rows: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

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
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("postgres: binding rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		b := &audit.BindingRow{Kind: kind, EventLedger: -1}
		if err := rows.Scan(&b.ID, &b.EnterpriseID, &b.At, &b.EventID, &b.GTIN, &b.Batch, &b.ProductionDate, &b.ExpiryDate,
			&b.Warehouse, &b.EBPCode, &b.OrderNo, &b.LogisticsCode, &b.WaybillNo); err != nil {
			return fmt.Errorf("postgres: binding rows: %w", err)
		}
		b.At = b.At.UTC()
		var body string
		err := s.pool.QueryRow(ctx, `SELECT body, enterprise_id, COALESCE(ledger_idx, -1) FROM epcis_events
			WHERE event_id = $1 ORDER BY seq LIMIT 1`, b.EventID).Scan(&body, &b.EventEnterprise, &b.EventLedger)
		if err == nil {
			b.EventBody = []byte(body)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: binding event: %w", err)
		}
		hs, err := s.pool.Query(ctx, "SELECT hash FROM labels WHERE "+labelCol+" = $1", b.ID)
		if err != nil {
			return fmt.Errorf("postgres: bound labels: %w", err)
		}
		hashes, err := pgx.CollectRows(hs, pgx.RowTo[[]byte])
		if err != nil {
			return fmt.Errorf("postgres: bound labels: %w", err)
		}
		for _, h := range hashes {
			if len(h) != 32 {
				b.Labels = append(b.Labels, fmt.Sprintf("a label hash of %d bytes", len(h)))
				continue
			}
			b.Labels = append(b.Labels, label.EPC([32]byte(h)))
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ContainmentRows yields every containment interval with the bodies of the
// events that opened and closed it, by the opening event.
func (s *Store) ContainmentRows(ctx context.Context, fn func(c *audit.ContainmentRow) error) error {
	rows, err := s.pool.Query(ctx, `SELECT c.parent, c.child, c.from_time, c.to_time, c.add_seq, COALESCE(c.del_seq, 0),
		COALESCE(a.body, ''), d.body FROM epcis_containment c LEFT JOIN epcis_events a ON a.seq = c.add_seq
		LEFT JOIN epcis_events d ON d.seq = c.del_seq ORDER BY c.add_seq`)
	if err != nil {
		return fmt.Errorf("postgres: containment rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c audit.ContainmentRow
		var add string
		var del *string
		if err := rows.Scan(&c.Parent, &c.Child, &c.From, &c.To, &c.AddSeq, &c.DelSeq, &add, &del); err != nil {
			return fmt.Errorf("postgres: containment rows: %w", err)
		}
		c.From = c.From.UTC()
		if c.To != nil {
			t := c.To.UTC()
			c.To = &t
		}
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
	err = s.pool.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM labels l WHERE l.intake_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM label_intakes i WHERE i.id = l.intake_id)),
		(SELECT COUNT(*) FROM labels l WHERE l.dispatch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM label_dispatches d WHERE d.id = l.dispatch_id))`).Scan(&intakes, &dispatches)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: dangling bindings: %w", err)
	}
	return intakes, dispatches, nil
}

// LabelLinks returns where each existing label of hashes points and when
// it was last unbound.
func (s *Store) LabelLinks(ctx context.Context, hashes [][32]byte) (map[[32]byte]*audit.LabelLink, error) {
	out := make(map[[32]byte]*audit.LabelLink, len(hashes))
	if len(hashes) == 0 {
		return out, nil
	}
	keys := make([][]byte, len(hashes))
	for i := range hashes {
		keys[i] = hashes[i][:]
	}
	rows, err := s.pool.Query(ctx, `SELECT l.hash, COALESCE(l.intake_id, 0), COALESCE(l.dispatch_id, 0),
		(SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'intake'),
		(SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'dispatch')
		FROM labels l WHERE l.hash = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: label links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var l audit.LabelLink
		var ui, ud *time.Time
		if err := rows.Scan(&h, &l.IntakeID, &l.DispatchID, &ui, &ud); err != nil {
			return nil, fmt.Errorf("postgres: label links: %w", err)
		}
		if ui != nil {
			l.UnboundIntake = ui.UTC()
		}
		if ud != nil {
			l.UnboundDispatch = ud.UTC()
		}
		if len(h) == 32 {
			out[[32]byte(h)] = &l
		}
	}
	return out, rows.Err()
}
