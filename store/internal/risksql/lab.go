package risksql

import (
	"context"
	"encoding/json"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/internal/sqldb"
)

// AddRiskLabOrder stores a lab order placed with a lab.
func (s *Store) AddRiskLabOrder(ctx context.Context, o *risk.LabOrder) error {
	tests, err := json.Marshal(o.Tests)
	if err != nil {
		return s.errf("lab tests", err)
	}
	return s.update(ctx, func(tx sqldb.Tx) error {
		err := tx.QueryRow(ctx, `SELECT e.id FROM enterprises e JOIN enterprise_roles r ON r.enterprise_id = e.id AND r.role = ?
			WHERE e.uscc = ?`, string(tracegate.RoleLab), o.Lab).Scan(&o.LabID)
		if s.d.NoRows(err) {
			return tracegate.Invalidf("/lab", "%s is not an enterprise of role lab", o.Lab)
		}
		if err != nil {
			return s.errf("lab", err)
		}
		now := tx.Now()
		o.Status, o.CreatedAt = risk.LabOrdered, now
		if err := tx.QueryRow(ctx, `INSERT INTO risk_lab_orders (gtin, batch, items, tests, purpose, lab_id, ordered_by, status, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.GTIN, o.Batch, o.Items, string(tests), string(o.Purpose), o.LabID,
			o.OrderedByID, string(o.Status), o.Note, s.d.Time(now)).Scan(&o.ID); err != nil {
			return s.errf("insert lab order", err)
		}
		return nil
	})
}

const labOrderCols = `o.id, o.gtin, o.batch, o.items, o.tests, o.purpose, o.lab_id, l.uscc, o.ordered_by, b.uscc, o.status, o.note, o.created_at, o.reported_at`

const labOrderFrom = ` FROM risk_lab_orders o JOIN enterprises l ON l.id = o.lab_id JOIN enterprises b ON b.id = o.ordered_by`

func (s *Store) scanLabOrder(r interface{ Scan(...any) error }) (*risk.LabOrder, error) {
	var o risk.LabOrder
	var tests, purpose, status string
	if err := r.Scan(&o.ID, &o.GTIN, &o.Batch, &o.Items, &tests, &purpose, &o.LabID, &o.Lab, &o.OrderedByID, &o.OrderedBy, &status,
		&o.Note, s.d.TimeDest(&o.CreatedAt), s.d.NullTimeDest(&o.Reported)); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tests), &o.Tests); err != nil {
		return nil, err
	}
	o.Purpose, o.Status, o.Results = risk.LabPurpose(purpose), risk.LabStatus(status), []risk.LabResult{}
	return &o, nil
}

// RiskLabOrder returns a lab order with its results.
func (s *Store) RiskLabOrder(ctx context.Context, id int64) (*risk.LabOrder, error) {
	o, err := s.scanLabOrder(s.db.QueryRow(ctx, "SELECT "+labOrderCols+labOrderFrom+" WHERE o.id = ?", id))
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no lab order %d", id)
	}
	if err != nil {
		return nil, s.errf("lab order", err)
	}
	err = s.labResults(ctx, "WHERE r.order_id = ?", []any{id}, func(r *risk.LabResult, _, _ string) error {
		o.Results = append(o.Results, *r)
		return nil
	})
	return o, err
}

// RiskLabOrders lists lab orders, newest first.
func (s *Store) RiskLabOrders(ctx context.Context, f risk.LabOrderFilter) ([]risk.LabOrder, error) {
	q := "SELECT " + labOrderCols + labOrderFrom + " WHERE 1 = 1"
	var args []any
	if f.Party != 0 {
		q += " AND (o.lab_id = ? OR o.ordered_by = ?)"
		args = append(args, f.Party, f.Party)
	}
	if f.Status != "" {
		q += " AND o.status = ?"
		args = append(args, string(f.Status))
	}
	if f.GTIN != "" {
		q += " AND o.gtin = ?"
		args = append(args, f.GTIN)
		if f.Batch != "" {
			q += " AND o.batch = ?"
			args = append(args, f.Batch)
		}
	}
	if f.BeforeID > 0 {
		q += " AND o.id < ?"
		args = append(args, f.BeforeID)
	}
	q += " ORDER BY o.id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, s.errf("lab orders", err)
	}
	defer rows.Close()
	out := []risk.LabOrder{}
	for rows.Next() {
		o, err := s.scanLabOrder(rows)
		if err != nil {
			return nil, s.errf("lab orders", err)
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// labResults yields the results where says, in ledger order, with their
// order's GTIN and batch.
func (s *Store) labResults(ctx context.Context, where string, args []any, fn func(r *risk.LabResult, gtin, batch string) error) error {
	rows, err := s.db.Query(ctx, `SELECT r.id, r.order_id, r.test, r.passed, r.hazard, r.severity, r.detail, COALESCE(r.signal_id, 0),
		r.created_at, COALESCE(r.ledger_idx, -1), l.uscc, o.gtin, o.batch, a.id, a.name, a.type, a.size, a.sha256
		FROM risk_lab_results r JOIN risk_lab_orders o ON o.id = r.order_id JOIN enterprises l ON l.id = o.lab_id
		JOIN risk_attachments a ON a.result_id = r.id `+where+` ORDER BY r.ledger_idx, r.id`, args...)
	if err != nil {
		return s.errf("lab results", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r risk.LabResult
		var hazard, severity, gtin, batch string
		a := &r.Report
		if err := rows.Scan(&r.ID, &r.Order, &r.Test, &r.Passed, &hazard, &severity, &r.Detail, &r.Signal, s.d.TimeDest(&r.At),
			&r.LedgerIndex, &r.Lab, &gtin, &batch, &a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256); err != nil {
			return s.errf("lab results", err)
		}
		r.Hazard, r.Severity = risk.Hazard(hazard), risk.Severity(severity)
		if err := fn(&r, gtin, batch); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RiskLabResultLedgerRecords yields every lab result in ledger order.
func (s *Store) RiskLabResultLedgerRecords(ctx context.Context, fn func(r *risk.LabResult, gtin, batch string) error) error {
	return s.labResults(ctx, "", nil, fn)
}

// RecordRiskLabResults stores a lab's results, their leaves and signals.
func (s *Store) RecordRiskLabResults(ctx context.Context, o *risk.LabOrder, rs []*risk.LabResult, cfg *risk.Config, monitor string) ([]risk.Change, error) {
	var out []risk.Change
	err := s.update(ctx, func(tx sqldb.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		now := tx.Now()
		var sigs []*risk.Signal
		var failed []*risk.LabResult
		leaves := make([][]byte, len(rs))
		for i, r := range rs {
			r.At = now
			err := tx.QueryRow(ctx, `INSERT INTO risk_lab_results (order_id, test, passed, hazard, severity, detail, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.ID, r.Test, r.Passed, string(r.Hazard), string(r.Severity), r.Detail,
				s.d.Time(now)).Scan(&r.ID)
			if s.d.Unique(err) {
				return tracegate.Errorf(tracegate.ECONFLICT, "test %q of lab order %d was reported meanwhile", r.Test, o.ID)
			}
			if err != nil {
				return s.errf("insert lab result", err)
			}
			a := &r.Report
			if err := tx.QueryRow(ctx, `INSERT INTO risk_attachments (result_id, name, type, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				r.ID, a.Name, a.Type, a.Size, a.SHA256, a.Data).Scan(&a.ID); err != nil {
				return s.errf("insert lab report", err)
			}
			a.Data = nil
			if leaves[i], err = risk.LabResultLeaf(r, o.GTIN, o.Batch); err != nil {
				return err
			}
			if !r.Passed {
				sigs, failed = append(sigs, risk.LabSignal(o, r)), append(failed, r)
			}
		}
		first, err := tx.AppendLeaves(ctx, leaves)
		if err != nil {
			return err
		}
		for i, r := range rs {
			r.LedgerIndex = first + int64(i)
			if _, err := tx.Exec(ctx, "UPDATE risk_lab_results SET ledger_idx = ? WHERE id = ?", r.LedgerIndex, r.ID); err != nil {
				return s.errf("lab result leaf", err)
			}
		}
		if out, err = s.addSignals(ctx, tx, sigs, cfg, monitor); err != nil {
			return err
		}
		for i, r := range failed {
			r.Signal = sigs[i].ID
			if _, err := tx.Exec(ctx, "UPDATE risk_lab_results SET signal_id = ? WHERE id = ?", r.Signal, r.ID); err != nil {
				return s.errf("lab result signal", err)
			}
			// The report is the signal's evidence too.
			if _, err := tx.Exec(ctx, "UPDATE risk_attachments SET signal_id = ? WHERE id = ?", r.Signal, r.Report.ID); err != nil {
				return s.errf("lab result evidence", err)
			}
		}
		return s.settleLabOrder(ctx, tx, o.ID, len(o.Tests))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// settleLabOrder sets the order's status once every one of its tests has a
// result: failed when one failed, else passed.
func (s *Store) settleLabOrder(ctx context.Context, tx sqldb.Tx, id int64, tests int) error {
	var n, fails int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN passed THEN 0 ELSE 1 END), 0) FROM risk_lab_results WHERE order_id = ?", id).
		Scan(&n, &fails); err != nil {
		return s.errf("lab order results", err)
	}
	if n < tests {
		return nil
	}
	st := risk.LabPassed
	if fails > 0 {
		st = risk.LabFailed
	}
	if _, err := tx.Exec(ctx, "UPDATE risk_lab_orders SET status = ?, reported_at = ? WHERE id = ?", string(st), s.d.Time(tx.Now()), id); err != nil {
		return s.errf("settle lab order", err)
	}
	return nil
}

// RiskLabReport returns a result's report with its data.
func (s *Store) RiskLabReport(ctx context.Context, order, id int64) (*risk.Attachment, error) {
	var a risk.Attachment
	err := s.db.QueryRow(ctx, `SELECT a.id, a.name, a.type, a.size, a.sha256, a.data FROM risk_attachments a
		JOIN risk_lab_results r ON r.id = a.result_id WHERE a.id = ? AND r.order_id = ?`, id, order).
		Scan(&a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Data)
	if s.d.NoRows(err) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no report %d of lab order %d", id, order)
	}
	if err != nil {
		return nil, s.errf("lab report", err)
	}
	return &a, nil
}

// SetRiskPreListing stores a platform's pre-listing setting.
func (s *Store) SetRiskPreListing(ctx context.Context, enterprise int64, required bool) error {
	return s.update(ctx, func(tx sqldb.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_platform_settings (enterprise_id, require_pre_listing, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (enterprise_id) DO UPDATE SET require_pre_listing = excluded.require_pre_listing, updated_at = excluded.updated_at`,
			enterprise, required, s.d.Time(tx.Now())); err != nil {
			return s.errf("pre-listing setting", err)
		}
		return nil
	})
}

// RiskPreListing returns a platform's setting.
func (s *Store) RiskPreListing(ctx context.Context, enterprise int64) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, "SELECT CASE WHEN require_pre_listing THEN 1 ELSE 0 END FROM risk_platform_settings WHERE enterprise_id = ?", enterprise).Scan(&n)
	if s.d.NoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, s.errf("pre-listing setting", err)
	}
	return n == 1, nil
}

// RiskPreListingByCode returns the enterprise of a confirmed customs code
// and its setting.
func (s *Store) RiskPreListingByCode(ctx context.Context, code string) (string, bool, error) {
	var uscc string
	var n int
	err := s.db.QueryRow(ctx, `SELECT e.uscc, CASE WHEN ps.require_pre_listing THEN 1 ELSE 0 END FROM customs_codes c
		JOIN enterprises e ON e.id = c.enterprise_id LEFT JOIN risk_platform_settings ps ON ps.enterprise_id = e.id
		WHERE c.code = ? AND c.status = 'confirmed'`, code).Scan(&uscc, &n)
	if s.d.NoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.errf("pre-listing by code", err)
	}
	return uscc, n == 1, nil
}

// RiskLotInspection returns the status of the batch's latest reported
// pre-listing order.
func (s *Store) RiskLotInspection(ctx context.Context, gtin, batch string) (risk.LabStatus, error) {
	var st string
	err := s.db.QueryRow(ctx, `SELECT status FROM risk_lab_orders WHERE gtin = ? AND batch = ? AND purpose = ? AND status <> ?
		ORDER BY reported_at DESC, id DESC LIMIT 1`, gtin, batch, string(risk.PurposePreListing), string(risk.LabOrdered)).Scan(&st)
	if s.d.NoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", s.errf("lot inspection", err)
	}
	return risk.LabStatus(st), nil
}
