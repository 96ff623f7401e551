package scopesql

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"

	"tracegate/epcis"
	"tracegate/store/internal/sqldb"
)

// The CBV business steps whose events move an item on in a scope.
const (
	bizReceiving  = "https://ref.gs1.org/cbv/BizStep-receiving"
	bizReturning  = "https://ref.gs1.org/cbv/BizStep-returning"
	bizDestroying = "https://ref.gs1.org/cbv/BizStep-destroying"
)

// progressColumn is the label_progress column a stored event of bizStep
// sets ("" when none): receiving after dispatch is the delivery to the
// consignee, returning a return, destroying a destruction.
func progressColumn(bizStep string) string {
	switch epcis.NormalizeVocab(epcis.VocabBizStep, bizStep) {
	case bizReceiving:
		return "delivered"
	case bizReturning:
		return "returned"
	case bizDestroying:
		return "destroyed"
	}
	return ""
}

// ApplyProgress records, in the capture transaction, what a stored event
// r says of the labels it names (epcList, childEPCs, inputs): the first
// delivery, return and destruction of each, when the event's author may
// say it of that label — an enterprise it was issued to, that bound it at
// intake or dispatch, whose warehouse holds it, or that filed its product.
// An event by anyone else, or naming no label, changes nothing: anyone can
// write an identifier.
func ApplyProgress(ctx context.Context, tx sqldb.Q, d Dialect, r *epcis.Record) error {
	e := r.Event
	col := progressColumn(e.BizStep)
	if col == "" || e.Action == epcis.ActionDelete {
		return nil
	}
	var hexes []any
	for _, x := range r.Index.EPCs {
		if (x.Role == "epc" || x.Role == "input") && len(x.Value) == 84 && strings.HasPrefix(x.Value, labelPrefix) {
			if h, err := hex.DecodeString(x.Value[len(labelPrefix):]); err == nil {
				hexes = append(hexes, h)
			}
		}
	}
	if len(hexes) == 0 {
		return nil
	}
	dispatched := ""
	if col == "delivered" {
		dispatched = " AND l.dispatch_id IS NOT NULL"
	}
	for lo := 0; lo < len(hexes); lo += 500 {
		part := hexes[lo:min(len(hexes), lo+500)]
		in := make([]string, len(part))
		for i := range part {
			in[i] = "?"
		}
		q := `INSERT INTO label_progress (hash, ` + col + `_at, ` + col + `_seq)
			SELECT l.hash, ?, ? FROM labels l JOIN label_requests r ON r.id = l.request_id
			LEFT JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN products pr ON pr.id = i.product_id
			LEFT JOIN label_dispatches dd ON dd.id = l.dispatch_id
			WHERE l.hash IN (` + strings.Join(in, ", ") + `)` + dispatched + `
			AND (r.enterprise_id = ? OR i.enterprise_id = ? OR i.warehouse_id = ? OR dd.enterprise_id = ? OR pr.owner_id = ?)
			ON CONFLICT (hash) DO UPDATE SET ` + col + `_at = COALESCE(label_progress.` + col + `_at, excluded.` + col + `_at), ` +
			col + `_seq = COALESCE(label_progress.` + col + `_seq, excluded.` + col + `_seq)`
		args := append([]any{d.Time(e.EventTime), r.Seq}, part...)
		for range 5 {
			args = append(args, r.EnterpriseID)
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: label progress: %w", d.Name, err)
		}
	}
	return nil
}
