package customs

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"tracegate"
)

// fieldsFile is fields-202205.txt, the element list of the 202205 import
// XSD: one "## Type: description" section per message root and entity, then
// one line per attribute (@name) and child element,
// "name[min..max] | description | base,facet=value,...". A child with no
// base type is complex: an entity section of the same name, or an anonymous
// type whose children follow indented by four spaces. ds:Signature and
// ceb:XMLElement content are not described and are kept raw.
//
//go:embed fields-202205.txt
var fieldsFile string

// Version names an edition of the CEB import XSD.
type Version string

// The two editions. They differ only in InventoryList: itemNo maxLength is
// 30 in 2018 and 20 in 202205; tradeCountry is length 3 in 2018 and
// minLength 1, maxLength 3 in 202205.
const (
	Version2018   Version = "2018"
	Version202205 Version = "202205"
)

// decl is one attribute or element declaration with its facets. Facets not
// given are -1.
type decl struct {
	name     string // local name, without prefix or "@"
	attr     bool
	min, max int // occurrences; max -1 is unbounded
	base     string
	length   int
	minLen   int
	maxLen   int
	total    int // totalDigits
	fraction int // fractionDigits
	raw      bool
	typ      *complexType // complex content
	typeName string       // entity section to resolve typ from
}

// complexType is a sequence of element declarations plus attributes.
type complexType struct {
	name   string
	elems  []*decl
	attrs  []*decl
	byName map[string]int
}

// schema maps root element and entity names to their types.
type schema map[string]*complexType

var (
	schema202205 = sync.OnceValues(func() (schema, error) { return parseFields(fieldsFile) })
	schema2018   = sync.OnceValues(func() (schema, error) {
		s, err := parseFields(fieldsFile)
		if err != nil {
			return nil, err
		}
		// The 2018 overrides, from diffing ceb-import-2018.xsd against
		// ceb-import-202205.xsd (lines 2917 and 2989).
		il := s["InventoryList"]
		item, country := il.elems[il.byName["itemNo"]], il.elems[il.byName["tradeCountry"]]
		item.maxLen = 30
		country.length, country.minLen, country.maxLen = 3, -1, -1
		return s, nil
	})
)

// schemaFor returns the rules of v; it fails with EINVALID for an unknown
// version and EINTERNAL if the embedded fields file is broken.
func schemaFor(v Version) (schema, error) {
	var s schema
	var err error
	switch v {
	case Version2018:
		s, err = schema2018()
	case Version202205:
		s, err = schema202205()
	default:
		return nil, tracegate.Errorf(tracegate.EINVALID, "unknown CEB schema version %q (want %q or %q)", v, Version2018, Version202205)
	}
	if err != nil {
		return nil, &tracegate.Error{Code: tracegate.EINTERNAL, Message: "customs: embedded fields file", Err: err}
	}
	return s, nil
}

// parseFields builds a schema from the text of the fields file.
func parseFields(text string) (schema, error) {
	s := schema{}
	var cur, anon *complexType
	var anons []*complexType
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "## "):
			name, _, _ := strings.Cut(line[3:], ":")
			cur = &complexType{name: strings.TrimSpace(name), byName: map[string]int{}}
			anon = nil
			s[cur.name] = cur
		case cur == nil:
			return nil, fmt.Errorf("line %d: declaration outside a section", i+1)
		default:
			d, err := parseDecl(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			target := cur
			if strings.HasPrefix(line, "    ") {
				if anon == nil {
					return nil, fmt.Errorf("line %d: nested declaration without parent", i+1)
				}
				target = anon
			} else if d.typeName != "" && !d.raw {
				// Possibly anonymous: the next, deeper lines fill it.
				anon = &complexType{name: d.name, byName: map[string]int{}}
				anons = append(anons, anon)
				d.typ = anon
			}
			target.add(d)
		}
	}
	// Resolve references: a complex declaration whose anonymous type stayed
	// empty refers to the entity section of its name.
	all := make([]*complexType, 0, len(s)+len(anons))
	for _, ct := range s {
		all = append(all, ct)
	}
	for _, ct := range append(all, anons...) {
		for _, d := range ct.elems {
			if d.typeName == "" || d.raw || (d.typ != nil && len(d.typ.elems) > 0) {
				continue
			}
			if d.typ = s[d.typeName]; d.typ == nil {
				return nil, fmt.Errorf("%s/%s: no section %s", ct.name, d.name, d.typeName)
			}
		}
	}
	return s, nil
}

func (ct *complexType) add(d *decl) {
	if d.attr {
		ct.attrs = append(ct.attrs, d)
		return
	}
	ct.byName[d.name] = len(ct.elems)
	ct.elems = append(ct.elems, d)
}

// parseDecl parses "  ceb:Name[0..1] | description | base,facet=value".
func parseDecl(line string) (*decl, error) {
	parts := strings.Split(line, "|")
	if len(parts) != 3 {
		return nil, fmt.Errorf("want 3 |-separated columns, have %d", len(parts))
	}
	name := strings.TrimSpace(parts[0])
	d := &decl{min: 1, max: 1, length: -1, minLen: -1, maxLen: -1, total: -1, fraction: -1}
	if strings.HasPrefix(name, "@") {
		d.attr, name = true, name[1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 && strings.HasSuffix(name, "]") {
		lo, hi, ok := strings.Cut(name[i+1:len(name)-1], "..")
		if !ok {
			return nil, fmt.Errorf("bad occurrence %q", name)
		}
		var err error
		if d.min, err = strconv.Atoi(lo); err != nil {
			return nil, fmt.Errorf("bad occurrence %q", name)
		}
		if hi == "unbounded" {
			d.max = -1
		} else if d.max, err = strconv.Atoi(hi); err != nil {
			return nil, fmt.Errorf("bad occurrence %q", name)
		}
		name = name[:i]
	}
	prefix, local, ok := strings.Cut(name, ":")
	if !ok {
		local = prefix
	} else if prefix == "ds" {
		d.raw = true
	}
	d.name = local
	spec := strings.TrimSpace(parts[2])
	if spec == "" {
		d.typeName = local
		return d, nil
	}
	if spec == "ceb:XMLElement" {
		d.raw = true
		return d, nil
	}
	items := strings.Split(spec, ",")
	d.base = strings.TrimPrefix(items[0], "xs:")
	for _, it := range items[1:] {
		k, v, ok := strings.Cut(it, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			return nil, fmt.Errorf("bad facet %q", it)
		}
		switch k {
		case "length":
			d.length = n
		case "minLength":
			d.minLen = n
		case "maxLength":
			d.maxLen = n
		case "totalDigits":
			d.total = n
		case "fractionDigits":
			d.fraction = n
		default:
			return nil, fmt.Errorf("unknown facet %q", k)
		}
	}
	switch d.base {
	case "string", "decimal", "int":
	default:
		return nil, fmt.Errorf("unknown base type %q", d.base)
	}
	return d, nil
}
