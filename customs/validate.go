package customs

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// maxDetails bounds the problems one validation reports.
const maxDetails = 200

// Validate checks m against the XSD facets of version v: element order and
// occurrence bounds, string length, minLength and maxLength (counted in
// characters), xs:decimal syntax with totalDigits and fractionDigits, and
// xs:int syntax and range. The XSDs carry no enumeration facets, so code
// lists (appType, currency "142", ...) are not checked here.
//
// m is written with Marshal and the result validated, so a required string
// element of a typed message is always present: an unset one shows up as
// empty, which its minLength or length facet (if any) reports. To check that
// elements are present at all in a received document, use ValidateXML.
//
// It returns nil when m conforms, or an EINVALID *tracegate.Error whose
// Pointer is the first problem's path (such as
// /CEB621Message/Inventory[1]/InventoryHead/orderNo) and whose Details list
// every problem (at most 200). An unknown version is EINVALID too.
func Validate(m Message, v Version) error {
	data, err := Marshal(m)
	if err != nil {
		return err
	}
	root, err := parseTree(data)
	if err != nil {
		return err
	}
	return validateTree(root, v)
}

// ValidateXML reads one message from r (unwrapping a DXP envelope as
// ParseMessage does) and checks it as Validate does, reporting also missing
// required elements and unknown elements. It fails with the errors of
// ParseMessage for input that is not a well-formed, DTD-free CEB document.
func ValidateXML(r io.Reader, v Version) error {
	data, err := readLimited(r)
	if err != nil {
		return err
	}
	root, err := parseDocument(data)
	if err != nil {
		return err
	}
	return validateTree(root, v)
}

type validator struct {
	problems []tracegate.FieldError
	// codeLists also checks the values of code-list fields against the
	// customs tables (country codes, see checkCodeList).
	codeLists bool
}

func (vd *validator) add(path, format string, args ...any) {
	if len(vd.problems) < maxDetails {
		vd.problems = append(vd.problems, tracegate.FieldError{Pointer: path, Detail: fmt.Sprintf(format, args...)})
	}
}

func validateTree(root *node, v Version) error {
	return validateTreeWith(root, v, false)
}

// validateTreeWith is validateTree, checking code lists too when codeLists.
func validateTreeWith(root *node, v Version, codeLists bool) error {
	s, err := schemaFor(v)
	if err != nil {
		return err
	}
	path := "/" + root.local
	if root.space != Namespace {
		return tracegate.Invalidf(path, "root element %s is in namespace %q, want %q", root.local, root.space, Namespace)
	}
	ct, ok := s[root.local]
	if !ok || !strings.HasPrefix(root.local, "CEB") {
		return tracegate.Invalidf(path, "unknown CEB message type %s", root.local)
	}
	vd := &validator{codeLists: codeLists}
	vd.complex(root, ct, path)
	if len(vd.problems) == 0 {
		return nil
	}
	first := vd.problems[0]
	e := tracegate.Invalidf(first.Pointer, "%s", first.Detail)
	if n := len(vd.problems); n > 1 {
		e.Message += fmt.Sprintf(" (and %d more problems)", n-1)
	}
	e.Details = vd.problems
	return e
}

// complex checks the attributes and children of n against ct.
func (vd *validator) complex(n *node, ct *complexType, path string) {
	for _, d := range ct.attrs {
		found := false
		for _, a := range n.attrs {
			if a.Name.Space == "" && a.Name.Local == d.name {
				found = true
				vd.simple(path+"/@"+d.name, d, a.Value)
			}
		}
		if !found {
			vd.add(path+"/@"+d.name, "missing required attribute %s", d.name)
		}
	}
	if len(bytes.TrimSpace(n.text)) > 0 {
		vd.add(path, "%s must contain only elements, not text", n.local)
	}
	counts := make([]int, len(ct.elems))
	last := -1
	for _, c := range n.children {
		i, ok := ct.byName[c.local]
		if !ok {
			vd.add(path+"/"+c.local, "unexpected element %s in %s", c.local, n.local)
			continue
		}
		d := ct.elems[i]
		counts[i]++
		cpath := path + "/" + c.local
		if d.max != 1 {
			cpath += "[" + strconv.Itoa(counts[i]) + "]"
		}
		want := Namespace
		if d.raw && c.local == "Signature" {
			want = NamespaceDS
		}
		if c.space != want {
			vd.add(cpath, "element %s is in namespace %q, want %q", c.local, c.space, want)
		}
		if i < last {
			vd.add(cpath, "element %s is out of order: it must come before %s", c.local, ct.elems[last].name)
		}
		last = max(last, i)
		switch {
		case d.raw:
		case d.typ != nil:
			vd.complex(c, d.typ, cpath)
		default:
			if len(c.children) > 0 {
				vd.add(cpath, "%s must contain text only, not elements", c.local)
			}
			vd.simple(cpath, d, string(c.text))
			if vd.codeLists {
				vd.checkCodeList(cpath, d.name, c.text)
			}
		}
	}
	for i, d := range ct.elems {
		switch {
		case counts[i] < d.min:
			vd.add(path+"/"+d.name, "missing required element %s", d.name)
		case d.max >= 0 && counts[i] > d.max:
			vd.add(path+"/"+d.name, "element %s occurs %d times, at most %d allowed", d.name, counts[i], d.max)
		}
	}
}

// simple checks a text value against d's base type and facets.
func (vd *validator) simple(path string, d *decl, value string) {
	switch d.base {
	case "string":
		n := utf8.RuneCountInString(value)
		switch {
		case d.length >= 0 && n != d.length:
			vd.add(path, "%s must be exactly %d characters long, is %d", d.name, d.length, n)
		case d.minLen > 0 && n < d.minLen && n == 0:
			vd.add(path, "%s must not be empty", d.name)
		case d.minLen >= 0 && n < d.minLen:
			vd.add(path, "%s must be at least %d characters long, is %d", d.name, d.minLen, n)
		case d.maxLen >= 0 && n > d.maxLen:
			vd.add(path, "%s must be at most %d characters long, is %d", d.name, d.maxLen, n)
		}
	case "decimal":
		intDigits, fracDigits, ok := decimalDigits(strings.TrimSpace(value))
		switch {
		case !ok:
			vd.add(path, "%s must be a decimal number, is %q", d.name, value)
		case d.fraction >= 0 && fracDigits > d.fraction:
			vd.add(path, "%s has %d decimal places, at most %d allowed", d.name, fracDigits, d.fraction)
		case d.total >= 0 && intDigits+fracDigits > d.total:
			vd.add(path, "%s has %d digits, at most %d allowed", d.name, intDigits+fracDigits, d.total)
		}
	case "int":
		s := strings.TrimSpace(value)
		n, err := strconv.ParseInt(s, 10, 32)
		switch {
		case err != nil:
			vd.add(path, "%s must be an integer (xs:int), is %q", d.name, value)
		case d.total >= 0 && len(strconv.FormatInt(max(n, -n), 10)) > d.total:
			vd.add(path, "%s has more than %d digits", d.name, d.total)
		}
	}
}

// decimalDigits parses the xs:decimal lexical form ([+-]digits[.digits],
// at least one digit) and returns the number of significant integer digits
// (leading zeros dropped) and fraction digits (trailing zeros dropped), as
// the XSD totalDigits and fractionDigits facets count them on the value.
func decimalDigits(s string) (intDigits, fracDigits int, ok bool) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) {
		return 0, 0, false
	}
	ip = strings.TrimLeft(ip, "0")
	fp = strings.TrimRight(fp, "0")
	return len(ip), len(fp), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
