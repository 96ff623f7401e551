// Package scopesql is the recall scope's SQL (measure.ScopeStore), shared
// by both stores: one read that starts from the intakes of the selected
// products and lots (label_intakes by (gtin, batch), products by their
// filed attributes), takes their labels by the labels_intake_dispatch
// index, and joins each label's dispatch (with the order's consignee) and
// progress. A container selector first collects the labels inside the
// container at any depth at the scope's time (a recursive walk of
// epcis_containment) and starts from them instead.
package scopesql

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate/measure"
	"tracegate/store/internal/sqldb"
)

// Dialect is what the scope's SQL needs of a store beyond sqldb.Dialect.
type Dialect struct {
	sqldb.Dialect
	// Unhex is the SQL expression of the bytes whose hex is expr.
	Unhex func(expr string) string
}

const columns = `l.hash, i.gtin, CASE WHEN pr.name_zh <> '' THEN pr.name_zh ELSE pr.name END, i.batch, i.warehouse,
	COALESCE(w.uscc, ''), COALESCE(i.production_date, ''), i.at, pr.owner_id, i.enterprise_id, COALESCE(i.warehouse_id, 0),
	COALESCE(d.enterprise_id, 0), COALESCE(d.ebp_code, ''), COALESCE(d.order_no, ''), COALESCE(d.logistics_code, ''),
	COALESCE(d.waybill_no, ''), d.at, COALESCE(d.consignee, ''), COALESCE(d.consignee_phone, ''), COALESCE(d.consignee_address, ''),
	g.delivered_at, g.returned_at, g.destroyed_at`

const joins = ` JOIN products pr ON pr.id = i.product_id
	LEFT JOIN enterprises w ON w.id = i.warehouse_id
	LEFT JOIN label_dispatches d ON d.id = l.dispatch_id
	LEFT JOIN label_progress g ON g.hash = l.hash`

// labelPrefix is the EPCIS identity of labels before the hash's hex.
const labelPrefix = "urn:tracegate:label:"

// Query returns the statement and arguments of q.
func Query(d Dialect, q *measure.ScopeQuery) (string, []any) {
	var where []string
	var args []any
	var with string
	sel := &q.Selector
	if sel.Container != "" {
		with = `WITH RECURSIVE c (child, depth) AS (
			SELECT child, 1 FROM epcis_containment WHERE parent = ? AND from_time <= ? AND (to_time IS NULL OR to_time > ?)
			UNION ALL
			SELECT x.child, c.depth + 1 FROM epcis_containment x JOIN c ON x.parent = c.child
			WHERE c.depth < 32 AND x.from_time <= ? AND (x.to_time IS NULL OR x.to_time > ?)),
			inside (hash) AS (SELECT DISTINCT ` + d.Unhex("substr(child, 21)") + ` FROM c
			WHERE child LIKE '` + labelPrefix + `%' AND length(child) = 84) `
		at := d.Time(q.ContainedAt)
		if q.ContainedAt.IsZero() {
			at = d.Time(q.At)
		}
		args = append(args, sel.Container, at, at, at, at)
	}
	args = append(args, d.Time(q.At))
	where = append(where, "i.at <= ?")
	add := func(cond string, v ...any) {
		where = append(where, cond)
		args = append(args, v...)
	}
	if sel.GTIN != "" {
		add("i.gtin = ?", sel.GTIN)
	}
	if sel.Batch != "" {
		add("i.batch = ?", sel.Batch)
	}
	if sel.HSPrefix != "" {
		add("substr(pr.hs_code, 1, ?) = ?", len(sel.HSPrefix), sel.HSPrefix)
	}
	if sel.Origin != "" {
		add("pr.origin_country = ?", sel.Origin)
	}
	if sel.Manufacturer != "" {
		add("pr.manufacturer = ?", sel.Manufacturer)
	}
	if sel.Enterprise != "" {
		add("pr.owner_id = (SELECT id FROM enterprises WHERE uscc = ?)", sel.Enterprise)
	}
	if sel.Warehouse != "" {
		add("(i.warehouse = ? OR EXISTS (SELECT 1 FROM epcis_events e WHERE e.event_id = i.event_id AND (e.biz_location = ? OR e.read_point = ?)))",
			sel.Warehouse, sel.Warehouse, sel.Warehouse)
	}
	if sel.ProducedFrom != "" {
		add("i.production_date >= ?", sel.ProducedFrom)
	}
	if sel.ProducedTo != "" {
		add("i.production_date <= ?", sel.ProducedTo)
	}
	if q.Holder != 0 {
		add("(pr.owner_id = ? OR i.enterprise_id = ? OR i.warehouse_id = ? OR d.enterprise_id = ?)", q.Holder, q.Holder, q.Holder, q.Holder)
	}
	from := " FROM label_intakes i JOIN labels l ON l.intake_id = i.id"
	if with != "" {
		from = " FROM inside x JOIN labels l ON l.hash = x.hash JOIN label_intakes i ON i.id = l.intake_id"
	}
	return with + "SELECT " + columns + from + joins + " WHERE " + strings.Join(where, " AND ") + " ORDER BY i.id, l.hash", args
}

// Items runs the scope query q over db and calls fn with each item; the
// item is reused between calls.
func Items(ctx context.Context, db sqldb.Q, d Dialect, q *measure.ScopeQuery, fn func(*measure.ScopeItem) error) error {
	query, args := Query(d, q)
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: scope: %w", d.Name, err)
	}
	defer rows.Close()
	var it measure.ScopeItem
	var hash []byte
	var dispatch, delivered, returned, destroyed *time.Time
	dests := []any{&hash, &it.GTIN, &it.Product, &it.Batch, &it.Warehouse, &it.WarehouseID, &it.ProducedOn,
		d.TimeDest(&it.IntakeAt), &it.OwnerID, &it.Holders[0], &it.Holders[1], &it.Holders[2], &it.EBPCode, &it.OrderNo,
		&it.LogisticsCode, &it.WaybillNo, d.NullTimeDest(&dispatch), &it.Consignee, &it.ConsigneePhone, &it.ConsigneeAddress,
		d.NullTimeDest(&delivered), d.NullTimeDest(&returned), d.NullTimeDest(&destroyed)}
	opt := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	}
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return fmt.Errorf("%s: scope: %w", d.Name, err)
		}
		copy(it.Hash[:], hash)
		it.DispatchAt, it.DeliveredAt, it.ReturnedAt, it.DestroyedAt = opt(dispatch), opt(delivered), opt(returned), opt(destroyed)
		if err := fn(&it); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: scope: %w", d.Name, err)
	}
	return nil
}
