package tracegate

import "strings"

// Goods is what a selector is matched against: the facts of one item (a
// label bound at intake) or of one inventory line, in the normal forms
// Selector.Validate gives its fields.
type Goods struct {
	GTIN  string // 14 digits
	Batch string
	// HSCode, Origin and Manufacturer are the filing's; Enterprise the
	// filer's USCC.
	HSCode       string
	Origin       string
	Manufacturer string
	Enterprise   string
	// Warehouse is the location identifier of the intake warehouse, as a
	// Digital Link (CanonicalLocation), "" when not known.
	Warehouse string
	// ProducedOn is the batch's production date, YYYY-MM-DD, "" when not
	// known.
	ProducedOn string
	// Containers are the identifiers of the containers the item is in, at
	// any depth, canonical as Selector.Container is; nil when not known (a
	// selector naming a container then does not match).
	Containers []string
}

// Matches reports whether g is among the goods s names: every field of s
// that is given matches. A date range matches only goods with a known
// production date inside it; a container only goods known to be inside it.
func (s *Selector) Matches(g *Goods) bool {
	switch {
	case s.IsZero(),
		s.GTIN != "" && s.GTIN != g.GTIN,
		s.Batch != "" && s.Batch != g.Batch,
		s.HSPrefix != "" && !strings.HasPrefix(g.HSCode, s.HSPrefix),
		s.Origin != "" && !strings.EqualFold(s.Origin, g.Origin),
		s.Manufacturer != "" && s.Manufacturer != g.Manufacturer,
		s.Enterprise != "" && !strings.EqualFold(s.Enterprise, g.Enterprise),
		s.Warehouse != "" && s.Warehouse != g.Warehouse,
		s.ProducedFrom != "" && (g.ProducedOn == "" || g.ProducedOn < s.ProducedFrom),
		s.ProducedTo != "" && (g.ProducedOn == "" || g.ProducedOn > s.ProducedTo):
		return false
	}
	if s.Container != "" {
		for _, c := range g.Containers {
			if c == s.Container {
				return true
			}
		}
		return false
	}
	return true
}

// CanonicalLocation returns a location identifier (an SGLN URN, a Digital
// Link with AI 414, another URI) in the form a selector's warehouse takes,
// or v unchanged when it is not one.
func CanonicalLocation(v string) string {
	if c, msg := canonicalIdentifier(strings.TrimSpace(v), false); msg == "" {
		return c
	}
	return v
}
