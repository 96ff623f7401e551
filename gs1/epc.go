package gs1

import (
	"strings"
)

// PrefixLengthFunc returns the length (6 to 12) of the GS1 Company Prefix
// at the start of digits, or 0 when it does not know it. digits is the key
// from the company prefix on: a GTIN without its indicator digit, an SSCC
// without its extension digit, a GRAI without its leading zero, a GLN or
// GIAI as it is.
type PrefixLengthFunc func(digits string) int

// FixedPrefixLength returns a PrefixLengthFunc that always answers n, for
// callers that know the company prefix length of their keys. It never
// fails; a bad n makes EPCURN fail with rule "company-prefix".
func FixedPrefixLength(n int) PrefixLengthFunc {
	return func(string) int { return n }
}

// EPC URN prefixes of the EPC Tag Data Standard.
const (
	epcSGTIN      = "urn:epc:id:sgtin:"
	epcSSCC       = "urn:epc:id:sscc:"
	epcSGLN       = "urn:epc:id:sgln:"
	epcGRAI       = "urn:epc:id:grai:"
	epcGIAI       = "urn:epc:id:giai:"
	epcSGTINClass = "urn:epc:idpat:sgtin:"
	epcLGTIN      = "urn:epc:class:lgtin:"
)

// EPCURN converts GS1 element data to an EPC URN (Tag Data Standard):
//
//	(01)+(21)   urn:epc:id:sgtin:CP.IR.SERIAL
//	(01)+(10)   urn:epc:class:lgtin:CP.IR.LOT     (EPCIS class level)
//	(01)        urn:epc:idpat:sgtin:CP.IR.*       (EPCIS class level)
//	(00)        urn:epc:id:sscc:CP.SR
//	(414)[(254)] urn:epc:id:sgln:CP.LR.EXT        (EXT "0" without 254)
//	(8003)      urn:epc:id:grai:CP.AT.SERIAL      (the GRAI must be serialised)
//	(8004)      urn:epc:id:giai:CP.IAR
//
// The first of 01, 00, 414, 8003, 8004 in ais decides; other AIs are
// ignored, and a serial (21) wins over a lot (10). prefixLen gives the
// company prefix length. It fails with rule "company-prefix" when prefixLen
// is nil or does not know the length (or gives one outside 6..12, or one
// that does not fit the key), "not-primary-key" when ais has no key with an
// EPC scheme, or a rule of ValidateAI for a bad value.
func EPCURN(ais []AIValue, prefixLen PrefixLengthFunc) (string, error) {
	for _, a := range ais {
		if err := ValidateAI(a.AI, a.Value); err != nil {
			return "", err
		}
	}
	get := func(ai string) (string, bool) {
		for _, a := range ais {
			if a.AI == ai {
				return a.Value, true
			}
		}
		return "", false
	}
	for _, a := range ais {
		v := a.Value
		switch a.AI {
		case "01":
			l, err := gcpLen(a.AI, v[1:13], prefixLen)
			if err != nil {
				return "", err
			}
			cpir := v[1:1+l] + "." + v[:1] + v[1+l:13]
			if s, ok := get("21"); ok {
				return epcSGTIN + cpir + "." + epcEscape(s), nil
			}
			if lot, ok := get("10"); ok {
				return epcLGTIN + cpir + "." + epcEscape(lot), nil
			}
			return epcSGTINClass + cpir + ".*", nil
		case "00":
			l, err := gcpLen(a.AI, v[1:17], prefixLen)
			if err != nil {
				return "", err
			}
			return epcSSCC + v[1:1+l] + "." + v[:1] + v[1+l:17], nil
		case "414":
			l, err := gcpLen(a.AI, v[:12], prefixLen)
			if err != nil {
				return "", err
			}
			ext := "0"
			if x, ok := get("254"); ok {
				ext = epcEscape(x)
			}
			return epcSGLN + v[:l] + "." + v[l:12] + "." + ext, nil
		case "8003":
			if len(v) == 14 {
				return "", errf(a.AI, RuleNotPrimaryKey, "a GRAI without serial component has no EPC")
			}
			l, err := gcpLen(a.AI, v[1:13], prefixLen)
			if err != nil {
				return "", err
			}
			return epcGRAI + v[1:1+l] + "." + v[1+l:13] + "." + epcEscape(v[14:]), nil
		case "8004":
			l, err := gcpLen(a.AI, v, prefixLen)
			if err != nil {
				return "", err
			}
			if l == len(v) {
				return "", errf(a.AI, RuleCompanyPrefix, "GIAI %q has no asset reference after a company prefix of %d digits", v, l)
			}
			if !allDigits(v[:l]) {
				return "", errf(a.AI, RuleCompanyPrefix, "the first %d characters of GIAI %q are not a company prefix", l, v)
			}
			return epcGIAI + v[:l] + "." + epcEscape(v[l:]), nil
		}
	}
	return "", errf("", RuleNotPrimaryKey, "no key with an EPC scheme (01, 00, 414, 8003, 8004) in %s", ElementString(ais))
}

// gcpLen asks prefixLen for the company prefix length of digits and checks
// that it fits.
func gcpLen(ai, digits string, prefixLen PrefixLengthFunc) (int, error) {
	if prefixLen == nil {
		return 0, errf(ai, RuleCompanyPrefix, "company prefix length of %s is unknown: no lookup given", digits)
	}
	l := prefixLen(digits)
	if l == 0 {
		return 0, errf(ai, RuleCompanyPrefix, "company prefix length of %s is unknown", digits)
	}
	if l < 6 || l > 12 || l > len(digits) {
		return 0, errf(ai, RuleCompanyPrefix, "company prefix length %d does not fit %s (want 6 to 12)", l, digits)
	}
	return l, nil
}

// ParseEPCURN converts an EPC URN of a form listed at EPCURN back to GS1
// element data, computing check digits. The company prefix length is read
// from the URN. It fails with rule "syntax" for a URN of another form or
// with fields of the wrong shape, "company-prefix" for a company prefix
// outside 6..12 digits, or a rule of ValidateAI for a bad serial, lot,
// extension or asset reference.
func ParseEPCURN(urn string) ([]AIValue, error) {
	scheme, body := "", ""
	for _, s := range []string{epcSGTIN, epcSSCC, epcSGLN, epcGRAI, epcGIAI, epcSGTINClass, epcLGTIN} {
		if strings.HasPrefix(urn, s) {
			scheme, body = s, urn[len(s):]
			break
		}
	}
	if scheme == "" {
		return nil, errf("", RuleSyntax, "%q is not an EPC URN of scheme sgtin, sscc, sgln, grai, giai, idpat sgtin or class lgtin", urn)
	}
	f := strings.Split(body, ".")
	want := 3
	if scheme == epcSSCC || scheme == epcGIAI {
		want = 2
	}
	if len(f) != want {
		return nil, errf("", RuleSyntax, "EPC URN %q has %d fields, want %d", urn, len(f), want)
	}
	cp := f[0]
	if len(cp) < 6 || len(cp) > 12 || !allDigits(cp) {
		return nil, errf("", RuleCompanyPrefix, "company prefix %q in %q is not 6 to 12 digits", cp, urn)
	}
	num := func(ai, s string, n int) (string, error) {
		if len(s) != n || (n > 0 && !allDigits(s)) {
			return "", errf(ai, RuleSyntax, "field %q of %q must be %d digits", s, urn, n)
		}
		return s, nil
	}
	var out []AIValue
	add := func(ai, v string) error {
		if err := ValidateAI(ai, v); err != nil {
			return err
		}
		out = append(out, AIValue{AI: ai, Value: v})
		return nil
	}
	var err error
	switch scheme {
	case epcSGTIN, epcSGTINClass, epcLGTIN:
		var ir string
		if ir, err = num("01", f[1], 13-len(cp)); err != nil {
			return nil, err
		}
		g := ir[:1] + cp + ir[1:]
		if err = add("01", g+string(checkDigit(g))); err != nil {
			return nil, err
		}
		switch scheme {
		case epcSGTINClass:
			if f[2] != "*" {
				return nil, errf("", RuleSyntax, "EPC pattern %q must end in .*", urn)
			}
		case epcSGTIN:
			err = addUnescaped("21", f[2], add)
		default:
			err = addUnescaped("10", f[2], add)
		}
	case epcSSCC:
		var sr string
		if sr, err = num("00", f[1], 17-len(cp)); err != nil {
			return nil, err
		}
		s := sr[:1] + cp + sr[1:]
		err = add("00", s+string(checkDigit(s)))
	case epcSGLN:
		var lr string
		if lr, err = num("414", f[1], 12-len(cp)); err != nil {
			return nil, err
		}
		g := cp + lr
		if err = add("414", g+string(checkDigit(g))); err != nil {
			return nil, err
		}
		if f[2] != "0" {
			err = addUnescaped("254", f[2], add)
		}
	case epcGRAI:
		var at string
		if at, err = num("8003", f[1], 12-len(cp)); err != nil {
			return nil, err
		}
		g := "0" + cp + at
		ser, ok := unescape(f[2], false)
		if !ok || ser == "" {
			return nil, errf("8003", RuleSyntax, "GRAI serial %q in %q is empty or holds %%00", f[2], urn)
		}
		err = add("8003", g+string(checkDigit(g))+ser)
	case epcGIAI:
		iar, ok := unescape(f[1], false)
		if !ok || iar == "" {
			return nil, errf("8004", RuleSyntax, "asset reference %q in %q is empty or holds %%00", f[1], urn)
		}
		err = add("8004", cp+iar)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func addUnescaped(ai, s string, add func(ai, v string) error) error {
	v, ok := unescape(s, false)
	if !ok || v == "" {
		return errf(ai, RuleSyntax, "EPC field %q is empty or holds %%00", s)
	}
	return add(ai, v)
}

// epcEscape escapes the characters of GS1 set 82 that the Tag Data
// Standard requires to be percent-encoded in an EPC URN: " % & / < > ?
func epcEscape(s string) string {
	if !strings.ContainsAny(s, "\"%&/<>?") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '%', '&', '/', '<', '>', '?':
			b.WriteByte('%')
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// EPCToDigitalLink converts an EPC URN (see ParseEPCURN) to the canonical
// Digital Link URI under stem ("" means DefaultStem). It fails as
// ParseEPCURN and BuildURI do.
func EPCToDigitalLink(urn, stem string) (string, error) {
	ais, err := ParseEPCURN(urn)
	if err != nil {
		return "", err
	}
	if stem == "" {
		stem = DefaultStem
	}
	p := Parser{SkipRequisites: true}
	return p.BuildURI(stem, ais)
}

// DigitalLinkToEPC parses a Digital Link URI and converts its AIs to an
// EPC URN as EPCURN does. It fails as ParseDigitalLink and EPCURN do.
func DigitalLinkToEPC(uri string, prefixLen PrefixLengthFunc) (string, error) {
	d, err := ParseDigitalLink(uri)
	if err != nil {
		return "", err
	}
	return EPCURN(d.AIs(), prefixLen)
}
