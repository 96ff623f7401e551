package risk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"tracegate/customs"
)

// AnalyticsConfig tunes the price statistics; the zero value means the
// documented defaults.
type AnalyticsConfig struct {
	// K is how many median absolute deviations from the GTIN's median unit
	// price flag a line; 0 means 5.
	K float64
	// MinLines is the fewest priced lines of a GTIN for price statistics;
	// 0 means 5.
	MinLines int
	// MADFloor is the smallest deviation counted as one MAD, as a share of
	// the median (a GTIN sold at one price has a MAD of 0); 0 means 0.02.
	MADFloor float64
}

func (c AnalyticsConfig) withDefaults() AnalyticsConfig {
	if c.K <= 0 {
		c.K = 5
	}
	if c.MinLines <= 0 {
		c.MinLines = 5
	}
	if c.MADFloor <= 0 {
		c.MADFloor = 0.02
	}
	return c
}

// analyser turns the lines of one GTIN at a time (they arrive in GTIN
// order) into findings, with no query per GTIN: the filings and the tariff
// are in memory, and the references of the listed declarations and the
// specification texts are resolved after the scan, in batches.
type analyser struct {
	cfg     AnalyticsConfig
	filings map[string][]Filing
	tariff  *customs.Tariff
	rates   map[int64]*customs.Tariff // one-rate tariffs for the shortfall, by HS
	emit    func(Finding)
	lines   []Line
	scratch []int64
	gtins   int
	count   int64
}

func newAnalyser(cfg AnalyticsConfig, filings map[string][]Filing, tariff *customs.Tariff, emit func(Finding)) *analyser {
	return &analyser{cfg: cfg.withDefaults(), filings: filings, tariff: tariff, rates: map[int64]*customs.Tariff{}, emit: emit}
}

// add takes the next line in GTIN order.
func (a *analyser) add(l *Line) {
	if len(a.lines) > 0 && a.lines[0].GTIN != l.GTIN {
		a.flush()
	}
	a.lines = append(a.lines, *l)
	a.count++
}

// flush analyses the GTIN gathered so far.
func (a *analyser) flush() {
	if len(a.lines) == 0 {
		return
	}
	a.gtins++
	g := GTINString(a.lines[0].GTIN)
	filings := a.filings[g]
	owners := make([]int64, 0, len(filings))
	for _, f := range filings {
		owners = append(owners, f.OwnerID)
	}
	out := func(f Finding, listed []Line, culprits []int64) {
		f.GTIN, f.Key = g, string(f.Kind)+"/"+g+f.Key
		if f.Lines == 0 {
			f.Lines = len(listed)
		}
		seen := map[int64]bool{}
		for _, l := range listed {
			if at := time.Unix(l.DeclaredAt, 0).UTC(); at.After(f.At) {
				f.At = at
			}
			if seen[l.DeclarationID] || len(f.Declarations) >= MaxListed {
				continue
			}
			seen[l.DeclarationID] = true
			f.Declarations = append(f.Declarations, DeclarationRef{DeclarationID: l.DeclarationID, Declarant: l.Declarant,
				HSCode: HSString(l.HS), Price: customs.Money(l.Price).String(), DeclaredAt: time.Unix(l.DeclaredAt, 0).UTC()})
		}
		f.Culprits = uniq(culprits)
		parties := append(append([]int64{}, f.Culprits...), owners...)
		for _, d := range f.Declarations {
			parties = append(parties, d.Declarant)
		}
		f.Parties = uniq(parties)
		a.emit(f)
	}
	a.hsCodes(filings, out)
	a.prices(out)
	a.specs(out)
	a.filing(filings, owners, out)
	a.prefix(g, out)
	a.lines = a.lines[:0]
}

// uniq sorts ids and drops duplicates and zeros.
func uniq(ids []int64) []int64 {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > 0 && ids[0] == 0 {
		ids = ids[1:]
	}
	return ids
}

func declarants(lines []Line) []int64 {
	out := make([]int64, 0, len(lines))
	for _, l := range lines {
		out = append(out, l.Declarant)
	}
	return out
}

// counted is a value and how many lines declared it.
type counted struct {
	v int64
	n int
}

// tally counts the values key gives the lines, most declared first (ties
// by value).
func (a *analyser) tally(key func(*Line) int64) []counted {
	m := map[int64]int{}
	for i := range a.lines {
		m[key(&a.lines[i])]++
	}
	out := make([]counted, 0, len(m))
	for v, n := range m {
		out = append(out, counted{v, n})
	}
	slices.SortFunc(out, func(x, y counted) int {
		if c := cmp.Compare(y.n, x.n); c != 0 {
			return c
		}
		return cmp.Compare(x.v, y.v)
	})
	return out
}

func (a *analyser) hsCodes(filings []Filing, out func(Finding, []Line, []int64)) {
	hs := a.tally(func(l *Line) int64 { return l.HS })
	if len(hs) < 2 {
		return
	}
	ref, why := hs[0].v, "the HS code most declared"
	for _, f := range filings {
		for _, c := range hs {
			if f.HS != "" && strings.HasPrefix(HSString(c.v), f.HS) {
				ref, why = c.v, "the filed HS code"
				break
			}
		}
		if why != "the HS code most declared" {
			break
		}
	}
	var listed []Line
	for _, l := range a.lines {
		if l.HS != ref {
			listed = append(listed, l)
		}
	}
	parts := make([]string, 0, len(hs))
	for i, c := range hs {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(hs)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s × %d", HSString(c.v), c.n))
	}
	out(Finding{Kind: FindingSameGTINHS, Detail: fmt.Sprintf("declared under %d HS codes: %s; reference %s (%s); %d lines under another",
		len(hs), strings.Join(parts, ", "), HSString(ref), why, len(listed))}, listed, declarants(listed))
}

func (a *analyser) specs(out func(Finding, []Line, []int64)) {
	specs := a.tally(func(l *Line) int64 { return l.Spec })
	units := a.tally(func(l *Line) int64 { return l.Unit })
	if len(specs) < 2 && len(units) < 2 {
		return
	}
	var listed []Line
	for _, l := range a.lines {
		if l.Spec != specs[0].v || l.Unit != units[0].v {
			listed = append(listed, l)
		}
	}
	f := Finding{Kind: FindingSameGTINSpec}
	f.specs, f.units = specs, units
	out(f, listed, declarants(listed))
}

// filing finds the lines declared with no approved filing of the GTIN, or
// by an enterprise other than its filers.
func (a *analyser) filing(filings []Filing, owners []int64, out func(Finding, []Line, []int64)) {
	if len(filings) == 0 {
		listed := a.recent(func(*Line) bool { return true })
		f := Finding{Kind: FindingNotFiled, Lines: len(a.lines),
			Detail: fmt.Sprintf("declared in %d lines with no approved product filing of the GTIN", len(a.lines))}
		out(f, listed, declarants(a.lines))
		return
	}
	by := map[int64][]Line{}
	for _, l := range a.lines {
		if l.Declarant != 0 && !slices.Contains(owners, l.Declarant) {
			by[l.Declarant] = append(by[l.Declarant], l)
		}
	}
	for _, d := range slices.Sorted(mapsKeys(by)) {
		ls := by[d]
		slices.SortFunc(ls, func(x, y Line) int { return cmp.Compare(y.DeclaredAt, x.DeclaredAt) })
		f := Finding{Kind: FindingFiledByOther, Key: fmt.Sprintf("/%d", d), Lines: len(ls),
			Detail: fmt.Sprintf("filed by %s, declared in %d lines by enterprise %d, which holds no approved filing of it", ownerList(owners), len(ls), d)}
		out(f, ls, []int64{d})
	}
}

func ownerList(owners []int64) string {
	s := make([]string, len(owners))
	for i, o := range owners {
		s[i] = fmt.Sprintf("enterprise %d", o)
	}
	return strings.Join(s, ", ")
}

func mapsKeys(m map[int64][]Line) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// recent returns the lines keep accepts, most recent first.
func (a *analyser) recent(keep func(*Line) bool) []Line {
	var out []Line
	for i := range a.lines {
		if keep(&a.lines[i]) {
			out = append(out, a.lines[i])
		}
	}
	slices.SortFunc(out, func(x, y Line) int { return cmp.Compare(y.DeclaredAt, x.DeclaredAt) })
	return out
}
