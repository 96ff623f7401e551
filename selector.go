package tracegate

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate/gs1"
)

// Selector names a set of goods: the scope of a measure (a recall, a stop
// sale, a warehouse lock) and the subject of a risk signal. Every field given
// must match; at least one is given. Validate checks and normalises it.
type Selector struct {
	// GTIN of the product, normalised to 14 digits.
	GTIN string `json:"gtin,omitempty"`
	// Batch (lot) number under GTIN; a batch is only meaningful with its GTIN.
	Batch string `json:"batch,omitempty"`
	// HSPrefix is a prefix of the goods' HS code (2 to 10 digits).
	HSPrefix string `json:"hsPrefix,omitempty"`
	// Origin is the filed country of origin, ISO 3166-1 alpha-2.
	Origin string `json:"origin,omitempty"`
	// Manufacturer is the filed manufacturer's name, matched exactly.
	Manufacturer string `json:"manufacturer,omitempty"`
	// Enterprise is the USCC of the enterprise that filed the product.
	Enterprise string `json:"enterprise,omitempty"`
	// Container is a parent identifier (an SSCC, as 18 digits, EPC URN or
	// Digital Link, or another URI): everything inside it at any depth.
	Container string `json:"container,omitempty"`
	// Warehouse is the location identifier of the binding warehouse (an SGLN
	// URN, a Digital Link with AI 414, or another URI).
	Warehouse string `json:"warehouse,omitempty"`
	// ProducedFrom and ProducedTo bound the batch's production date
	// (YYYY-MM-DD, inclusive), from the event's ILMD or the filing.
	ProducedFrom string `json:"producedFrom,omitempty"`
	ProducedTo   string `json:"producedTo,omitempty"`
}

// SelectorLimit is the longest text field a selector takes, in bytes.
const SelectorLimit = 512

// IsZero reports whether no field is given.
func (s *Selector) IsZero() bool { return *s == Selector{} }

// ParseSelector decodes a selector from JSON, refusing unknown fields, and
// validates it; pointer is where the selector sits in its document
// ("/selector"), prefixed to every problem's pointer.
func ParseSelector(b []byte, pointer string) (Selector, error) {
	var s Selector
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return Selector{}, Invalidf(pointer, "selector: %v", err)
	}
	if d.More() {
		return Selector{}, Invalidf(pointer, "selector: data after the object")
	}
	return s, s.Validate(pointer)
}

// Validate checks every field and puts each in its normal form: a GTIN of 14
// digits, an SSCC container as its Digital Link on id.gs1.org, an EPC URN
// container or warehouse as its Digital Link, upper-case country and USCC.
// Each problem points at pointer + "/field"; all are reported together.
func (s *Selector) Validate(pointer string) error {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Pointer: pointer + "/" + field, Detail: Invalidf("", format, args...).Message})
	}
	for field, v := range map[string]*string{
		"gtin": &s.GTIN, "batch": &s.Batch, "hsPrefix": &s.HSPrefix, "origin": &s.Origin,
		"manufacturer": &s.Manufacturer, "enterprise": &s.Enterprise, "container": &s.Container,
		"warehouse": &s.Warehouse, "producedFrom": &s.ProducedFrom, "producedTo": &s.ProducedTo,
	} {
		*v = strings.TrimSpace(*v)
		if len(*v) > SelectorLimit || !utf8.ValidString(*v) || strings.ContainsRune(*v, 0) {
			bad(field, "must be valid UTF-8 text of at most %d bytes", SelectorLimit)
			*v = ""
		}
	}
	if s.IsZero() && len(errs) == 0 {
		return Invalidf(pointer, "a selector needs at least one of gtin, batch, hsPrefix, origin, manufacturer, enterprise, container, warehouse, producedFrom, producedTo")
	}
	if s.GTIN != "" {
		if g, err := gs1.NormalizeGTIN(s.GTIN); err != nil {
			bad("gtin", "%v", err)
		} else {
			s.GTIN = g
		}
	}
	if s.Batch != "" {
		if s.GTIN == "" {
			bad("batch", "a batch is only meaningful under its product: give gtin too")
		}
		if len(s.Batch) > 20 || !isCSET82(s.Batch) {
			bad("batch", "batch %q is not a GS1 batch/lot number (AI 10: up to 20 characters of CSET 82)", s.Batch)
		}
	}
	if s.HSPrefix != "" && (len(s.HSPrefix) < 2 || len(s.HSPrefix) > 10 || !allDigits(s.HSPrefix)) {
		bad("hsPrefix", "HS code prefix %q must be 2 to 10 digits", s.HSPrefix)
	}
	if s.Origin != "" {
		s.Origin = strings.ToUpper(s.Origin)
		if !gs1.IsISO3166Alpha2(s.Origin) {
			bad("origin", "%q is not an ISO 3166-1 alpha-2 country code", s.Origin)
		}
	}
	if s.Enterprise != "" {
		if u, err := ValidateUSCC(s.Enterprise); err != nil {
			bad("enterprise", "%s", ErrorMessage(err))
		} else {
			s.Enterprise = u
		}
	}
	if s.Container != "" {
		if c, msg := canonicalIdentifier(s.Container, true); msg != "" {
			bad("container", "%s", msg)
		} else {
			s.Container = c
		}
	}
	if s.Warehouse != "" {
		if w, msg := canonicalIdentifier(s.Warehouse, false); msg != "" {
			bad("warehouse", "%s", msg)
		} else {
			s.Warehouse = w
		}
	}
	var from, to time.Time
	for _, f := range []struct {
		field string
		v     string
		t     *time.Time
	}{{"producedFrom", s.ProducedFrom, &from}, {"producedTo", s.ProducedTo, &to}} {
		if f.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, f.v)
		if err != nil {
			bad(f.field, "%q is not a date (YYYY-MM-DD)", f.v)
			continue
		}
		*f.t = t
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		bad("producedTo", "producedTo %s is before producedFrom %s", s.ProducedTo, s.ProducedFrom)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return &Error{Code: EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail}
	}
	return &Error{Code: EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail, Details: errs}
}

// canonicalIdentifier checks an identifier given as a selector's container or
// warehouse and returns it in the form EPCIS events are indexed in: GS1 keys
// as Digital Links on id.gs1.org (an 18-digit SSCC too, when sscc is set),
// other absolute URIs unchanged. msg says why it was refused.
func canonicalIdentifier(v string, sscc bool) (string, string) {
	if sscc && len(v) == 18 && allDigits(v) {
		if err := gs1.VerifyCheckDigit(v); err != nil {
			return "", "SSCC " + v + ": " + err.Error()
		}
		return "https://id.gs1.org/00/" + v, ""
	}
	if strings.HasPrefix(v, "urn:epc:") {
		if l, ok := gs1.EPCURNToLink(v); ok {
			return l, ""
		}
		return "", v + " is not a valid EPC URN"
	}
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		if l, ok := gs1.ConstrainedLink(v); ok {
			if _, err := gs1.ParseDigitalLink(v); err != nil {
				return "", v + ": " + err.Error()
			}
			return l, ""
		}
		return v, ""
	}
	if i := strings.IndexByte(v, ':'); i > 0 && !strings.ContainsAny(v, " \t\r\n") {
		return v, ""
	}
	return "", v + " is not an identifier: give an EPC URN, a GS1 Digital Link or another absolute URI" + map[bool]string{true: " (or an 18-digit SSCC)", false: ""}[sscc]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isCSET82 reports whether s holds only GS1 AI encodable character set 82.
func isCSET82(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > 'z' || c == '#' || c == '$' || c == '@' || c == '[' || c == '\\' || c == ']' || c == '^' || c == '`' {
			return false
		}
	}
	return s != ""
}
