package risk

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"tracegate/customs"
)

// prices flags the lines whose unit price is beyond K MADs of the GTIN's
// median (robust to the outliers themselves), and estimates the tax the
// under-declared ones avoided: the retail tax on the line at the median
// price less the retail tax on the line as declared.
func (a *analyser) prices(out func(Finding, []Line, []int64)) {
	a.scratch = a.scratch[:0]
	for _, l := range a.lines {
		if l.Price > 0 { // a gift is declared at 0
			a.scratch = append(a.scratch, l.Price)
		}
	}
	n := len(a.scratch)
	if n < a.cfg.MinLines {
		return
	}
	med := median(a.scratch)
	for i, p := range a.scratch {
		a.scratch[i] = int64(math.Abs(float64(p) - med))
	}
	mad := median(a.scratch)
	scale := math.Max(math.Max(mad, a.cfg.MADFloor*med), 1)
	limit := a.cfg.K * scale
	type flagged struct {
		l   Line
		dev float64
	}
	var fl []flagged
	var shortfall customs.Money
	under, over := 0, 0
	for _, l := range a.lines {
		dev := float64(l.Price) - med
		if l.Price <= 0 || math.Abs(dev) <= limit {
			continue
		}
		fl = append(fl, flagged{l, dev})
		if dev < 0 {
			under++
			shortfall += a.shortfall(l, med)
		} else {
			over++
		}
	}
	if len(fl) == 0 {
		return
	}
	slices.SortFunc(fl, func(x, y flagged) int { return cmp.Compare(math.Abs(y.dev), math.Abs(x.dev)) })
	listed := make([]Line, len(fl))
	var culprits []int64
	for i, f := range fl {
		listed[i] = f.l
		if f.dev < 0 {
			culprits = append(culprits, f.l.Declarant)
		}
	}
	f := Finding{Kind: FindingSameGTINPrice, Detail: fmt.Sprintf(
		"median unit price %s over %d priced lines, MAD %s; %d lines below and %d above %g MADs (%s) of the median",
		customs.Money(math.Round(med)), n, customs.Money(math.Round(mad)), under, over, a.cfg.K, customs.Money(math.Round(limit)))}
	if under > 0 {
		f.TaxShortfall = &shortfall
		f.Detail += fmt.Sprintf("; estimated tax shortfall %s CNY at the retail rates", shortfall)
		if a.tariff == nil {
			f.Detail += " (no tariff table loaded: not estimated)"
		}
	}
	out(f, listed, culprits)
}

// shortfall is the retail tax of l at the median unit price less its tax
// as declared, 0 when no tariff rate applies. A rate with a consumption-tax
// threshold per unit is counted without the consumption tax (the line's
// quantity in that unit is not known here), so the estimate is a lower
// bound for those lines.
func (a *analyser) shortfall(l Line, med float64) customs.Money {
	if a.tariff == nil || l.Price <= 0 {
		return 0
	}
	t, ok := a.rates[l.HS]
	if !ok {
		if r, err := a.tariff.Lookup(HSString(l.HS)); err == nil {
			if r.CTThreshold > 0 {
				r.CT, r.CTThreshold, r.CTUnit = 0, 0, ""
			}
			r.HS = HSString(l.HS)
			t, _ = customs.NewTariff([]customs.TariffRate{r})
		}
		a.rates[l.HS] = t
	}
	if t == nil {
		return 0
	}
	expected := customs.Money(math.Round(float64(l.Total) * med / float64(l.Price)))
	tax := func(total customs.Money) customs.Money {
		res, err := customs.ComputeTax(customs.TaxInput{Mode: customs.TaxRetail,
			Lines: []customs.TaxLine{{Gnum: 1, HS: HSString(l.HS), TotalPrice: total}}}, t)
		if err != nil {
			return 0
		}
		return res.Total()
	}
	if d := tax(expected) - tax(customs.Money(l.Total)); d > 0 {
		return d
	}
	return 0
}

// median returns the median of v (the mean of the two middle values for an
// even count) by selection, reordering v.
func median(v []int64) float64 {
	n := len(v)
	if n == 0 {
		return 0
	}
	hi := selectK(v, n/2)
	if n%2 == 1 {
		return float64(hi)
	}
	lo := slices.Max(v[:n/2]) // selectK left the smaller half before n/2
	return (float64(lo) + float64(hi)) / 2
}

// selectK reorders v so that v[k] is the value a sort would put there, the
// values before it no larger and those after no smaller (quickselect,
// median-of-three pivots), and returns v[k].
func selectK(v []int64, k int) int64 {
	lo, hi := 0, len(v)-1
	for hi > lo {
		if hi-lo < 16 {
			slices.Sort(v[lo : hi+1])
			return v[k]
		}
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}
