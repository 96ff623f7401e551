package customs

import (
	"fmt"
	"strings"
)

// Rule identifiers. They are stable: results, logs and clients use them.
const (
	RuleOrder       = "three_docs.order"     // order, payment, waybill, inventory name the same order and platform
	RuleAmount      = "three_docs.amount"    // acturalPaid = goodsValue + freight + taxTotal − discount = amountPaid
	RuleConsignee   = "three_docs.consignee" // consignee, telephone, address equal on order and waybill
	RulePayer       = "three_docs.payer"     // the payer is the buyer (ID numbers shown masked)
	RuleLines       = "three_docs.lines"     // inventory lines map one-to-one to order lines
	RuleLimitSingle = "limit.single"         // at most 5,000 RMB per transaction (single-item exception)
	RuleLimitAnnual = "limit.annual"         // at most 26,000 RMB per buyer per calendar year
)

// Finding is the verdict of one rule. Problems lists every mismatch found
// (empty when Passed); Note says something worth knowing about a pass, such
// as the single-item exception.
type Finding struct {
	Rule     string
	Passed   bool
	Problems []string
	Note     string
}

func finding(rule string, problems []string) Finding {
	return Finding{Rule: rule, Passed: len(problems) == 0, Problems: problems}
}

// Documents are the documents of one declaration (三单 plus the inventory).
// A nil document is not checked: the rules that need it are left out.
type Documents struct {
	Order     *Order         // CEB311
	Payment   *PaymentHead   // CEB411
	Waybill   *LogisticsHead // CEB511
	Inventory *Inventory     // CEB621
}

// CheckThreeDocs runs the three-document match (三单对碰) on d and returns
// one Finding per rule whose documents are present, in the order
// three_docs.order, .amount, .consignee, .payer, .lines. Amounts are
// compared exactly in fen; an amount that is not a decimal with at most two
// significant decimals fails its rule with a problem naming the field. Text
// fields are compared after trimming surrounding whitespace. It never
// returns an error: every problem is a failed Finding.
func CheckThreeDocs(d Documents) []Finding {
	var out []Finding
	if d.Order != nil && (d.Payment != nil || d.Waybill != nil || d.Inventory != nil) {
		out = append(out, checkOrderRefs(d))
	}
	if d.Order != nil && d.Payment != nil {
		out = append(out, checkAmount(&d.Order.Head, d.Payment))
	}
	if d.Order != nil && d.Waybill != nil {
		out = append(out, checkConsignee(&d.Order.Head, d.Waybill))
	}
	if d.Order != nil && d.Payment != nil {
		out = append(out, checkPayer(&d.Order.Head, d.Payment))
	}
	if d.Order != nil && d.Inventory != nil {
		out = append(out, checkLines(d.Order, d.Inventory))
	}
	return out
}

func same(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

func checkOrderRefs(d Documents) Finding {
	var p []string
	h := &d.Order.Head
	cmp := func(doc, field, got, want string) {
		if !same(got, want) {
			p = append(p, fmt.Sprintf("%s %s %q differs from the order's %q", doc, field, got, want))
		}
	}
	if d.Payment != nil {
		cmp("payment", "orderNo", d.Payment.OrderNo, h.OrderNo)
		cmp("payment", "ebpCode", d.Payment.EbpCode, h.EbpCode)
	}
	if d.Waybill != nil {
		cmp("waybill", "orderNo", d.Waybill.OrderNo, h.OrderNo)
	}
	if d.Inventory != nil {
		cmp("inventory", "orderNo", d.Inventory.Head.OrderNo, h.OrderNo)
		cmp("inventory", "ebpCode", d.Inventory.Head.EbpCode, h.EbpCode)
		cmp("inventory", "ebcCode", d.Inventory.Head.EbcCode, h.EbcCode)
		if d.Waybill != nil {
			cmp("inventory", "logisticsNo (vs waybill)", d.Inventory.Head.LogisticsNo, d.Waybill.LogisticsNo)
		}
	}
	return finding(RuleOrder, p)
}

// moneyFields parses named amounts, reporting each bad one in *p.
func moneyFields(p *[]string, doc string, fields ...string) ([]Money, bool) {
	out := make([]Money, 0, len(fields)/2)
	ok := true
	for i := 0; i < len(fields); i += 2 {
		m, err := ParseMoney(fields[i+1])
		if err != nil {
			*p = append(*p, fmt.Sprintf("%s %s: %v", doc, fields[i], err))
			ok = false
		}
		out = append(out, m)
	}
	return out, ok
}

func checkAmount(h *OrderHead, pay *PaymentHead) Finding {
	var p []string
	v, ok := moneyFields(&p, "order", "goodsValue", h.GoodsValue, "freight", h.Freight,
		"taxTotal", h.TaxTotal, "discount", h.Discount, "acturalPaid", h.ActuralPaid)
	paid, ok2 := moneyFields(&p, "payment", "amountPaid", pay.AmountPaid)
	if ok {
		if want := v[0] + v[1] + v[2] - v[3]; v[4] != want {
			p = append(p, fmt.Sprintf("order acturalPaid %s ≠ goodsValue %s + freight %s + taxTotal %s − discount %s = %s",
				v[4], v[0], v[1], v[2], v[3], want))
		}
	}
	if ok && ok2 && paid[0] != v[4] {
		p = append(p, fmt.Sprintf("payment amountPaid %s ≠ order acturalPaid %s", paid[0], v[4]))
	}
	return finding(RuleAmount, p)
}

func checkConsignee(h *OrderHead, w *LogisticsHead) Finding {
	var p []string
	for _, f := range []struct{ name, order, waybill string }{
		{"consignee", h.Consignee, w.Consignee},
		{"consigneeTelephone", h.ConsigneeTelephone, w.ConsigneeTelephone},
		{"consigneeAddress", h.ConsigneeAddress, w.ConsigneeAddress},
	} {
		if !same(f.order, f.waybill) {
			p = append(p, fmt.Sprintf("%s: order %q, waybill %q", f.name, f.order, f.waybill))
		}
	}
	return finding(RuleConsignee, p)
}

func checkPayer(h *OrderHead, pay *PaymentHead) Finding {
	var p []string
	if !same(pay.PayerName, h.BuyerName) {
		p = append(p, fmt.Sprintf("payerName %q is not the buyer %q", pay.PayerName, h.BuyerName))
	}
	if !same(pay.PayerIDType, h.BuyerIDType) || !same(pay.PayerIDNumber, h.BuyerIDNumber) {
		// ID numbers are personal data: only masked forms leave this package.
		p = append(p, fmt.Sprintf("payer ID %s/%s is not the buyer's %s/%s",
			pay.PayerIDType, MaskID(pay.PayerIDNumber), h.BuyerIDType, MaskID(h.BuyerIDNumber)))
	}
	return finding(RulePayer, p)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkLines maps inventory lines to order lines by gnum, one to one, and
// compares item number, name, quantity, unit price and total price.
func checkLines(o *Order, inv *Inventory) Finding {
	var p []string
	byGnum := map[string]*OrderList{}
	for i := range o.Lines {
		l := &o.Lines[i]
		g := strings.TrimSpace(l.Gnum)
		if byGnum[g] != nil {
			p = append(p, fmt.Sprintf("order gnum %s occurs twice", g))
		}
		byGnum[g] = l
	}
	used := map[string]bool{}
	for i := range inv.Lines {
		il := &inv.Lines[i]
		g := strings.TrimSpace(il.Gnum)
		ol := byGnum[g]
		switch {
		case used[g]:
			p = append(p, fmt.Sprintf("inventory gnum %s occurs twice", g))
			continue
		case ol == nil:
			p = append(p, fmt.Sprintf("inventory gnum %s has no order line", g))
			continue
		}
		used[g] = true
		if a, b := deref(il.ItemNo), deref(ol.ItemNo); !same(a, b) {
			p = append(p, fmt.Sprintf("gnum %s: itemNo %q on the inventory, %q on the order", g, a, b))
		}
		name := deref(il.ItemName)
		if name == "" {
			name = il.Gname
		}
		if !same(name, ol.ItemName) {
			p = append(p, fmt.Sprintf("gnum %s: item name %q on the inventory, %q on the order", g, name, ol.ItemName))
		}
		p = append(p, compareLine(g, il, ol)...)
	}
	for g := range byGnum {
		if !used[g] {
			p = append(p, fmt.Sprintf("order gnum %s has no inventory line", g))
		}
	}
	return finding(RuleLines, p)
}

// compareLine compares qty, price and totalPrice as exact decimals (unit
// prices may have up to 5 decimals, so they are not Money).
func compareLine(g string, il *InventoryList, ol *OrderList) []string {
	var p []string
	for _, f := range []struct{ name, inv, order string }{
		{"qty", il.Qty, ol.Qty}, {"price", il.Price, ol.Price}, {"totalPrice", il.TotalPrice, ol.TotalPrice},
	} {
		a, err1 := parseQty(f.inv)
		b, err2 := parseQty(f.order)
		switch {
		case err1 != nil || err2 != nil:
			p = append(p, fmt.Sprintf("gnum %s: %s not a decimal (inventory %q, order %q)", g, f.name, f.inv, f.order))
		case a.Cmp(b) != 0:
			p = append(p, fmt.Sprintf("gnum %s: %s %s on the inventory, %s on the order", g, f.name, f.inv, f.order))
		}
	}
	return p
}
