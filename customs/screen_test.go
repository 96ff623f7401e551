package customs

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
)

// cleanDecl returns a generated declaration without faults.
func cleanDecl(t testing.TB) *Declaration {
	t.Helper()
	d := GenerateDayWith(42, 1, testDay, nil)[0]
	return &d
}

// fixAmounts makes the order and payment amounts agree with the order lines.
func fixAmounts(t testing.TB, d *Declaration) {
	t.Helper()
	h := &d.Order.Orders[0].Head
	var goods Money
	for _, l := range d.Order.Orders[0].Lines {
		goods += mustMoney(t, l.TotalPrice)
	}
	paid := goods + mustMoney(t, h.Freight) + mustMoney(t, h.TaxTotal) - mustMoney(t, h.Discount)
	h.GoodsValue, h.ActuralPaid = goods.String(), paid.String()
	d.Payment.Payments[0].Head.AmountPaid = paid.String()
}

func mustMoney(t testing.TB, s string) Money {
	t.Helper()
	m, err := ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// onlyLine replaces the goods of d by qty pieces of demo product p at price.
func onlyLine(t testing.TB, d *Declaration, p int, qty int, price Money) {
	t.Helper()
	pr := demoCatalogue[p]
	o, inv := &d.Order.Orders[0], &d.Inventory.Inventories[0]
	o.Lines, inv.Lines = o.Lines[:1], inv.Lines[:1]
	q, total := strconv.Itoa(qty), (price * Money(qty)).String()
	ol, il := &o.Lines[0], &inv.Lines[0]
	ol.ItemNo, ol.ItemName, ol.BarCode, ol.Qty, ol.Price, ol.TotalPrice = ptr(pr.itemNo), pr.name, ptr(pr.gtin), q, price.String(), total
	il.ItemRecordNo, il.ItemNo, il.ItemName, il.Gcode, il.Gname = ptr(pr.recordNo), ptr(pr.itemNo), ptr(pr.name), pr.gcode, pr.name
	il.BarCode, il.Qty, il.Price, il.TotalPrice = ptr(pr.gtin), q, price.String(), total
	clear(d.CTQty) // shared with ScreeningInput.CTQty
	if pr.ctPerUnit > 0 {
		d.CTQty[1] = strconv.Itoa(pr.ctPerUnit * qty)
	}
	fixAmounts(t, d)
}

func nonPassRules(d Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		if r.Outcome != OutcomePass {
			out = append(out, r.Rule)
		}
	}
	return out
}

func TestScreenRules(t *testing.T) {
	type setup struct {
		d    *Declaration
		in   *ScreeningInput
		deps *ScreeningDeps
	}
	inv := func(s setup) *Inventory { return &s.d.Inventory.Inventories[0] }
	tests := []struct {
		name   string
		mutate func(t *testing.T, s setup)
		status Outcome
		rules  []string // the non-pass rules, in order
	}{
		{"clean", func(*testing.T, setup) {}, OutcomePass, nil},
		{"amount", func(_ *testing.T, s setup) { s.d.Payment.Payments[0].Head.AmountPaid = "1.00" }, OutcomeRefuse, []string{RuleAmount}},
		{"consignee", func(_ *testing.T, s setup) { s.d.Waybill.Logistics[0].Head.Consignee = "某某" }, OutcomeRefuse, []string{RuleConsignee}},
		{"payer", func(_ *testing.T, s setup) { s.d.Payment.Payments[0].Head.PayerName = "某某" }, OutcomeRefuse, []string{RulePayer}},
		{"lines", func(_ *testing.T, s setup) { inv(s).Lines[0].Price = "0.01" }, OutcomeRefuse, []string{RuleLines}},
		{"single limit: several items", func(t *testing.T, s setup) { onlyLine(t, s.d, demoWatch, 2, Yuan(2600)) }, OutcomeRefuse, []string{RuleLimitSingle}},
		{"single limit: exactly 5000", func(t *testing.T, s setup) {
			onlyLine(t, s.d, demoWatch, 2, Yuan(2500))
			inv(s).Head.Freight, inv(s).Head.InsuredFee = "0", "0" // the dutiable value counts them
		}, OutcomePass, nil},
		{"annual limit", func(t *testing.T, s setup) { s.in.QuotaUsed = DefaultLimits.Annual - 1 }, OutcomeRefuse, []string{RuleLimitAnnual}},
		{"annual limit: room left", func(t *testing.T, s setup) { s.in.QuotaUsed = Yuan(20000) }, OutcomePass, nil},
		{"positive list: not listed", func(_ *testing.T, s setup) { inv(s).Lines[0].Gcode = "0603110000" }, OutcomeRefuse, []string{RulePositiveList}},
		{"positive list: note forbids 9610", func(t *testing.T, s setup) {
			onlyLine(t, s.d, 4, 1, demoCatalogue[4].price)
			inv(s).Head.TradeMode = TradeModeDirect
		}, OutcomeRefuse, []string{RulePositiveList}},
		{"positive list: note allows 1210", func(t *testing.T, s setup) { onlyLine(t, s.d, 4, 1, demoCatalogue[4].price) }, OutcomePass, nil},
		{"positive list: no edition in force", func(_ *testing.T, s setup) { s.in.Date = time.Date(2021, 1, 1, 0, 0, 0, 0, chinaTime) }, OutcomeReview, nil /* one per line */},
		{"prohibited", func(t *testing.T, s setup) { onlyLine(t, s.d, demoProhibited, 1, demoCatalogue[demoProhibited].price) }, OutcomeRefuse, []string{RuleProhibited}},
		{"barcode risk: warning", func(t *testing.T, s setup) { onlyLine(t, s.d, demoRisky, 1, demoCatalogue[demoRisky].price) }, OutcomeReview, []string{RuleBarcodeRisk}},
		{"barcode risk: block", func(t *testing.T, s setup) {
			onlyLine(t, s.d, demoRisky, 1, demoCatalogue[demoRisky].price)
			s.deps.Barcodes = BarcodeRiskTable{demoCatalogue[demoRisky].gtin: {{Tag: "recall", Severity: SeverityBlock}}}
		}, OutcomeRefuse, []string{RuleBarcodeRisk}},
		{"barcode risk: notice passes", func(t *testing.T, s setup) {
			onlyLine(t, s.d, demoRisky, 1, demoCatalogue[demoRisky].price)
			s.deps.Barcodes = BarcodeRiskTable{demoCatalogue[demoRisky].gtin: {{Tag: "price-watch", Severity: SeverityNotice}}}
		}, OutcomePass, nil},
		{"hs risk", func(t *testing.T, s setup) {
			onlyLine(t, s.d, 0, 1, demoCatalogue[0].price)
			s.deps.HSRisk = HSRiskTable{"3304": {{Tag: "epidemic-notice", Severity: SeverityWarning}}}
		}, OutcomeReview, []string{RuleHSRisk}},
		{"hs risk: other chapter", func(t *testing.T, s setup) {
			onlyLine(t, s.d, 0, 1, demoCatalogue[0].price)
			s.deps.HSRisk = HSRiskTable{"19": {{Tag: "epidemic-notice", Severity: SeverityWarning}}}
		}, OutcomePass, nil},
		{"filing missing", func(t *testing.T, s setup) { onlyLine(t, s.d, demoUnfiled, 1, demoCatalogue[demoUnfiled].price) }, OutcomeRefuse, []string{RuleFiling}},
		{"credit unknown", func(_ *testing.T, s setup) { s.deps.Credit = CreditMap{} }, OutcomeReview, []string{RuleCredit}},
		{"credit level 4", func(_ *testing.T, s setup) { s.deps.Credit = CreditMap{inv(s).Head.EbcCode: CreditLevel4} }, OutcomeReview, []string{RuleCredit}},
		{"credit level 4 refused by policy", func(_ *testing.T, s setup) {
			s.deps.Credit = CreditMap{inv(s).Head.EbcCode: CreditLevel4}
			s.deps.CreditPolicy = DefaultCreditPolicy
			s.deps.CreditPolicy[4] = OutcomeRefuse
		}, OutcomeRefuse, []string{RuleCredit}},
		{"credit level 1", func(_ *testing.T, s setup) { s.deps.Credit = CreditMap{inv(s).Head.EbcCode: CreditLevel1} }, OutcomePass, nil},
		{"credit not wired: ignored", func(_ *testing.T, s setup) { s.deps.Credit = nil }, OutcomePass, nil},
		{"waiting for payment", func(_ *testing.T, s setup) { s.in.Documents.Payment = nil }, OutcomeWaiting, []string{RuleMissing}},
		{"payment timed out", func(_ *testing.T, s setup) { s.in.Documents.Payment = nil; s.in.MatchTimedOut = true }, OutcomeRefuse, []string{RuleTimeout}},
		{"waiting dominates review", func(_ *testing.T, s setup) { s.in.Documents.Waybill = nil; s.deps.Credit = CreditMap{} },
			OutcomeWaiting, []string{RuleMissing, RuleCredit}},
		{"refuse dominates waiting", func(t *testing.T, s setup) {
			onlyLine(t, s.d, demoProhibited, 1, demoCatalogue[demoProhibited].price)
			s.in.Documents.Waybill = nil
		}, OutcomeRefuse, []string{RuleMissing, RuleProhibited}},
		{"tax: no rate", func(_ *testing.T, s setup) {
			tr, _ := NewTariff([]TariffRate{{HS: "99999999", VAT: 130_000}})
			s.deps.Tariff = tr
		}, OutcomeReview, []string{RuleTax}},
		{"tax: CT quantity missing", func(t *testing.T, s setup) {
			onlyLine(t, s.d, 1, 1, demoCatalogue[1].price)
			s.in.CTQty = nil
		}, OutcomeReview, []string{RuleTax}},
		{"bad amount", func(_ *testing.T, s setup) { inv(s).Head.Freight = "ten" }, OutcomeRefuse, []string{RuleDeclaration}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := cleanDecl(t)
			deps := demoDeps(t)
			in := d.ScreeningInput() // its documents point into d
			tc.mutate(t, setup{d: d, in: &in, deps: &deps})
			got := Screen(in, deps)
			if got.Status != tc.status {
				t.Errorf("Screen status = %s, want %s; reasons %+v", got.Status, tc.status, got.Reasons)
			}
			if rules := nonPassRules(got); tc.rules != nil && strings.Join(rules, ",") != strings.Join(tc.rules, ",") {
				t.Errorf("Screen rules = %v, want %v; reasons %+v", rules, tc.rules, got.Reasons)
			}
			if taxed := got.Tax.Total > 0; got.Status == OutcomePass && !taxed ||
				(got.Status == OutcomeRefuse || got.Status == OutcomeWaiting) && taxed {
				t.Errorf("Screen status %s with tax %+v", got.Status, got.Tax)
			}
		})
	}
}

// TestScreenSingleItemException: one piece over the single limit but within
// the annual limit passes at full tax, duty included.
func TestScreenSingleItemException(t *testing.T) {
	d := cleanDecl(t)
	onlyLine(t, d, demoWatch, 1, Yuan(6800))
	deps := demoDeps(t)
	in := d.ScreeningInput()
	got := Screen(in, deps)
	if got.Status != OutcomePass || got.Mode != TaxFull {
		t.Fatalf("Screen = %+v, want pass at full tax", got)
	}
	if len(got.Reasons) != 1 || got.Reasons[0].Rule != RuleLimitSingle || got.Reasons[0].Outcome != OutcomePass {
		t.Errorf("reasons = %+v, want the limit.single note", got.Reasons)
	}
	// 6800 + freight, duty 8%, VAT 13%, no CT below 10,000 a piece.
	v, _ := DutiableValue(in.Documents.Inventory)
	duty := roundHalfUp(new(big.Rat).Mul(v.rat(), Rate(80_000).rat()))
	if got.Tax.Customs != duty || got.Tax.Consumption != 0 || got.Tax.Total != got.Tax.Customs+got.Tax.VAT {
		t.Errorf("tax = %+v, want duty %s and no CT", got.Tax, duty)
	}
	in.QuotaUsed = DefaultLimits.Annual - Yuan(6000)
	if got := Screen(in, deps); got.Status != OutcomeRefuse || nonPassRules(got)[0] != RuleLimitAnnual {
		t.Errorf("single item over the annual limit: %+v, want refused by limit.annual", got)
	}
}

// TestScreenRefundRestoresQuota: a refund of an earlier order gives its
// value back to the annual quota, in the year of the original order.
func TestScreenRefundRestoresQuota(t *testing.T) {
	d := cleanDecl(t)
	deps := demoDeps(t)
	earlier := []QuotaUse{
		{Time: time.Date(2026, 3, 1, 10, 0, 0, 0, chinaTime), Value: Yuan(15000)},
		{Time: time.Date(2026, 7, 1, 10, 0, 0, 0, chinaTime), Value: Yuan(10990)},
	}
	in := d.ScreeningInput()
	in.QuotaUsed = UsedInYear(earlier, 2026)
	if got := Screen(in, deps); got.Status != OutcomeRefuse || nonPassRules(got)[0] != RuleLimitAnnual {
		t.Fatalf("before the refund: %+v, want refused by limit.annual", got)
	}
	uses := append(earlier, earlier[0].Refund(Yuan(4000)))
	in.QuotaUsed = UsedInYear(uses, 2026)
	if in.QuotaUsed != Yuan(21990) {
		t.Errorf("UsedInYear after a 4000 refund = %s, want 21990.00", in.QuotaUsed)
	}
	if got := Screen(in, deps); got.Status != OutcomePass {
		t.Errorf("after the refund: %+v, want pass", got)
	}
	// A refund never restores more than the use, and counts in the use's year.
	if r := earlier[1].Refund(Yuan(99999)); r.Value != -Yuan(10990) || !r.Time.Equal(earlier[1].Time) {
		t.Errorf("Refund over the use = %+v", r)
	}
	if r := earlier[1].Refund(-5); r.Value != 0 {
		t.Errorf("negative Refund = %+v, want 0", r)
	}
	if got := UsedInYear([]QuotaUse{earlier[1].Refund(Yuan(100))}, 2026); got != 0 {
		t.Errorf("UsedInYear of a lone refund = %s, want 0.00", got)
	}
}

func TestScreenFirstLine(t *testing.T) {
	deps := demoDeps(t)
	p, bad := demoCatalogue[0], demoCatalogue[demoNotListed]
	goods := []GoodsLine{{Gnum: 1, HS: p.gcode, GTIN: p.gtin, ItemRecordNo: p.recordNo, Name: p.name}}
	in := ScreeningInput{Line: FirstLine, Date: testDay, TradeMode: TradeModeBonded, Enterprises: []string{demoEnterprises[0].code}, Goods: goods}
	if got := Screen(in, deps); got.Status != OutcomePass || len(got.Reasons) != 0 || got.Tax != (DecisionTax{}) {
		t.Errorf("first line, listed goods: %+v, want pass without tax", got)
	}
	in.Goods = append(in.Goods, GoodsLine{Gnum: 2, HS: bad.gcode, GTIN: bad.gtin, ItemRecordNo: bad.recordNo, Name: bad.name})
	got := Screen(in, deps)
	if got.Status != OutcomeRefuse || len(got.Reasons) != 1 || got.Reasons[0].Rule != RulePositiveList || got.Reasons[0].Line != 2 {
		t.Errorf("first line, unlisted goods: %+v, want refused by positive_list on line 2", got)
	}
	in.Goods, in.Enterprises = goods, nil
	if got := Screen(in, deps); got.Status != OutcomeReview || got.Reasons[0].Rule != RuleCredit {
		t.Errorf("first line without enterprises: %+v, want credit review", got)
	}
	if got := Screen(ScreeningInput{Goods: goods}, deps); got.Status != OutcomeReview || got.Reasons[0].Rule != RuleDeclaration {
		t.Errorf("zero checkpoint: %+v, want a declaration review", got)
	}
	in.Goods, in.Enterprises = nil, []string{demoEnterprises[0].code}
	if got := Screen(in, deps); got.Status != OutcomeReview {
		t.Errorf("first line without goods: %+v, want review", got)
	}
}

func TestDecisionJSON(t *testing.T) {
	d := Decision{Status: OutcomeRefuse, Reasons: []Reason{
		{Rule: RuleAmount, Message: "payment amountPaid 1.00 ≠ order acturalPaid 165.00", Outcome: OutcomeRefuse},
		{Rule: RuleProhibited, Message: "HS 2844100000 falls in a prohibited category", Line: 2, Outcome: OutcomeRefuse},
	}, Tax: DecisionTax{VAT: 1105, Consumption: 5, Total: 1110}}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"refuse","reasons":[` +
		`{"rule":"three_docs.amount","message":"payment amountPaid 1.00 ≠ order acturalPaid 165.00","outcome":"refuse"},` +
		`{"rule":"prohibited","message":"HS 2844100000 falls in a prohibited category","line":2,"outcome":"refuse"}],` +
		`"tax":{"customs":"0.00","vat":"11.05","consumption":"0.05","total":"11.10"}}`
	if string(js) != want {
		t.Errorf("json.Marshal(Decision) =\n%s\nwant\n%s", js, want)
	}
	var back Decision
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if back.Status != d.Status || len(back.Reasons) != 2 || back.Reasons[1] != d.Reasons[1] || back.Tax != d.Tax {
		t.Errorf("round trip = %+v, want %+v", back, d)
	}
	js, _ = json.Marshal(Decision{Status: OutcomePass})
	if want := `{"status":"pass","reasons":[],"tax":{"customs":"0.00","vat":"0.00","consumption":"0.00","total":"0.00"}}`; string(js) != want {
		t.Errorf("json.Marshal(empty pass) = %s, want %s", js, want)
	}
	if err := json.Unmarshal([]byte(`{"status":"pass","tax":{"customs":"1.234","vat":"0","consumption":"0","total":"0"}}`), &back); err == nil {
		t.Error("json.Unmarshal accepted a fraction of a fen")
	}
}

func BenchmarkScreen(b *testing.B) {
	deps := demoDeps(b)
	decls := GenerateDay(1, 256, testDay)
	ins := make([]ScreeningInput, len(decls))
	for i := range decls {
		ins[i] = decls[i].ScreeningInput()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Screen(ins[i%len(ins)], deps)
		i++
	}
}

func TestDeliveryScreeningInputs(t *testing.T) {
	decls := GenerateDayWith(5, 2, testDay, map[string]float64{RuleProhibited: 0.5})
	invs := map[string]*Inventory{}
	for i := range decls {
		inv := &decls[i].Inventory.Inventories[0]
		invs[inv.Head.LogisticsNo] = inv
	}
	del := &Delivery{Head: DeliveryHead{OperatorCode: demoWarehouse}, Lines: []DeliveryList{
		{Gnum: "1", LogisticsNo: decls[0].Inventory.Inventories[0].Head.LogisticsNo},
		{Gnum: "2", LogisticsNo: "SF-UNKNOWN"},
		{Gnum: "3", LogisticsNo: decls[1].Inventory.Inventories[0].Head.LogisticsNo},
	}}
	ins, unknown, err := DeliveryScreeningInputs(del, invs, testDay)
	if err != nil || len(ins) != 2 || len(unknown) != 1 || unknown[0] != "SF-UNKNOWN" {
		t.Fatalf("DeliveryScreeningInputs = %d inputs, unknown %v, %v", len(ins), unknown, err)
	}
	deps := demoDeps(t)
	deps.Credit = CreditMap{demoWarehouse: CreditLevel2, decls[0].Inventory.Inventories[0].Head.EbcCode: CreditLevel1,
		decls[1].Inventory.Inventories[0].Head.EbcCode: CreditLevel1}
	for i, in := range ins {
		want := OutcomePass
		if decls[i].Fault == RuleProhibited {
			want = OutcomeRefuse
		}
		if got := Screen(in, deps); got.Status != want || got.Tax != (DecisionTax{}) {
			t.Errorf("first line of %s (fault %q): %+v, want %s without tax", in.Goods[0].Name, decls[i].Fault, got, want)
		}
	}
	bad := *invs[del.Lines[0].LogisticsNo]
	bad.Lines = append([]InventoryList{}, bad.Lines...)
	bad.Lines[0].Gnum = "x"
	invs[del.Lines[0].LogisticsNo] = &bad
	if _, _, err := DeliveryScreeningInputs(del, invs, testDay); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("malformed inventory: %v, want EINVALID", err)
	}
}
