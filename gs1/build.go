package gs1

import (
	"encoding/json"
	"slices"
	"strings"
)

// DefaultStem is the canonical Digital Link stem, GS1's resolver.
const DefaultStem = "https://id.gs1.org"

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// unescape percent-decodes a path (query false) or query component. A "%"
// not followed by two hex digits is kept as it is; in a query "+" is a
// space. It returns false when the result would hold a NUL byte.
func unescape(s string, query bool) (string, bool) {
	i := 0
	for ; i < len(s); i++ {
		if s[i] == '%' || query && s[i] == '+' {
			break
		}
	}
	if i == len(s) {
		return s, true
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			if c == 0 {
				return "", false
			}
			i += 2
		case c == '+' && query:
			c = ' '
		}
		b = append(b, c)
	}
	return string(b), true
}

// Unescape percent-decodes a Digital Link path component (query false) or
// query component (query true) as the GS1 Digital Link standard says: %XX
// in either case of hex digit, "+" a space only in a query, a "%" not
// followed by two hex digits kept as it is. It fails with rule "syntax"
// when the result would contain a NUL byte (%00).
func Unescape(s string, query bool) (string, error) {
	v, ok := unescape(s, query)
	if !ok {
		return "", errf("", RuleSyntax, "percent-encoded NUL in %q", s)
	}
	return v, nil
}

// Escape percent-encodes an AI value for a Digital Link path component
// (query false) or query component (query true): everything but
// A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex), except that in a query
// a space becomes "+". It never fails.
func Escape(s string, query bool) string {
	var b strings.Builder
	appendEscaped(&b, s, query)
	return b.String()
}

func appendEscaped(b *strings.Builder, s string, query bool) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~':
			b.WriteByte(c)
		case c == ' ' && query:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// BuildURI builds the canonical Digital Link URI of ais with the default
// Parser. See Parser.BuildURI.
func BuildURI(stem string, ais []AIValue) (string, error) {
	var p Parser
	return p.BuildURI(stem, ais)
}

// BuildURI builds the canonical Digital Link URI of ais under stem
// (DefaultStem for GS1's resolver; a trailing "/" is dropped; "" gives a
// relative URI "/01/..."). The first primary key in ais goes in the path,
// followed by those of its qualifiers that ais holds, in the order of the
// qualifier chain that matches most of them (the first chain on a tie);
// every other AI becomes a query attribute, fixed-length AIs first, each
// group in the order given. Identical repeats are dropped. Values are
// percent-encoded with Escape.
//
// It fails with the rules of ParseElementString for bad values or
// associations, "not-primary-key" when ais has no primary key and
// "not-attribute" when an AI left for the query may not be an attribute.
func (p *Parser) BuildURI(stem string, ais []AIValue) (string, error) {
	uniq := make([]AIValue, 0, len(ais))
	ents := make([]*aiEntry, 0, len(ais))
	if len(ais) > MaxAIs {
		return "", errf("", RuleTooMany, "more than %d AIs", MaxAIs)
	}
	for _, a := range ais {
		e := p.entry(a.AI)
		if e == nil {
			return "", errf(a.AI, RuleUnknownAI, "unknown AI")
		}
		if err := validateValue(e, a.AI, a.Value); err != nil {
			return "", err
		}
		if slices.Contains(uniq, a) {
			continue
		}
		uniq = append(uniq, a)
		ents = append(ents, e)
	}
	if err := checkRepeats(uniq); err != nil {
		return "", err
	}
	if err := checkAssociations(ents, p.SkipRequisites); err != nil {
		return "", err
	}
	key := -1
	for i, e := range ents {
		if e.dlpkey {
			key = i
			break
		}
	}
	if key < 0 {
		return "", errf("", RuleNotPrimaryKey, "no GS1 Digital Link primary key among %s", ElementString(ais))
	}
	inPath := make([]bool, len(uniq))
	inPath[key] = true
	path := []int{key}
	best, bestN := []string(nil), 0
	for _, c := range ents[key].chains {
		n := 0
		for _, q := range c {
			if indexAI(uniq, q) >= 0 {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	for _, q := range best {
		if i := indexAI(uniq, q); i >= 0 {
			path = append(path, i)
			inPath[i] = true
		}
	}
	d := &DigitalLink{Stem: stem, PrimaryKey: uniq[key]}
	for _, i := range path[1:] {
		d.Qualifiers = append(d.Qualifiers, uniq[i])
	}
	for i, a := range uniq {
		if inPath[i] {
			continue
		}
		if !ents[i].dlAttr && !(ents[i].unknown && p.UnknownAIsAsAttributes) {
			return "", errf(a.AI, RuleNotAttribute, "may not be a Digital Link data attribute")
		}
		d.Attributes = append(d.Attributes, a)
	}
	return d.URI(stem), nil
}

func indexAI(ais []AIValue, ai string) int {
	for i, a := range ais {
		if a.AI == ai {
			return i
		}
	}
	return -1
}

// URI returns d as a Digital Link URI under stem (see BuildURI for stem),
// keeping d's path order and writing the attributes fixed-length AIs first.
// Other query parameters are left out. It does not check d: use it on a
// DigitalLink returned by ParseDigitalLink. It never fails.
func (d *DigitalLink) URI(stem string) string {
	return d.uri(strings.TrimSuffix(stem, "/"))
}

// uri writes d under stem as it is.
func (d *DigitalLink) uri(stem string) string {
	var b strings.Builder
	b.WriteString(stem)
	for _, a := range append([]AIValue{d.PrimaryKey}, d.Qualifiers...) {
		b.WriteByte('/')
		b.WriteString(a.AI)
		b.WriteByte('/')
		appendEscaped(&b, a.Value, false)
	}
	sep := byte('?')
	for _, fixed := range []bool{true, false} {
		for _, a := range d.Attributes {
			e := lookupAI(a.AI)
			if e == nil {
				e = unknownEntry(a.AI)
			}
			if (e != nil && e.fixed) != fixed {
				continue
			}
			b.WriteByte(sep)
			sep = '&'
			b.WriteString(a.AI)
			b.WriteByte('=')
			appendEscaped(&b, a.Value, true)
		}
	}
	return b.String()
}

// String returns d as a URI under its own stem, kept as it is (even when it
// ends in "/", as in "https://host//01/..."), in the form URI describes.
// It never fails.
func (d *DigitalLink) String() string { return d.uri(d.Stem) }

// dlJSON is the JSON shape of a DigitalLink, fields in this order.
type dlJSON struct {
	PrimaryKey    AIValue         `json:"primaryKey"`
	Qualifiers    []AIValue       `json:"qualifiers"`
	Attributes    []AIValue       `json:"attributes"`
	ElementString string          `json:"elementString"`
	OtherParams   json.RawMessage `json:"otherParams"`
}

// MarshalJSON writes d as
// {"primaryKey":{...},"qualifiers":[...],"attributes":[...],"elementString":"...","otherParams":{...}}
// with empty arrays as [] and otherParams {} when there are none; a
// parameter name that repeats keeps its first value. It fails only if
// encoding/json does.
func (d DigitalLink) MarshalJSON() ([]byte, error) {
	j := dlJSON{PrimaryKey: d.PrimaryKey, Qualifiers: d.Qualifiers, Attributes: d.Attributes, ElementString: d.ElementString()}
	if j.Qualifiers == nil {
		j.Qualifiers = []AIValue{}
	}
	if j.Attributes == nil {
		j.Attributes = []AIValue{}
	}
	op := []byte{'{'}
	seen := map[string]bool{}
	for _, p := range d.OtherParams {
		if seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		if len(op) > 1 {
			op = append(op, ',')
		}
		k, _ := json.Marshal(p.Name)
		v, _ := json.Marshal(p.Value)
		op = append(append(append(op, k...), ':'), v...)
	}
	j.OtherParams = append(op, '}')
	return json.Marshal(j)
}

// UnmarshalJSON reads the shape MarshalJSON writes (elementString is
// ignored; otherParams come back sorted by name). It does not validate the
// AIs; it fails when the JSON does not have that shape.
func (d *DigitalLink) UnmarshalJSON(b []byte) error {
	var j struct {
		PrimaryKey  AIValue           `json:"primaryKey"`
		Qualifiers  []AIValue         `json:"qualifiers"`
		Attributes  []AIValue         `json:"attributes"`
		OtherParams map[string]string `json:"otherParams"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = DigitalLink{PrimaryKey: j.PrimaryKey, Qualifiers: j.Qualifiers, Attributes: j.Attributes}
	names := make([]string, 0, len(j.OtherParams))
	for k := range j.OtherParams {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		d.OtherParams = append(d.OtherParams, Param{Name: k, Value: j.OtherParams[k]})
	}
	return nil
}
