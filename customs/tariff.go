package customs

import (
	"fmt"
	"sort"
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
