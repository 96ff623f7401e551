package customs

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"tracegate"
)

// Money is an amount of renminbi in fen (分, 0.01 yuan). It is never a float.
type Money int64

// Yuan returns n whole yuan as Money.
func Yuan(n int64) Money { return Money(n * 100) }

// ParseMoney parses a decimal amount in yuan, such as "123.45", "500" or
// "-0.5", into fen. Surrounding whitespace is ignored (xs:decimal collapses
// it). It fails with EINVALID for anything that is not an xs:decimal
// (exponents, commas, "NaN", empty) and for an amount with a non-zero digit
// below the fen: the CEB XSDs allow 5 fraction digits, but money here is
// whole fen, so "1.2300" is 1.23 yuan and "1.234" is refused, never rounded.
// Amounts of 10^13 yuan or more are refused too.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "+")
	ip, fp, _ := strings.Cut(t, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) {
		return 0, tracegate.Invalidf("", "amount %q is not a decimal number", s)
	}
	fp = strings.TrimRight(fp, "0")
	if len(fp) > 2 {
		return 0, tracegate.Invalidf("", "amount %q has more than 2 decimal places (fractions of a fen)", s)
	}
	ip = strings.TrimLeft(ip, "0")
	if len(ip) > 13 {
		return 0, tracegate.Invalidf("", "amount %q is too large", s)
	}
	var yuan int64
	if ip != "" {
		yuan, _ = strconv.ParseInt(ip, 10, 64) // at most 13 digits
	}
	fen, _ := strconv.ParseInt((fp + "00")[:2], 10, 64)
	m := Money(yuan*100 + fen)
	if neg {
		m = -m
	}
	return m, nil
}

// String formats m in yuan with exactly two decimals: "123.45", "-0.05".
func (m Money) String() string {
	sign := ""
	u := int64(m)
	if u < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// rat returns m in yuan as an exact rational.
func (m Money) rat() *big.Rat { return big.NewRat(int64(m), 100) }

// roundHalfUp returns r yuan rounded to the fen, halves away from zero
// (四舍五入): 0.005 → 0.01, -0.005 → -0.01, 0.0049 → 0.00.
func roundHalfUp(r *big.Rat) Money {
	fen := new(big.Rat).Mul(r, big.NewRat(100, 1))
	num, den := new(big.Int).Set(fen.Num()), fen.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	// floor((2·num + den) / (2·den)) rounds half up for non-negative values.
	num.Mul(num, big.NewInt(2)).Add(num, den)
	q := num.Quo(num, new(big.Int).Mul(den, big.NewInt(2)))
	v := q.Int64()
	if neg {
		v = -v
	}
	return Money(v)
}

// parseQty parses an xs:decimal quantity (up to 5 decimals in CEB) into an
// exact rational; it fails with EINVALID for anything that is not a decimal.
func parseQty(s string) (*big.Rat, error) {
	t := strings.TrimSpace(s)
	if _, _, ok := decimalDigits(t); !ok {
		return nil, tracegate.Invalidf("", "quantity %q is not a decimal number", s)
	}
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(t, "+"))
	if !ok {
		return nil, tracegate.Invalidf("", "quantity %q is not a decimal number", s)
	}
	return r, nil
}

// Rate is a tax rate in millionths (parts per million): 13% is 130000.
type Rate int64

// ParseRate parses a rate written as a percentage ("13%", "7.5%") or as a
// decimal fraction ("0.13"). It fails with EINVALID for anything else, for
// a negative rate, and for more precision than a millionth.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	scale := int64(1_000_000)
	if strings.HasSuffix(t, "%") {
		t, scale = strings.TrimSpace(strings.TrimSuffix(t, "%")), 10_000
	}
	r, err := parseQty(t)
	if err != nil || r.Sign() < 0 {
		return 0, tracegate.Invalidf("", "rate %q is not a non-negative decimal or percentage", s)
	}
	r.Mul(r, big.NewRat(scale, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, tracegate.Invalidf("", "rate %q is finer than a millionth or too large", s)
	}
	return Rate(r.Num().Int64()), nil
}

// String formats r as a percentage without trailing zeros: "13%", "7.5%".
func (r Rate) String() string {
	s := big.NewRat(int64(r), 10_000).FloatString(4)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

func (r Rate) rat() *big.Rat { return big.NewRat(int64(r), 1_000_000) }
