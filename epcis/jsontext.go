package epcis

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// Text rule: every string of a captured document (keys and values, events
// and header) is valid UTF-8 without NUL (U+0000). JSON may escape a NUL
// ("\u0000") and a byte stream may carry invalid UTF-8; neither can be
// stored as text in PostgreSQL nor served back as valid JSON, so capture
// refuses them where they are. (XML forbids both: its parser refuses
// them.)

// checkText returns EINVALID pointing at the first string under v (whose
// pointer is ptr) that is not valid UTF-8 or holds a NUL; nil when all are
// fine.
func checkText(v *jval, ptr string) error {
	switch v.kind {
	case 's':
		return checkString(v.str, ptr)
	case 'o':
		for i, k := range v.keys {
			p := ptr + "/" + pointerToken(k)
			if err := checkString(k, p); err != nil {
				return err
			}
			if err := checkText(v.vals[i], p); err != nil {
				return err
			}
		}
	case 'a':
		for i, c := range v.vals {
			if err := checkText(c, ptr+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkString is the text rule for one string at ptr.
func checkString(s, ptr string) error {
	if !utf8.ValidString(s) {
		return tracegate.Invalidf(ptr, "the value is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return tracegate.Invalidf(ptr, "the value holds a NUL character (U+0000)")
	}
	return nil
}

// pointerToken escapes a key for a JSON Pointer (RFC 6901); invalid UTF-8
// is shown as U+FFFD so the pointer itself is valid text.
func pointerToken(k string) string {
	k = strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", "\uFFFD"), "\uFFFD")
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}

// checkJSONText parses raw (one JSON value) and applies the text rule.
func checkJSONText(raw []byte, ptr string) error {
	p := jparser{data: raw}
	v, err := p.value(0)
	if err != nil {
		return tracegate.Invalidf(ptr, "malformed JSON: %v", err)
	}
	return checkText(v, ptr)
}

// CheckText applies the text rule to one value (a path parameter, say):
// EINVALID pointing at ptr when s is not valid UTF-8 or holds a NUL.
func CheckText(s, ptr string) error { return checkString(s, ptr) }
