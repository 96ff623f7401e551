package customs

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"tracegate"
)

// TariffRate is the tax data of one tariff line or heading, given as data
// (the regulator loads and updates it; nothing here is hard-coded).
type TariffRate struct {
	// HS is an 8-digit tariff line or a 10-digit commodity code; a rate
	// applies to every gcode it is a prefix of, and the longest wins.
	HS string
	// Duty is the statutory import duty (MFN) rate, levied only at full tax.
	Duty Rate
	// VAT is the import VAT rate (13% or 9%).
	VAT Rate
	// CT is the consumption tax rate (0 for most goods; 15% for high-end
	// cosmetics). It must be below 100%.
	CT Rate
	// CTThreshold, when positive, is the unit price from which the
	// consumption tax applies (at or above it), per unit of CTUnit: e.g.
	// 10.00 with CTUnit "CNY/ml" for cosmetics. Zero means always.
	CTThreshold Money
	// CTUnit names the unit of CTThreshold, as "CNY/<unit>" ("CNY/ml",
	// "CNY/g", "CNY/piece"). TaxLine.CTQty is counted in that unit.
	CTUnit string
}

// Tariff is a set of TariffRate looked up by longest prefix.
type Tariff struct {
	rates []TariffRate // sorted by descending len(HS), then HS
}

// NewTariff checks rates and returns a Tariff. It fails with EINVALID,
// naming the offending entry, when an HS is not 8 or 10 digits, occurs
// twice, a CT rate is 100% or more, a threshold is negative, or a
// threshold has no CTUnit of the form "CNY/<unit>".
func NewTariff(rates []TariffRate) (*Tariff, error) {
	t := &Tariff{rates: append([]TariffRate(nil), rates...)}
	seen := map[string]bool{}
	for i, r := range t.rates {
		ptr := fmt.Sprintf("/rates/%d", i)
		switch {
		case (len(r.HS) != 8 && len(r.HS) != 10) || !allDigits(r.HS):
			return nil, tracegate.Invalidf(ptr+"/HS", "HS %q must be 8 or 10 digits", r.HS)
		case seen[r.HS]:
			return nil, tracegate.Invalidf(ptr+"/HS", "HS %s occurs twice", r.HS)
		case r.CT >= Rate(1_000_000) || r.CT < 0 || r.VAT < 0 || r.Duty < 0:
			return nil, tracegate.Invalidf(ptr, "HS %s: rates must be non-negative and CT below 100%%", r.HS)
		case r.CTThreshold < 0:
			return nil, tracegate.Invalidf(ptr+"/CTThreshold", "HS %s: negative threshold", r.HS)
		case r.CTThreshold > 0 && (!strings.HasPrefix(r.CTUnit, "CNY/") || len(r.CTUnit) == 4):
			return nil, tracegate.Invalidf(ptr+"/CTUnit", "HS %s: threshold unit %q, want CNY/<unit>", r.HS, r.CTUnit)
		}
		seen[r.HS] = true
	}
	sort.Slice(t.rates, func(i, j int) bool {
		a, b := t.rates[i].HS, t.rates[j].HS
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	return t, nil
}

// Lookup returns the rate of the longest HS that is a prefix of gcode (a
// 10-digit commodity code; an 8-digit line also works). It fails with
// ENOTFOUND when no rate matches.
func (t *Tariff) Lookup(gcode string) (TariffRate, error) {
	gcode = strings.TrimSpace(gcode)
	for _, r := range t.rates {
		if strings.HasPrefix(gcode, r.HS) {
			return r, nil
		}
	}
	return TariffRate{}, tracegate.Errorf(tracegate.ENOTFOUND, "no tariff rate for HS %q", gcode)
}

// RetailFactor is the share of the statutory VAT and consumption tax levied
// on retail imports within the limits: 70%.
const RetailFactor = Rate(700_000)

// TaxLine is one line to tax.
type TaxLine struct {
	Gnum       int
	HS         string // gcode, 10 digits
	TotalPrice Money  // the line's transaction price (totalPrice)
	// CTQty is the line's quantity in the unit of its rate's CTUnit (for
	// "CNY/ml": the millilitres in the whole line), as a decimal. It is
	// needed only when the rate has a CTThreshold.
	CTQty string
}

// TaxInput is one inventory to tax.
type TaxInput struct {
	Lines      []TaxLine
	Freight    Money // freight of the whole inventory
	InsuredFee Money // insurance of the whole inventory
	Mode       TaxMode
}

// LineTax is the tax of one line. Dutiable is TotalPrice plus Share, the
// line's part of freight and insurance.
type LineTax struct {
	Gnum      int
	HS        string
	Rate      TariffRate
	Share     Money
	Dutiable  Money // 完税价格
	CTApplied bool  // false when the rate has no CT or the unit price is below its threshold
	Duty      Money // 关税
	CT        Money // 消费税
	VAT       Money // 增值税
}

// Total returns Duty + CT + VAT.
func (l LineTax) Total() Money { return l.Duty + l.CT + l.VAT }

// TaxResult is the tax of one inventory: the lines and their sums.
type TaxResult struct {
	Mode          TaxMode
	Lines         []LineTax
	Duty, CT, VAT Money
}

// Total returns Duty + CT + VAT.
func (r *TaxResult) Total() Money { return r.Duty + r.CT + r.VAT }

// ComputeTax taxes in with rates from t.
//
// Allocation: freight + insuredFee is shared among the lines in proportion
// to their TotalPrice, each share rounded down to the fen, and the remainder
// fen go to the last line (all to the last line when every TotalPrice is 0).
// A line's dutiable value D is TotalPrice + share.
//
// Per line, with rates duty, vat and ct of the longest-prefix TariffRate
// (ct counted as 0 when a CTThreshold is set and TotalPrice / CTQty is
// below it):
//
//	TaxFull:   Duty = D·duty
//	           CT   = (D + Duty) / (1 − ct) · ct
//	           VAT  = (D + Duty + CT) · vat
//	TaxRetail: Duty = 0
//	           CT   = 70% · D / (1 − ct) · ct
//	           VAT  = 70% · (D + D / (1 − ct) · ct) · vat
//
// so that retail CT + VAT = D · (vat + ct) / (1 − ct) · 0.7 (DOMAIN.md). All
// arithmetic is exact (rationals); each of Duty, CT and VAT is rounded to
// the fen half up (四舍五入) once, per line, and the inventory sums are sums
// of the rounded line amounts. (So the inventory total may differ by a fen
// from the combined rate applied to the total.)
//
// It fails with EINVALID for no lines, a TaxRefused mode, a negative amount,
// or a missing or non-positive CTQty where a threshold applies, and with
// ENOTFOUND when a line's HS has no rate.
func ComputeTax(in TaxInput, t *Tariff) (*TaxResult, error) {
	if len(in.Lines) == 0 {
		return nil, tracegate.Invalidf("/Lines", "nothing to tax: no lines")
	}
	if in.Mode != TaxRetail && in.Mode != TaxFull {
		return nil, tracegate.Invalidf("/Mode", "a %s declaration is not taxed", in.Mode)
	}
	if in.Freight < 0 || in.InsuredFee < 0 {
		return nil, tracegate.Invalidf("/Freight", "freight and insurance must not be negative")
	}
	shares, err := allocate(in.Freight+in.InsuredFee, in.Lines)
	if err != nil {
		return nil, err
	}
	res := &TaxResult{Mode: in.Mode, Lines: make([]LineTax, len(in.Lines))}
	for i, l := range in.Lines {
		lt, err := lineTax(l, shares[i], in.Mode, t)
		if err != nil {
			return nil, err
		}
		res.Lines[i] = lt
		res.Duty += lt.Duty
		res.CT += lt.CT
		res.VAT += lt.VAT
	}
	return res, nil
}

// allocate shares total among lines in proportion to TotalPrice, rounding
// down, with the remainder to the last line.
func allocate(total Money, lines []TaxLine) ([]Money, error) {
	sum := big.NewInt(0)
	for i, l := range lines {
		if l.TotalPrice < 0 {
			return nil, tracegate.Invalidf(fmt.Sprintf("/Lines/%d/TotalPrice", i), "line %d: negative total price", l.Gnum)
		}
		sum.Add(sum, big.NewInt(int64(l.TotalPrice)))
	}
	shares := make([]Money, len(lines))
	if sum.Sign() == 0 {
		shares[len(lines)-1] = total
		return shares, nil
	}
	var given Money
	for i, l := range lines[:len(lines)-1] {
		s := new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(int64(l.TotalPrice)))
		shares[i] = Money(s.Quo(s, sum).Int64())
		given += shares[i]
	}
	shares[len(lines)-1] = total - given
	return shares, nil
}

func lineTax(l TaxLine, share Money, mode TaxMode, t *Tariff) (LineTax, error) {
	rate, err := t.Lookup(l.HS)
	if err != nil {
		return LineTax{}, err
	}
	lt := LineTax{Gnum: l.Gnum, HS: l.HS, Rate: rate, Share: share, Dutiable: l.TotalPrice + share}
	ct := big.NewRat(0, 1)
	if rate.CT > 0 {
		lt.CTApplied = true
		if rate.CTThreshold > 0 {
			q, err := parseQty(l.CTQty)
			if err != nil || q.Sign() <= 0 {
				return LineTax{}, tracegate.Invalidf("/Lines/"+strconv.Itoa(l.Gnum)+"/CTQty",
					"line %d: HS %s has a consumption-tax threshold of %s %s: the quantity in %s is needed, got %q",
					l.Gnum, rate.HS, rate.CTThreshold, rate.CTUnit, strings.TrimPrefix(rate.CTUnit, "CNY/"), l.CTQty)
			}
			// at or above: TotalPrice / q >= threshold
			lt.CTApplied = l.TotalPrice.rat().Cmp(new(big.Rat).Mul(rate.CTThreshold.rat(), q)) >= 0
		}
		if lt.CTApplied {
			ct = rate.CT.rat()
		}
	}
	d := lt.Dutiable.rat()
	duty := big.NewRat(0, 1)
	if mode == TaxFull {
		duty.Mul(d, rate.Duty.rat())
	}
	base := new(big.Rat).Add(d, duty)
	// CT = base / (1 − ct) · ct
	ctAmt := new(big.Rat).Quo(base, new(big.Rat).Sub(big.NewRat(1, 1), ct))
	ctAmt.Mul(ctAmt, ct)
	vat := new(big.Rat).Add(base, ctAmt)
	vat.Mul(vat, rate.VAT.rat())
	if mode == TaxRetail {
		ctAmt.Mul(ctAmt, RetailFactor.rat())
		vat.Mul(vat, RetailFactor.rat())
	}
	lt.Duty, lt.CT, lt.VAT = roundHalfUp(duty), roundHalfUp(ctAmt), roundHalfUp(vat)
	return lt, nil
}

// TaxInputFromInventory builds the TaxInput of inv: one TaxLine per
// InventoryList (gnum, gcode, totalPrice; CTQty left empty for the caller to
// fill where a threshold applies) and the head's freight and insuredFee. It
// fails with EINVALID, pointing at the element, when gnum is not an integer
// or an amount is not a decimal of whole fen.
func TaxInputFromInventory(inv *Inventory, mode TaxMode) (TaxInput, error) {
	in := TaxInput{Mode: mode, Lines: make([]TaxLine, len(inv.Lines))}
	var err error
	if in.Freight, err = ParseMoney(inv.Head.Freight); err != nil {
		return TaxInput{}, tracegate.Invalidf("/InventoryHead/freight", "%s", tracegate.ErrorMessage(err))
	}
	if in.InsuredFee, err = ParseMoney(inv.Head.InsuredFee); err != nil {
		return TaxInput{}, tracegate.Invalidf("/InventoryHead/insuredFee", "%s", tracegate.ErrorMessage(err))
	}
	for i, l := range inv.Lines {
		p := fmt.Sprintf("/InventoryList[%d]/", i+1)
		g, err := strconv.Atoi(strings.TrimSpace(l.Gnum))
		if err != nil {
			return TaxInput{}, tracegate.Invalidf(p+"gnum", "gnum %q is not an integer", l.Gnum)
		}
		tp, err := ParseMoney(l.TotalPrice)
		if err != nil {
			return TaxInput{}, tracegate.Invalidf(p+"totalPrice", "%s", tracegate.ErrorMessage(err))
		}
		in.Lines[i] = TaxLine{Gnum: g, HS: strings.TrimSpace(l.Gcode), TotalPrice: tp}
	}
	return in, nil
}
