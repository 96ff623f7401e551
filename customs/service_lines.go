package customs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tracegate"
	"tracegate/gs1"
)

// quotaYear is the calendar year (China Standard Time) the inventory counts
// in: that of its declTime, else of now.
func quotaYear(inv *Inventory, now time.Time) int {
	if t := declDate(inv.Head.DeclTime, inv.Head.AppTime); !t.IsZero() {
		return t.Year()
	}
	return now.In(chinaTime).Year()
}

// gtin14 is the barcode s as the 14 digits of a GTIN (gs1.NormalizeGTIN),
// or "" when s, spaces trimmed, is no GTIN (a wrong length, a non-digit or
// a wrong check digit): such a barcode stays declared as given, but is
// never looked up as a GTIN.
func gtin14(s string) string {
	g, err := gs1.NormalizeGTIN(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return g
}

// ctQuantities gives, for each line whose tariff rate has a consumption-tax
// threshold per unit (CNY/ml, CNY/g), the line's quantity in that unit, read
// from its gmodel ("50ml/瓶" × qty 2 = 100). A line whose gmodel does not
// state the unit is left out, and its tax is reviewed.
func ctQuantities(inv *Inventory, t *Tariff) map[int]string {
	if t == nil {
		return nil
	}
	out := map[int]string{}
	for _, l := range inv.Lines {
		rate, err := t.Lookup(strings.TrimSpace(l.Gcode))
		if err != nil || rate.CTThreshold <= 0 {
			continue
		}
		unit := strings.TrimPrefix(rate.CTUnit, "CNY/")
		per, ok := amountOf(l.Gmodel, unit)
		qty, err := ParseMoney(l.Qty)
		gnum, err2 := strconv.Atoi(strings.TrimSpace(l.Gnum))
		if !ok || err != nil || err2 != nil || qty <= 0 {
			continue
		}
		out[gnum] = (per * qty / 100).String() // fen × fen / 100
	}
	return out
}

// amountOf finds "<decimal><unit>" in s, such as "50ml" or "1.5 ml".
func amountOf(s, unit string) (Money, bool) {
	lower := strings.ToLower(s)
	for i := strings.Index(lower, unit); i > 0; {
		j := i
		for j > 0 && lower[j-1] == ' ' {
			j--
		}
		k := j
		for k > 0 && (lower[k-1] >= '0' && lower[k-1] <= '9' || lower[k-1] == '.') {
			k--
		}
		after := i + len(unit)
		if k < j && (after == len(lower) || !isLetter(lower[after])) {
			if v, err := ParseMoney(lower[k:j]); err == nil && v > 0 {
				return v, true
			}
		}
		next := strings.Index(lower[after:], unit)
		if next < 0 {
			break
		}
		i = after + next
	}
	return 0, false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// filingsOf looks up in the store the product filings of inv's lines (by
// GTIN or item record number) and returns those found.
func filingsOf(ctx context.Context, tx StoreTx, inv *Inventory) (FilingSet, error) {
	filings := FilingSet{}
	var keys []FilingKey
	var lines []*InventoryList
	for i, l := range inv.Lines {
		gtin, irn := gtin14(deref(l.BarCode)), strings.TrimSpace(deref(l.ItemRecordNo))
		if gtin == "" && irn == "" {
			continue
		}
		keys, lines = append(keys, FilingKey{GTIN: gtin, ItemRecordNo: irn}), append(lines, &inv.Lines[i])
	}
	if len(keys) == 0 {
		return filings, nil
	}
	found, err := tx.Filed(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i, ok := range found {
		if ok {
			filings[strings.TrimSpace(deref(lines[i].BarCode))], filings[keys[i].ItemRecordNo] = true, true
		}
	}
	return filings, nil
}

// delivery screens the goods of a CEB711 entering the zone (first line):
// for each waybill, the goods of the inventory declared for it. Each
// decision goes to the history and the ledger; a waybill without an
// inventory, or whose inventory was cancelled, is reported, not screened.
func (p *process) delivery(ctx context.Context, del *Delivery) ([]DocumentResult, error) {
	invs := map[string]*Inventory{}
	recs := map[string]*DeclarationRecord{}
	var out, cancelled []DocumentResult
	for i, l := range del.Lines {
		no := strings.TrimSpace(l.LogisticsNo)
		rec, err := p.tx.FindByWaybill(ctx, strings.TrimSpace(del.Head.LogisticsCode), no)
		if tracegate.IsCode(err, tracegate.ENOTFOUND) {
			continue
		} else if err != nil {
			return nil, err
		}
		docs, err := rec.documents()
		if err != nil {
			return nil, err
		}
		if docs.Inventory == nil {
			continue
		}
		if rec.Decision != nil && rec.Decision.Status == OutcomeCancelled {
			cancelled = append(cancelled, DocumentResult{Kind: "delivery", EbpCode: rec.State.EbpCode, OrderNo: rec.State.OrderNo, LogisticsNo: no,
				Note: "the inventory declared for this waybill was cancelled (CEB623): not screened"})
			continue
		}
		if _, dup := invs[no]; dup {
			return nil, tracegate.Invalidf(fmt.Sprintf("/CEB711Message/Delivery/DeliveryList[%d]/logisticsNo", i+1), "waybill %s is listed twice", no)
		}
		invs[no], recs[no] = docs.Inventory, rec
	}
	ins, unknown, err := DeliveryScreeningInputs(del, invs, p.now)
	if err != nil {
		return nil, err
	}
	var known []string // the waybills of ins, in delivery order
	for _, l := range del.Lines {
		if n := strings.TrimSpace(l.LogisticsNo); invs[n] != nil {
			known = append(known, n)
		}
	}
	for i, in := range ins {
		no := known[i]
		rec := recs[no]
		deps := p.deps
		if deps.Filings, err = filingsOf(ctx, p.tx, invs[no]); err != nil {
			return nil, err
		}
		d := Screen(in, deps)
		if err := creditErr(deps); err != nil {
			return nil, err
		}
		tablesMissing(&d, deps)
		guids := []string{p.guid, rec.InventoryGUID}
		hash, err := DecisionContentHash(d, guids)
		if err != nil {
			return nil, err
		}
		uscc := rec.USCC
		if uscc == "" {
			uscc = p.from.USCC
		}
		var idx int64
		if err := appendDecision(ctx, p.tx, &DecisionRecord{DeclarationID: rec.ID, Line: FirstLine, Decision: d, ContentHash: hash,
			GUIDs: guids, USCC: uscc, DecidedAt: p.now}, &idx); err != nil {
			return nil, err
		}
		dd := d
		out = append(out, DocumentResult{Kind: "delivery", EbpCode: rec.State.EbpCode, OrderNo: rec.State.OrderNo, LogisticsNo: no,
			Decision: &dd, LedgerIndex: &idx})
	}
	for _, no := range unknown {
		if i := slices.IndexFunc(cancelled, func(r DocumentResult) bool { return r.LogisticsNo == no }); i >= 0 {
			out = append(out, cancelled[i])
			continue
		}
		out = append(out, DocumentResult{Kind: "delivery", LogisticsNo: no, Note: "no inventory is declared for this waybill: not screened"})
	}
	return out, nil
}
