package gs1

// This file is the fast, non-validating translation between EPC URNs and
// Digital Link URIs that the EPCIS capture path needs (the CBV 2.0 event
// hash and the GS1-EPC-Format header). Unlike EPCToDigitalLink and
// DigitalLinkToEPC it covers every EPC scheme of the Tag Data Standard
// (and the EPCIS class and pattern forms), checks only the shape of the
// key, computes check digits, and leaves serials, lots and extensions as
// written (only the characters an EPC URN may hold raw but a Digital Link
// path may not are percent-encoded). Its output is what the event hash is
// computed over: changing it changes every stored event hash.

import (
	"strings"
)

// withCheck returns digits with its GS1 mod-10 check digit appended.
func withCheck(digits string) string {
	return digits + string(checkDigit(digits))
}

// splitDots splits s at '.' into dst (which it may grow).
func splitDots(s string, dst []string) []string {
	for {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

// epcLinkEncode percent-encodes the characters an EPC URN may hold raw but a
// Digital Link path segment may not.
var epcLinkEncode = strings.NewReplacer("!", "%21", "(", "%28", ")", "%29", "*", "%2A", "+", "%2B", ",", "%2C", ":", "%3A")

const epcLinkBase = "https://id.gs1.org/"

// EPCURNToLink converts an EPC URN (urn:epc:id:…), EPC class URN
// (urn:epc:class:lgtin:…) or EPC pattern URN (urn:epc:idpat:…:*) to its
// canonical GS1 Digital Link URI under DefaultStem, for every EPC scheme
// of the Tag Data Standard. It checks the shape of the key and computes its
// check digit but, unlike EPCToDigitalLink, does not validate serials, lots
// or extensions (see the file comment); it allocates only the result. ok is
// false for anything else. It never fails otherwise.
func EPCURNToLink(s string) (string, bool) {
	var scheme, body string
	pattern := false
	switch {
	case strings.HasPrefix(s, "urn:epc:id:"):
		scheme, body, _ = strings.Cut(s[len("urn:epc:id:"):], ":")
	case strings.HasPrefix(s, "urn:epc:class:lgtin:"):
		scheme, body = "lgtin", s[len("urn:epc:class:lgtin:"):]
	case strings.HasPrefix(s, "urn:epc:idpat:"):
		scheme, body, _ = strings.Cut(s[len("urn:epc:idpat:"):], ":")
		pattern = true
	default:
		return "", false
	}
	var pbuf [8]string
	p := splitDots(body, pbuf[:0])
	if len(p) < 2 || !allDigits(p[0]) || len(p[0]) < 6 || len(p[0]) > 12 {
		return "", false
	}
	gcp := p[0]
	// gtin builds a GTIN-14 from company prefix and indicator+item reference.
	gtin := func(ref string) (string, bool) {
		if len(gcp)+len(ref) != 13 || !allDigits(ref) {
			return "", false
		}
		return withCheck(ref[:1] + gcp + ref[1:]), true
	}
	fixed := func(ref string, n int) (string, bool) { // GLN-like keys
		if len(gcp)+len(ref) != n || (ref != "" && !allDigits(ref)) {
			return "", false
		}
		return withCheck(gcp + ref), true
	}
	if pattern {
		if p[len(p)-1] != "*" {
			return "", false
		}
		switch scheme {
		case "sgtin", "upui":
			if g, ok := gtin(p[1]); ok && len(p) == 3 {
				return epcLinkBase + "01/" + g, true
			}
		case "grai":
			if g, ok := fixed(p[1], 12); ok && len(p) == 3 {
				return epcLinkBase + "8003/0" + g, true
			}
		case "gdti":
			if g, ok := fixed(p[1], 12); ok && len(p) == 3 {
				return epcLinkBase + "253/" + g, true
			}
		case "sgcn":
			if g, ok := fixed(p[1], 12); ok && len(p) == 3 {
				return epcLinkBase + "255/" + g, true
			}
		case "cpi":
			if len(p) == 3 {
				return epcLinkBase + "8010/" + epcLinkEncode.Replace(gcp+p[1]), true
			}
		case "itip":
			if g, ok := gtin(p[1]); ok && len(p) == 5 {
				return epcLinkBase + "8006/" + g + p[2] + p[3], true
			}
		}
		return "", false
	}
	rest := func(i int) string { return strings.Join(p[i:], ".") }
	switch scheme {
	case "sgtin":
		if g, ok := gtin(p[1]); ok && len(p) >= 3 {
			return epcLinkBase + "01/" + g + "/21/" + epcLinkEncode.Replace(rest(2)), true
		}
	case "lgtin":
		if g, ok := gtin(p[1]); ok && len(p) >= 3 {
			return epcLinkBase + "01/" + g + "/10/" + epcLinkEncode.Replace(rest(2)), true
		}
	case "upui":
		if g, ok := gtin(p[1]); ok && len(p) >= 3 {
			return epcLinkBase + "01/" + g + "/235/" + epcLinkEncode.Replace(rest(2)), true
		}
	case "sscc":
		if len(p) == 2 && len(gcp)+len(p[1]) == 17 && allDigits(p[1]) {
			return epcLinkBase + "00/" + withCheck(p[1][:1]+gcp+p[1][1:]), true
		}
	case "sgln":
		if g, ok := fixed(p[1], 12); ok && len(p) >= 3 {
			if ext := rest(2); ext != "0" {
				return epcLinkBase + "414/" + g + "/254/" + epcLinkEncode.Replace(ext), true
			}
			return epcLinkBase + "414/" + g, true
		}
	case "pgln":
		if g, ok := fixed(p[1], 12); ok && len(p) == 2 {
			return epcLinkBase + "417/" + g, true
		}
	case "grai":
		if g, ok := fixed(p[1], 12); ok && len(p) >= 3 {
			return epcLinkBase + "8003/0" + g + epcLinkEncode.Replace(rest(2)), true
		}
	case "giai":
		return epcLinkBase + "8004/" + gcp + epcLinkEncode.Replace(rest(1)), true
	case "gsrn":
		if g, ok := fixed(p[1], 17); ok && len(p) == 2 {
			return epcLinkBase + "8018/" + g, true
		}
	case "gsrnp":
		if g, ok := fixed(p[1], 17); ok && len(p) == 2 {
			return epcLinkBase + "8017/" + g, true
		}
	case "gdti":
		if g, ok := fixed(p[1], 12); ok && len(p) >= 3 {
			return epcLinkBase + "253/" + g + epcLinkEncode.Replace(rest(2)), true
		}
	case "sgcn":
		if g, ok := fixed(p[1], 12); ok && len(p) == 3 {
			return epcLinkBase + "255/" + g + p[2], true
		}
	case "cpi":
		if len(p) >= 3 {
			return epcLinkBase + "8010/" + epcLinkEncode.Replace(gcp+strings.Join(p[1:len(p)-1], ".")) + "/8011/" + p[len(p)-1], true
		}
	case "ginc":
		return epcLinkBase + "401/" + gcp + epcLinkEncode.Replace(rest(1)), true
	case "gsin":
		if g, ok := fixed(p[1], 16); ok && len(p) == 2 {
			return epcLinkBase + "402/" + g, true
		}
	case "itip":
		if g, ok := gtin(p[1]); ok && len(p) >= 5 {
			return epcLinkBase + "8006/" + g + p[2] + p[3] + "/21/" + epcLinkEncode.Replace(rest(4)), true
		}
	}
	return "", false
}

var epcLinkShortNames = map[string]string{
	"gtin": "01", "itip": "8006", "cpid": "8010", "gln": "414", "party": "417", "gsrnp": "8017",
	"gsrn": "8018", "gcn": "255", "sscc": "00", "gdti": "253", "ginc": "401", "gsin": "402",
	"grai": "8003", "giai": "8004", "cpv": "22", "lot": "10", "ser": "21",
}

var epcLinkPrimaryKeys = map[string]bool{
	"00": true, "01": true, "253": true, "255": true, "401": true, "402": true, "414": true, "417": true,
	"8003": true, "8004": true, "8006": true, "8010": true, "8017": true, "8018": true,
}

// linkParts splits a GS1 Digital Link URI (any domain, any path prefix) into
// its primary key AI and value and the key qualifiers that follow. ok is
// false when s is not a Digital Link URI.
func linkParts(s string) (ai, value string, quals linkQuals, ok bool) {
	rest, found := strings.CutPrefix(s, "https://")
	if !found {
		if rest, found = strings.CutPrefix(s, "http://"); !found {
			return "", "", nil, false
		}
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	segs := strings.Split(rest, "/")[1:] // drop the host
	for i := 0; i+1 < len(segs); i++ {
		a := segs[i]
		if n, ok := epcLinkShortNames[a]; ok {
			a = n
		}
		v := segs[i+1]
		if !epcLinkPrimaryKeys[a] || len(v) < 5 || !allDigits(v[:4]) {
			continue
		}
		for j := i + 2; j+1 < len(segs); j += 2 {
			q := segs[j]
			if n, ok := epcLinkShortNames[q]; ok {
				q = n
			}
			quals = append(quals, [2]string{q, segs[j+1]})
		}
		return a, v, quals, true
	}
	return "", "", nil, false
}

// linkQuals are the key qualifiers of a Digital Link, AI and value, in path
// order.
type linkQuals [][2]string

func (q linkQuals) get(ai string) (string, bool) {
	for _, x := range q {
		if x[0] == ai {
			return x[1], true
		}
	}
	return "", false
}

// ConstrainedLink returns the constrained canonical form of a Digital Link URI
// that the CBV 2.0 event hash uses: domain id.gs1.org, no query string,
// GTINs padded to 14 digits, and only the finest identification level
// (serial before lot, no CPV). It recognises the primary key by its AI (or
// short name) anywhere in the path, so a custom domain and path prefix are
// accepted, and it does not validate values. ok is false when s is not a
// Digital Link.
func ConstrainedLink(s string) (string, bool) {
	ai, v, q, ok := linkParts(s)
	if !ok {
		return "", false
	}
	if ai == "01" {
		switch len(v) {
		case 8:
			v = "000000" + v
		case 12:
			v = "00" + v
		case 13:
			v = "0" + v
		}
	}
	out := epcLinkBase + ai + "/" + v
	pick := func(ais ...string) string {
		for _, a := range ais {
			if x, ok := q.get(a); ok {
				return "/" + a + "/" + x
			}
		}
		return ""
	}
	switch ai {
	case "01":
		out += pick("21", "10", "235")
	case "8006":
		out += pick("21", "10")
	case "414":
		out += pick("254")
	case "8010":
		out += pick("8011")
	}
	return out, true
}

// epcLinkDecode undoes epcLinkEncode.
var epcLinkDecode = strings.NewReplacer("%21", "!", "%28", "(", "%29", ")", "%2A", "*", "%2a", "*",
	"%2B", "+", "%2b", "+", "%2C", ",", "%2c", ",", "%3A", ":", "%3a", ":")

// LinkToEPCURN converts a Digital Link URI of an SGTIN, LGTIN, SSCC, SGLN, PGLN,
// GRAI or GIAI to its EPC URN. A Digital Link does not tell where the GS1
// company prefix ends, so gcpLen (6 to 12) supplies its length. ok is false
// when s cannot be translated. Unlike DigitalLinkToEPC it does not validate
// the AI values; it is the inverse of EPCURNToLink for those schemes.
func LinkToEPCURN(s string, gcpLen int) (string, bool) {
	c, ok := ConstrainedLink(s)
	if !ok || gcpLen < 6 || gcpLen > 12 {
		return "", false
	}
	ai, v, q, _ := linkParts(c)
	switch ai {
	case "01":
		if len(v) != 14 || !allDigits(v) {
			return "", false
		}
		item := v[:1] + v[1+gcpLen:13]
		if x, ok := q.get("21"); ok {
			return "urn:epc:id:sgtin:" + v[1:1+gcpLen] + "." + item + "." + epcLinkDecode.Replace(x), true
		}
		if x, ok := q.get("10"); ok {
			return "urn:epc:class:lgtin:" + v[1:1+gcpLen] + "." + item + "." + epcLinkDecode.Replace(x), true
		}
		return "urn:epc:idpat:sgtin:" + v[1:1+gcpLen] + "." + item + ".*", true
	case "00":
		if len(v) != 18 || !allDigits(v) {
			return "", false
		}
		return "urn:epc:id:sscc:" + v[1:1+gcpLen] + "." + v[:1] + v[1+gcpLen:17], true
	case "414", "417":
		if len(v) != 13 || !allDigits(v) {
			return "", false
		}
		if ai == "417" {
			return "urn:epc:id:pgln:" + v[:gcpLen] + "." + v[gcpLen:12], true
		}
		ext := "0"
		if x, ok := q.get("254"); ok {
			ext = epcLinkDecode.Replace(x)
		}
		return "urn:epc:id:sgln:" + v[:gcpLen] + "." + v[gcpLen:12] + "." + ext, true
	case "8003":
		if len(v) < 15 || !allDigits(v[:14]) {
			return "", false
		}
		return "urn:epc:id:grai:" + v[1:1+gcpLen] + "." + v[1+gcpLen:13] + "." + epcLinkDecode.Replace(v[14:]), true
	case "8004":
		if len(v) <= gcpLen || !allDigits(v[:gcpLen]) {
			return "", false
		}
		return "urn:epc:id:giai:" + v[:gcpLen] + "." + epcLinkDecode.Replace(v[gcpLen:]), true
	}
	return "", false
}
