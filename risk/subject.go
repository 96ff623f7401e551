package risk

import (
	"strings"

	"tracegate"
	"tracegate/gs1"
)

// SubjectKind is what a score is about.
type SubjectKind string

// The subject kinds.
const (
	SubjectGTIN         SubjectKind = "gtin"
	SubjectBatch        SubjectKind = "batch" // value GTIN/BATCH
	SubjectHS           SubjectKind = "hs"    // an HS code of 2 to 8 digits
	SubjectOrigin       SubjectKind = "origin"
	SubjectManufacturer SubjectKind = "manufacturer"
	SubjectEnterprise   SubjectKind = "enterprise" // the filer's USCC
)

// SubjectKinds lists the subject kinds in a stable order.
var SubjectKinds = []SubjectKind{SubjectGTIN, SubjectBatch, SubjectHS, SubjectOrigin, SubjectManufacturer, SubjectEnterprise}

// Subject is one thing scored: a kind and a value in normal form.
type Subject struct {
	Kind  SubjectKind `json:"kind"`
	Value string      `json:"value"`
}

// String is "kind:value", the form of GET /api/risk/signals?subject=.
func (s Subject) String() string { return string(s.Kind) + ":" + s.Value }

// ParseSubject parses "kind:value" (gtin:…, batch:GTIN/BATCH, hs:…,
// origin:…, manufacturer:…, enterprise:…) into its normal form. It fails
// with EINVALID, pointing at pointer, for an unknown kind or a value that
// is not of its kind.
func ParseSubject(s, pointer string) (Subject, error) {
	k, v, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Subject{}, tracegate.Invalidf(pointer, "subject %q is not kind:value (kinds: %s)", s, names(SubjectKinds))
	}
	return NewSubject(SubjectKind(k), v, pointer)
}

// NewSubject checks and normalises a subject of kind k with value v. It
// fails as ParseSubject.
func NewSubject(k SubjectKind, v, pointer string) (Subject, error) {
	v = strings.TrimSpace(v)
	sel := tracegate.Selector{}
	switch k {
	case SubjectGTIN:
		sel.GTIN = v
	case SubjectBatch:
		g, b, ok := strings.Cut(v, "/")
		if !ok {
			return Subject{}, tracegate.Invalidf(pointer, "a batch subject is GTIN/BATCH, not %q", v)
		}
		sel.GTIN, sel.Batch = g, b
	case SubjectHS:
		if len(v) > 8 {
			return Subject{}, tracegate.Invalidf(pointer, "an HS subject has 2 to 8 digits, not %q", v)
		}
		sel.HSPrefix = v
	case SubjectOrigin:
		sel.Origin = v
	case SubjectManufacturer:
		sel.Manufacturer = v
	case SubjectEnterprise:
		sel.Enterprise = v
	default:
		return Subject{}, tracegate.Invalidf(pointer, "unknown subject kind %q: want one of %s", k, names(SubjectKinds))
	}
	if v == "" {
		return Subject{}, tracegate.Invalidf(pointer, "the %s subject has no value", k)
	}
	if err := sel.Validate(""); err != nil {
		return Subject{}, tracegate.Invalidf(pointer, "%s", tracegate.ErrorMessage(err))
	}
	subs := SelectorSubjects(sel)
	for _, s := range subs {
		if s.Kind == k {
			return s, nil
		}
	}
	return Subject{}, tracegate.Invalidf(pointer, "%q is not a %s subject", v, k)
}

// SelectorSubjects returns the subjects a valid selector names itself: its
// GTIN, GTIN and batch, HS prefix (cut to 8 digits), origin, manufacturer
// and enterprise.
func SelectorSubjects(sel tracegate.Selector) []Subject {
	var out []Subject
	if sel.GTIN != "" {
		out = append(out, Subject{SubjectGTIN, sel.GTIN})
		if sel.Batch != "" {
			out = append(out, Subject{SubjectBatch, sel.GTIN + "/" + sel.Batch})
		}
	}
	if sel.HSPrefix != "" {
		out = append(out, Subject{SubjectHS, sel.HSPrefix[:min(8, len(sel.HSPrefix))]})
	}
	if sel.Origin != "" {
		out = append(out, Subject{SubjectOrigin, sel.Origin})
	}
	if sel.Manufacturer != "" {
		out = append(out, Subject{SubjectManufacturer, sel.Manufacturer})
	}
	if sel.Enterprise != "" {
		out = append(out, Subject{SubjectEnterprise, sel.Enterprise})
	}
	return out
}

// GoodsFiling is what a product filing says of a GTIN's goods, from which a
// signal on the GTIN also scores its HS code, origin, manufacturer and
// filer.
type GoodsFiling struct {
	GTIN, HSCode, Origin, Manufacturer, OwnerUSCC string
}

// Subjects returns the subjects a signal with selector sel is scored on:
// those the selector names, and for a GTIN those of each of its filings
// (HS code cut to 8 digits, origin, manufacturer, filer), each once.
func Subjects(sel tracegate.Selector, filings []GoodsFiling) []Subject {
	out := SelectorSubjects(sel)
	seen := map[Subject]bool{}
	for _, s := range out {
		seen[s] = true
	}
	add := func(k SubjectKind, v string) {
		if v == "" {
			return
		}
		if k == SubjectHS {
			if len(v) < 2 || strings.Trim(v, "0123456789") != "" {
				return
			}
			v = v[:min(8, len(v))]
		}
		s := Subject{k, v}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if sel.GTIN != "" {
		for _, f := range filings {
			if g, err := gs1.NormalizeGTIN(f.GTIN); err != nil || g != sel.GTIN {
				continue
			}
			add(SubjectHS, f.HSCode)
			add(SubjectOrigin, strings.ToUpper(f.Origin))
			add(SubjectManufacturer, f.Manufacturer)
			add(SubjectEnterprise, f.OwnerUSCC)
		}
	}
	return out
}
