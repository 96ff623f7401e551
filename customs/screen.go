package customs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"tracegate"
)

// Checkpoint says where goods are screened.
type Checkpoint int

// The two checkpoints (两段准入) run the same rule engine on different inputs.
const (
	// FirstLine is goods entering the zone (一线入区): the CEB711 delivery
	// and arrival events. Goods lines are given; there is no buyer, so no
	// three-document match, limits or tax.
	FirstLine Checkpoint = 1
	// SecondLine is the inventory release (二线出区): the CEB621 inventory
	// with its order, payment and waybill.
	SecondLine Checkpoint = 2
)

// String returns "first_line", "second_line" or "unknown".
func (c Checkpoint) String() string {
	switch c {
	case FirstLine:
		return "first_line"
	case SecondLine:
		return "second_line"
	}
	return "unknown"
}

// GoodsLine is one line of goods as the per-line rules see it.
type GoodsLine struct {
	Gnum         int
	HS           string // gcode, 10 digits (8 accepted)
	GTIN         string // barCode
	ItemRecordNo string
	ItemNo       string
	Name         string
	TotalPrice   Money
}

// GoodsFromInventory returns the goods lines of inv. It fails with EINVALID,
// pointing at the element, when a gnum is not an integer or a totalPrice is
// not a decimal of whole fen.
func GoodsFromInventory(inv *Inventory) ([]GoodsLine, error) {
	out := make([]GoodsLine, len(inv.Lines))
	for i, l := range inv.Lines {
		p := fmt.Sprintf("/InventoryList[%d]/", i+1)
		g, err := strconv.Atoi(strings.TrimSpace(l.Gnum))
		if err != nil {
			return nil, tracegate.Invalidf(p+"gnum", "gnum %q is not an integer", l.Gnum)
		}
		tp, err := ParseMoney(l.TotalPrice)
		if err != nil {
			return nil, tracegate.Invalidf(p+"totalPrice", "%s", tracegate.ErrorMessage(err))
		}
		name := deref(l.ItemName)
		if name == "" {
			name = l.Gname
		}
		out[i] = GoodsLine{Gnum: g, HS: strings.TrimSpace(l.Gcode), GTIN: strings.TrimSpace(deref(l.BarCode)),
			ItemRecordNo: strings.TrimSpace(deref(l.ItemRecordNo)), ItemNo: strings.TrimSpace(deref(l.ItemNo)), Name: name, TotalPrice: tp}
	}
	return out, nil
}

// ScreeningInput is one declaration to screen.
type ScreeningInput struct {
	Line Checkpoint
	// Date selects the positive-list edition (its calendar day in China
	// Standard Time). Zero means the inventory's declTime (second line).
	Date time.Time
	// TradeMode is 1210, 1239 or 9610; "" means the inventory's tradeMode
	// (so it is required on the first line).
	TradeMode string
	// Enterprises are the codes whose credit level is checked. On the second
	// line nil means the inventory's ebcCode (the e-commerce enterprise,
	// liable for the goods); on the first line they must be given (the
	// enterprise and the zone operator), or credit is reviewed.
	Enterprises []string
	// Declaration identifies the declaration for credit sampling
	// (CreditSampler); on the second line "" means the inventory's
	// ebpCode/orderNo. Empty on the first line: credit follows the policy.
	Declaration string
	// Goods are the lines of the first line. On the second line they are
	// taken from Documents.Inventory and this field is ignored.
	Goods []GoodsLine
	// Documents are the order, payment, waybill and inventory (second line).
	// A nil document has not arrived: Screen waits for it (three_docs.missing)
	// unless MatchTimedOut.
	Documents Documents
	// MatchTimedOut says that the partner documents still missing will not be
	// waited for any longer (MatchState.TimedOut): they are refused.
	MatchTimedOut bool
	// QuotaUsed is what the buyer has already used of the annual limit in
	// the declaration's calendar year, this declaration excluded (see
	// UsedInYear; refunds restore quota, see QuotaUse.Refund).
	QuotaUsed Money
	// CTQty gives, by gnum, a line's quantity in the unit of its
	// consumption-tax threshold (e.g. millilitres for CNY/ml). It is needed
	// only for lines whose tariff rate has a threshold.
	CTQty map[int]string
}

// ScreeningDeps are the tables and lookups Screen consults. A nil table or
// lookup skips its rule (which production wiring must not do: the lead's
// wiring passes all of them); Limits zero means DefaultLimits and a zero
// CreditPolicy means DefaultCreditPolicy.
type ScreeningDeps struct {
	PositiveList *PositiveList
	Prohibited   ProhibitedList
	Tariff       *Tariff
	Barcodes     BarcodeRisk
	HSRisk       HSRisk
	Filings      FilingLookup
	Credit       CreditLevels
	CreditPolicy CreditPolicy
	Limits       Limits
}

// Screen runs the rule engine on in and returns the decision; it never
// fails and has no side effects. The rules, in the order their reasons are
// listed:
//
//  1. Second line: each of order, payment, waybill and inventory that is
//     nil is missing (three_docs.missing, waiting; three_docs.timeout,
//     refuse, when MatchTimedOut); CheckThreeDocs on those present, each
//     failed rule refused (three_docs.order, .amount, .consignee, .payer,
//     .lines).
//  2. Second line, with an inventory: limit.single and limit.annual of
//     Limits.Check on the dutiable value, the single-item flag and
//     QuotaUsed (refused; the single-item exception is a passing reason).
//  3. Per goods line: positive_list (refused; reviewed when no edition is
//     in force at all, a configuration problem), prohibited (refused),
//     barcode_risk and hs_risk (by tag severity: notice passes, warning
//     reviews, block refuses), filing_missing (refused).
//  4. credit, per enterprise: the CreditPolicy outcome of its level.
//  5. Second line, when the status is pass or review and a tariff is given:
//     the tax (retail or full mode); a line that cannot be taxed is
//     reviewed (tax).
//
// The status is the most severe outcome among the reasons (see Outcome).
func Screen(in ScreeningInput, deps ScreeningDeps) Decision {
	d := Decision{Status: OutcomePass, Reasons: []Reason{}}
	if deps.Limits == (Limits{}) {
		deps.Limits = DefaultLimits
	}
	if deps.CreditPolicy == (CreditPolicy{}) {
		deps.CreditPolicy = DefaultCreditPolicy
	}
	if in.Line != FirstLine && in.Line != SecondLine {
		d.add(Reason{Rule: RuleDeclaration, Message: fmt.Sprintf("unknown checkpoint %d: want FirstLine or SecondLine", in.Line), Outcome: OutcomeReview})
		return d
	}
	inv := in.Documents.Inventory
	goods := in.Goods
	mode := TaxRetail
	if in.Line == SecondLine {
		screenDocuments(&d, in)
		if inv != nil {
			var err error
			if goods, err = GoodsFromInventory(inv); err != nil {
				d.add(Reason{Rule: RuleDeclaration, Message: tracegate.ErrorMessage(err), Outcome: OutcomeRefuse})
				goods = nil
			}
			mode = screenLimits(&d, inv, in.QuotaUsed, deps.Limits)
		}
		if inv != nil && in.TradeMode == "" {
			in.TradeMode = inv.Head.TradeMode
		}
		if inv != nil && in.Date.IsZero() {
			in.Date = declDate(inv.Head.DeclTime, inv.Head.AppTime)
		}
		if inv != nil && in.Enterprises == nil {
			in.Enterprises = []string{inv.Head.EbcCode}
		}
		if inv != nil && in.Declaration == "" {
			in.Declaration = strings.TrimSpace(inv.Head.EbpCode) + "/" + strings.TrimSpace(inv.Head.OrderNo)
		}
	} else if len(goods) == 0 {
		d.add(Reason{Rule: RuleDeclaration, Message: "no goods lines to screen", Outcome: OutcomeReview})
	}
	for _, g := range goods {
		screenGoods(&d, g, in, deps)
	}
	screenCredit(&d, in, deps)
	d.Mode = mode
	if in.Line == SecondLine && inv != nil && deps.Tariff != nil && (d.Status == OutcomePass || d.Status == OutcomeReview) {
		screenTax(&d, inv, mode, in.CTQty, deps.Tariff)
	}
	return d
}

func screenCredit(d *Decision, in ScreeningInput, deps ScreeningDeps) {
	if deps.Credit == nil {
		return
	}
	if len(in.Enterprises) == 0 && in.Line == FirstLine {
		d.add(Reason{Rule: RuleCredit, Message: "no enterprise given whose credit level to check", Outcome: OutcomeReview})
	}
	sampler, _ := deps.Credit.(CreditSampler)
	for _, code := range in.Enterprises {
		if sampler != nil && in.Declaration != "" && screenCreditSample(d, code, in.Declaration, sampler, deps.CreditPolicy) {
			continue
		}
		lvl := deps.Credit.CreditLevel(code)
		if lvl < CreditUnknown || lvl > CreditLevel4 {
			lvl = CreditUnknown
		}
		o := deps.CreditPolicy[lvl]
		if o == "" || o == OutcomePass {
			continue
		}
		msg := fmt.Sprintf("enterprise %s has credit level %d", code, lvl)
		if lvl == CreditUnknown {
			msg = fmt.Sprintf("the credit level of enterprise %s is not known", code)
		}
		d.add(Reason{Rule: RuleCredit, Message: msg, Outcome: o})
	}
}

// screenCreditSample adds the credit reason of a graded enterprise by
// sampling and reports whether it did; an unknown level is left to the
// policy.
func screenCreditSample(d *Decision, code, decl string, s CreditSampler, policy CreditPolicy) bool {
	lvl, sampled, share := s.CreditSample(code, decl)
	if lvl < CreditLevel1 || lvl > CreditLevel4 {
		return false
	}
	switch {
	case policy[lvl] == OutcomeRefuse:
		d.add(Reason{Rule: RuleCredit, Message: fmt.Sprintf("enterprise %s has credit level %d: refused by level", code, lvl), Outcome: OutcomeRefuse})
	case sampled:
		d.add(Reason{Rule: RuleCredit, Message: fmt.Sprintf("enterprise %s has credit level %d: sampled for manual review (%g %% of declarations at level %d)",
			code, lvl, share*100, lvl), Outcome: OutcomeReview})
	}
	return true
}

func screenDocuments(d *Decision, in ScreeningInput) {
	docs := in.Documents
	var missing []string
	for _, m := range []struct {
		name    string
		present bool
	}{{"order (CEB311)", docs.Order != nil}, {"payment (CEB411)", docs.Payment != nil},
		{"waybill (CEB511)", docs.Waybill != nil}, {"inventory (CEB621)", docs.Inventory != nil}} {
		if !m.present {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		r := Reason{Rule: RuleMissing, Message: "waiting for " + strings.Join(missing, ", "), Outcome: OutcomeWaiting}
		if in.MatchTimedOut {
			r = Reason{Rule: RuleTimeout, Message: "not received in time: " + strings.Join(missing, ", "), Outcome: OutcomeRefuse}
		}
		d.add(r)
	}
	for _, f := range CheckThreeDocs(docs) {
		for _, p := range f.Problems {
			d.add(Reason{Rule: f.Rule, Message: p, Outcome: OutcomeRefuse})
		}
	}
}

func screenLimits(d *Decision, inv *Inventory, used Money, l Limits) TaxMode {
	v, err := DutiableValue(inv)
	if err != nil {
		d.add(Reason{Rule: RuleDeclaration, Message: tracegate.ErrorMessage(err), Outcome: OutcomeRefuse})
		return TaxRefused
	}
	mode, fs := l.Check(Transaction{Value: v, SingleItem: IsSingleItem(inv), UsedThisYear: used})
	for _, f := range fs {
		for _, p := range f.Problems {
			d.add(Reason{Rule: f.Rule, Message: p, Outcome: OutcomeRefuse})
		}
		if f.Passed && f.Note != "" {
			d.add(Reason{Rule: f.Rule, Message: f.Note, Outcome: OutcomePass})
		}
	}
	return mode
}

func screenGoods(d *Decision, g GoodsLine, in ScreeningInput, deps ScreeningDeps) {
	if pl := deps.PositiveList; pl != nil {
		e, err := pl.Lookup(g.HS, in.Date)
		switch {
		case err != nil && pl.inForce(in.Date) == nil:
			d.add(Reason{Rule: RulePositiveList, Line: g.Gnum, Message: tracegate.ErrorMessage(err), Outcome: OutcomeReview})
		case len(g.HS) < 8 || !allDigits(g.HS):
			d.add(Reason{Rule: RulePositiveList, Line: g.Gnum, Message: fmt.Sprintf("gcode %q is not an HS code", g.HS), Outcome: OutcomeRefuse})
		case err != nil:
			d.add(Reason{Rule: RulePositiveList, Line: g.Gnum, Message: tracegate.ErrorMessage(err), Outcome: OutcomeRefuse})
		case !e.AllowsMode(in.TradeMode):
			msg := fmt.Sprintf("HS %s (%s) may not be imported under trade mode %q: list modes %s", e.HS8, e.Name, in.TradeMode, strings.Join(e.Modes, "|"))
			if e.Note != "" {
				msg += ", note " + e.Note
			}
			d.add(Reason{Rule: RulePositiveList, Line: g.Gnum, Message: msg, Outcome: OutcomeRefuse})
		}
	}
	if p, ok := deps.Prohibited.Match(g.HS); ok {
		msg := fmt.Sprintf("HS %s falls in the prohibited category %s (prefix %s)", g.HS, p.Category, p.HSPrefix)
		if p.Reason != "" {
			msg += ": " + p.Reason
		}
		d.add(Reason{Rule: RuleProhibited, Line: g.Gnum, Message: msg, Outcome: OutcomeRefuse})
	}
	if deps.Barcodes != nil && g.GTIN != "" {
		for _, t := range deps.Barcodes.BarcodeRisk(g.GTIN) {
			d.add(Reason{Rule: RuleBarcodeRisk, Line: g.Gnum, Message: tagMessage("barcode "+g.GTIN, t), Outcome: t.Severity.outcome()})
		}
	}
	if deps.HSRisk != nil {
		for _, t := range deps.HSRisk.HSRisk(g.HS) {
			d.add(Reason{Rule: RuleHSRisk, Line: g.Gnum, Message: tagMessage("HS "+g.HS, t), Outcome: t.Severity.outcome()})
		}
	}
	if deps.Filings != nil {
		k := FilingKey{GTIN: g.GTIN, ItemRecordNo: g.ItemRecordNo, ItemNo: g.ItemNo}
		if inv := in.Documents.Inventory; inv != nil {
			k.EbcCode = inv.Head.EbcCode
		}
		if !deps.Filings.Filed(k) {
			d.add(Reason{Rule: RuleFiling, Line: g.Gnum, Outcome: OutcomeRefuse,
				Message: fmt.Sprintf("no product filing for %s (GTIN %q, itemRecordNo %q)", g.Name, g.GTIN, g.ItemRecordNo)})
		}
	}
}

func tagMessage(subject string, t RiskTag) string {
	msg := fmt.Sprintf("%s is tagged %s (%s)", subject, t.Tag, t.Severity)
	if t.Note != "" {
		msg += ": " + t.Note
	}
	return msg
}

func screenTax(d *Decision, inv *Inventory, mode TaxMode, ctQty map[int]string, t *Tariff) {
	if mode == TaxRefused {
		return
	}
	ti, err := TaxInputFromInventory(inv, mode)
	if err == nil {
		for i := range ti.Lines {
			ti.Lines[i].CTQty = ctQty[ti.Lines[i].Gnum]
		}
		var res *TaxResult
		if res, err = ComputeTax(ti, t); err == nil {
			d.Tax = DecisionTax{Customs: res.Duty, VAT: res.VAT, Consumption: res.CT, Total: res.Total()}
			return
		}
	}
	d.add(Reason{Rule: RuleTax, Message: "tax not computed: " + tracegate.ErrorMessage(err), Outcome: OutcomeReview})
}

// declDate returns the YYYYMMDD declTime, or else the day of the
// YYYYMMDDhhmmss appTime, in China Standard Time; zero when neither parses.
func declDate(declTime, appTime string) time.Time {
	if t, err := time.ParseInLocation("20060102", strings.TrimSpace(declTime), chinaTime); err == nil {
		return t
	}
	if t, err := time.ParseInLocation("20060102150405", strings.TrimSpace(appTime), chinaTime); err == nil {
		return t
	}
	return time.Time{}
}

// DeliveryScreeningInputs returns the first-line screening inputs of a
// CEB711 delivery (入库明细单) arriving at at: one per DeliveryList entry,
// whose goods are those of the inventory declared for its logisticsNo
// (inventories is keyed by logisticsNo), checked for the inventory's trade
// mode and for the credit of its ebcCode and of the delivery's operator.
// Waybills without an inventory are returned in unknown, in delivery order,
// for the caller to wait for or report. It fails with EINVALID when an
// inventory's lines are malformed (see GoodsFromInventory).
func DeliveryScreeningInputs(del *Delivery, inventories map[string]*Inventory, at time.Time) (ins []ScreeningInput, unknown []string, err error) {
	for _, l := range del.Lines {
		no := strings.TrimSpace(l.LogisticsNo)
		inv := inventories[no]
		if inv == nil {
			unknown = append(unknown, no)
			continue
		}
		goods, err := GoodsFromInventory(inv)
		if err != nil {
			return nil, nil, err
		}
		ents := []string{inv.Head.EbcCode}
		if op := strings.TrimSpace(del.Head.OperatorCode); op != "" && op != inv.Head.EbcCode {
			ents = append(ents, op)
		}
		ins = append(ins, ScreeningInput{Line: FirstLine, Date: at, TradeMode: inv.Head.TradeMode, Enterprises: ents, Goods: goods})
	}
	return ins, unknown, nil
}
