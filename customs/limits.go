package customs

import (
	"fmt"
	"math/big"
	"time"
)

// Limits are the retail import limits of 财关税〔2018〕49号.
type Limits struct {
	Single Money // per transaction
	Annual Money // per buyer per calendar year
}

// DefaultLimits are the limits in force since 2019-01-01: 5,000 RMB per
// transaction, 26,000 RMB per person per year.
var DefaultLimits = Limits{Single: Yuan(5000), Annual: Yuan(26000)}

// TaxMode says how a declaration is taxed.
type TaxMode int

const (
	// TaxRetail is the retail rate within the limits: tariff 0, VAT and
	// consumption tax at 70% of the statutory amount.
	TaxRetail TaxMode = iota
	// TaxFull is the full statutory rate of goods, duty included: the
	// single-item exception (one piece over the single limit but within the
	// annual limit).
	TaxFull
	// TaxRefused means the declaration may not enter as retail import.
	TaxRefused
)

// String returns "retail", "full" or "refused".
func (m TaxMode) String() string {
	switch m {
	case TaxRetail:
		return "retail"
	case TaxFull:
		return "full"
	default:
		return "refused"
	}
}

// Transaction is what the limit rules look at.
type Transaction struct {
	// Value is the transaction's dutiable value (完税价格: goods plus
	// freight and insurance), which counts toward both limits; see
	// DutiableValue.
	Value Money
	// SingleItem is true when the order holds exactly one piece (订单下仅一件
	// 商品); see IsSingleItem.
	SingleItem bool
	// UsedThisYear is what the buyer has already used of the annual limit
	// in the transaction's calendar year; see UsedInYear.
	UsedThisYear Money
}

// Check applies limit.single and limit.annual to t and returns the tax mode
// and both findings. Within the single limit and the annual limit: TaxRetail.
// Over the single limit, a single-item transaction within the annual limit
// passes limit.single with a note and is TaxFull; anything else over the
// single limit fails limit.single. Over the annual limit (used + value >
// Annual) fails limit.annual. Any failure makes the mode TaxRefused. Check
// never fails otherwise; a negative value is treated like any other amount.
func (l Limits) Check(t Transaction) (TaxMode, []Finding) {
	mode := TaxRetail
	single := Finding{Rule: RuleLimitSingle, Passed: true}
	if t.Value > l.Single {
		if t.SingleItem {
			mode = TaxFull
			single.Note = fmt.Sprintf("value %s exceeds the single limit %s, accepted at full tax as a single item", t.Value, l.Single)
		} else {
			single.Passed = false
			single.Problems = []string{fmt.Sprintf("value %s exceeds the single-transaction limit %s and the order holds more than one item", t.Value, l.Single)}
		}
	}
	annual := Finding{Rule: RuleLimitAnnual, Passed: true}
	if total := t.UsedThisYear + t.Value; total > l.Annual {
		annual.Passed = false
		annual.Problems = []string{fmt.Sprintf("used %s + value %s = %s exceeds the annual limit %s", t.UsedThisYear, t.Value, total, l.Annual)}
	}
	if !single.Passed || !annual.Passed {
		mode = TaxRefused
	}
	return mode, []Finding{single, annual}
}

// QuotaUse is one earlier transaction of a buyer that counts toward the
// annual limit.
type QuotaUse struct {
	Time  time.Time
	Value Money
}

// Refund returns the use that gives amount of u back to the buyer's quota
// when goods are returned (CEB625): a negative use dated like u, so that it
// counts in u's calendar year even when the refund comes in the next one.
// amount is capped at u.Value, and a negative amount counts as 0, so a
// refund never restores more than was used. It never fails.
func (u QuotaUse) Refund(amount Money) QuotaUse {
	amount = min(max(amount, 0), u.Value)
	return QuotaUse{Time: u.Time, Value: -amount}
}

// chinaTime is China Standard Time (UTC+8, no daylight saving), whose
// calendar year the annual limit follows.
var chinaTime = time.FixedZone("CST", 8*60*60)

// UsedInYear sums the values of uses whose time falls in calendar year
// year in China Standard Time (so 2025-12-31T20:00Z counts for 2026).
// Refunds (see Refund) are negative uses and reduce the sum, which is never
// below 0. It never fails.
func UsedInYear(uses []QuotaUse, year int) Money {
	var sum Money
	for _, u := range uses {
		if u.Time.In(chinaTime).Year() == year {
			sum += u.Value
		}
	}
	return max(sum, 0)
}

// DutiableValue returns the dutiable value of an inventory: the sum of its
// lines' totalPrice plus the head's freight and insuredFee. It fails with
// EINVALID when an amount is not a decimal of whole fen.
func DutiableValue(inv *Inventory) (Money, error) {
	in, err := TaxInputFromInventory(inv, TaxRetail)
	if err != nil {
		return 0, err
	}
	sum := in.Freight + in.InsuredFee
	for _, l := range in.Lines {
		sum += l.TotalPrice
	}
	return sum, nil
}

// IsSingleItem reports whether inv holds exactly one piece: one line whose
// qty is 1. A qty that is not a decimal counts as not single.
func IsSingleItem(inv *Inventory) bool {
	if len(inv.Lines) != 1 {
		return false
	}
	q, err := parseQty(inv.Lines[0].Qty)
	return err == nil && q.Cmp(big.NewRat(1, 1)) == 0
}
