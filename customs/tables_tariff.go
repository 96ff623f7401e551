package customs

import (
	"io"
	"strings"

	"tracegate"
)

// ParseTariffCSV reads a tariff CSV with the header
// hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit into rates
// for NewTariff. hs is 8 or 10 digits (the longest match wins at lookup);
// the rates are decimal fractions such as 0.13 (a percentage sign is
// refused, so that "13" cannot be mistaken for 13%); vat_rate is at most 1,
// ct_rate below 1, and duty_rate unbounded (some MFN rates exceed 100%).
// ct_threshold is empty (no threshold) or a yuan amount such as 10 or 10.00,
// and ct_threshold_unit is then required, as CNY/<unit> (CNY/ml, CNY/g); an
// empty ct_rate means 0. It fails with EINVALID pointing at the line and
// column of the first problem.
func ParseTariffCSV(r io.Reader) ([]TariffRate, error) {
	cols := []string{"hs", "duty_rate", "vat_rate", "ct_rate", "ct_threshold", "ct_threshold_unit"}
	t, err := newCSVTable(r, cols)
	if err != nil {
		return nil, err
	}
	var out []TariffRate
	seen := map[string]bool{}
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		tr := TariffRate{HS: rec[0], CTUnit: rec[5]}
		if (len(tr.HS) != 8 && len(tr.HS) != 10) || !allDigits(tr.HS) {
			return nil, t.errf(0, "hs %q must be 8 or 10 digits", rec[0])
		}
		if seen[tr.HS] {
			return nil, t.errf(0, "hs %s occurs twice", tr.HS)
		}
		seen[tr.HS] = true
		rates := []*Rate{&tr.Duty, &tr.VAT, &tr.CT}
		for i, p := range rates {
			s := rec[1+i]
			if s == "" && i == 2 {
				continue
			}
			if strings.Contains(s, "%") || s == "" {
				return nil, t.errf(1+i, "rate %q must be a decimal fraction such as 0.13", s)
			}
			if *p, err = ParseRate(s); err != nil {
				return nil, t.errf(1+i, "%s", tracegate.ErrorMessage(err))
			}
		}
		switch {
		case tr.VAT > 1_000_000:
			return nil, t.errf(2, "VAT rate %s is above 1", rec[2])
		case tr.CT >= 1_000_000:
			return nil, t.errf(3, "consumption tax rate %s must be below 1", rec[3])
		}
		if rec[4] != "" {
			if tr.CTThreshold, err = ParseMoney(rec[4]); err != nil || tr.CTThreshold <= 0 {
				return nil, t.errf(4, "threshold %q must be a positive amount in yuan", rec[4])
			}
			if !strings.HasPrefix(tr.CTUnit, "CNY/") || len(tr.CTUnit) == 4 {
				return nil, t.errf(5, "threshold unit %q, want CNY/<unit> such as CNY/ml", tr.CTUnit)
			}
			if tr.CT == 0 {
				return nil, t.errf(4, "a threshold without a consumption tax rate")
			}
		} else if tr.CTUnit != "" {
			return nil, t.errf(5, "threshold unit %q without a threshold", tr.CTUnit)
		}
		out = append(out, tr)
	}
	if len(out) == 0 {
		return nil, tracegate.Invalidf("line 2", "the tariff table has no rates")
	}
	return out, nil
}

// ProhibitedEntry is one row of the prohibited-categories table (the eight
// categories of the 2015 AQSIQ opinion, as HS prefixes): CSV columns
// hs_prefix,category,reason.
type ProhibitedEntry struct {
	HSPrefix string `json:"hsPrefix"` // 2 to 10 digits; matches every gcode it begins
	Category string `json:"category"` // e.g. "危险化学品"
	Reason   string `json:"reason,omitempty"`
}

// ProhibitedList is the prohibited-categories table. It is a plain slice:
// persist it as is.
type ProhibitedList []ProhibitedEntry

// Match returns the entry with the longest HSPrefix that begins gcode, and
// false when none does. It never fails.
func (p ProhibitedList) Match(gcode string) (ProhibitedEntry, bool) {
	gcode = strings.TrimSpace(gcode)
	best, found := ProhibitedEntry{}, false
	for _, e := range p {
		if strings.HasPrefix(gcode, e.HSPrefix) && (!found || len(e.HSPrefix) > len(best.HSPrefix)) {
			best, found = e, true
		}
	}
	return best, found
}

// ParseProhibitedCSV reads a prohibited-categories CSV with the header
// hs_prefix,category,reason. hs_prefix is 2 to 10 digits and unique;
// category is required; reason is free text. It fails with EINVALID
// pointing at the line and column of the first problem.
func ParseProhibitedCSV(r io.Reader) (ProhibitedList, error) {
	cols := []string{"hs_prefix", "category", "reason"}
	t, err := newCSVTable(r, cols)
	if err != nil {
		return nil, err
	}
	var out ProhibitedList
	seen := map[string]bool{}
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		e := ProhibitedEntry{HSPrefix: rec[0], Category: rec[1], Reason: rec[2]}
		switch {
		case len(e.HSPrefix) < 2 || len(e.HSPrefix) > 10 || !allDigits(e.HSPrefix):
			return nil, t.errf(0, "hs_prefix %q must be 2 to 10 digits", rec[0])
		case seen[e.HSPrefix]:
			return nil, t.errf(0, "hs_prefix %s occurs twice", e.HSPrefix)
		case e.Category == "":
			return nil, t.errf(1, "category is required")
		}
		seen[e.HSPrefix] = true
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, tracegate.Invalidf("line 2", "the prohibited table has no rows")
	}
	return out, nil
}
