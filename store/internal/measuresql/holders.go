package measuresql

import (
	"context"
	"strings"

	"tracegate"
	"tracegate/measure"
)

// goodsFrom joins the labels bound at intake (their current binding) to
// their request, their filing and its filer: the goods a selector is
// matched against in SQL.
const goodsFrom = ` FROM label_intakes i JOIN labels l ON l.intake_id = i.id JOIN label_requests r ON r.id = l.request_id
	JOIN products p ON p.id = i.product_id JOIN enterprises pe ON pe.id = p.owner_id`

// selectorWhere is the condition of goodsFrom's rows that sel covers, and
// its arguments (tracegate.Selector.Matches in SQL). A container matches
// nothing here: containment is the scope's.
func selectorWhere(sel tracegate.Selector) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) { conds, args = append(conds, cond), append(args, v) }
	if sel.GTIN != "" {
		add("i.gtin = ?", sel.GTIN)
	}
	if sel.Batch != "" {
		add("i.batch = ?", sel.Batch)
	}
	if sel.HSPrefix != "" {
		add("p.hs_code LIKE ?", sel.HSPrefix+"%")
	}
	if sel.Origin != "" {
		add("UPPER(p.origin_country) = ?", strings.ToUpper(sel.Origin))
	}
	if sel.Manufacturer != "" {
		add("p.manufacturer = ?", sel.Manufacturer)
	}
	if sel.Enterprise != "" {
		add("pe.uscc = ?", sel.Enterprise)
	}
	if sel.Warehouse != "" {
		add("i.location = ?", sel.Warehouse)
	}
	if sel.ProducedFrom != "" {
		add("i.production_date >= ?", sel.ProducedFrom)
	}
	if sel.ProducedTo != "" {
		add("i.production_date <= ?", sel.ProducedTo)
	}
	if sel.Container != "" || len(conds) == 0 {
		conds = append(conds, "1 = 0")
	}
	return strings.Join(conds, " AND "), args
}

// MeasureHolders returns the enterprises holding goods sel covers.
func (s *Store) MeasureHolders(ctx context.Context, sel tracegate.Selector) ([]measure.Holder, error) {
	where, args := selectorWhere(sel)
	rows, err := s.db.Query(ctx, `SELECT e.id, e.uscc FROM enterprises e WHERE e.id IN (
		SELECT r.enterprise_id`+goodsFrom+` WHERE `+where+`
		UNION SELECT i.enterprise_id`+goodsFrom+` WHERE `+where+`
		UNION SELECT i.warehouse_id`+goodsFrom+` WHERE i.warehouse_id IS NOT NULL AND `+where+`) ORDER BY e.id`,
		append(append(append([]any{}, args...), args...), args...)...)
	if err != nil {
		return nil, s.errf("measure holders", err)
	}
	defer rows.Close()
	var out []measure.Holder
	for rows.Next() {
		var h measure.Holder
		if err := rows.Scan(&h.EnterpriseID, &h.USCC); err != nil {
			return nil, s.errf("measure holders", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HoldsGoods reports whether enterprise holds any goods sel covers.
func (s *Store) HoldsGoods(ctx context.Context, enterpriseID int64, sel tracegate.Selector) (bool, error) {
	where, args := selectorWhere(sel)
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1`+goodsFrom+` WHERE `+where+`
		AND (r.enterprise_id = ? OR i.enterprise_id = ? OR i.warehouse_id = ?) LIMIT 1) x`,
		append(args, enterpriseID, enterpriseID, enterpriseID)...).Scan(&n)
	if err != nil {
		return false, s.errf("measure goods", err)
	}
	return n > 0, nil
}
