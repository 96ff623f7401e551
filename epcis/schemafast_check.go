package epcis

import (
	"strings"
	"unicode/utf8"
)

// The fast schema check of a decoded document (schemafast.go builds the
// checker).

// valid reports whether node i of t matches f. It follows the library's
// validator keyword by keyword (validator.go of jsonschema/v6).
func (f *fschema) valid(t *jtree, i int32) bool {
	if f.always != nil {
		return *f.always
	}
	n := &t.nodes[i]
	if f.types != 0 && !f.types.match(n) {
		return false
	}
	if f.cnst != nil && !f.cnst.has(t, i) {
		return false
	}
	if f.enum != nil && !f.enum.has(t, i) {
		return false
	}
	if f.format != nil {
		var v any = n.s
		if n.kind != jStr {
			v = t.value(i)
		}
		if f.format.Validate(v) != nil {
			return false
		}
	}
	if f.ref != nil && !f.ref.valid(t, i) {
		return false
	}
	switch {
	case n.kind == jObj && f.hasObj:
		if !f.validObject(t, n) {
			return false
		}
	case n.kind == jArr && f.hasArr:
		if !f.validArray(t, n) {
			return false
		}
	case n.kind == jStr && f.hasString:
		if !f.validString(n.s) {
			return false
		}
	}
	if f.not != nil && f.not.valid(t, i) {
		return false
	}
	for _, s := range f.allOf {
		if !s.valid(t, i) {
			return false
		}
	}
	if len(f.anyOf) > 0 {
		ok := false
		for _, s := range f.anyOf {
			if s.valid(t, i) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.oneOf) > 0 {
		matched := 0
		for _, s := range f.oneOf {
			if s.valid(t, i) {
				if matched++; matched > 1 {
					return false
				}
			}
		}
		if matched != 1 {
			return false
		}
	}
	if f.ifS != nil {
		if f.ifS.valid(t, i) {
			if f.thenS != nil && !f.thenS.valid(t, i) {
				return false
			}
		} else if f.elseS != nil && !f.elseS.valid(t, i) {
			return false
		}
	}
	return true
}

func (ts jtypes) match(n *jnode) bool {
	switch n.kind {
	case jNull:
		return ts&tNull != 0
	case jTrue, jFalse:
		return ts&tBoolean != 0
	case jNum:
		return ts&tNumber != 0 || ts&tInteger != 0 && isIntegerText(n.s)
	case jStr:
		return ts&tString != 0
	case jArr:
		return ts&tArray != 0
	default:
		return ts&tObject != 0
	}
}

func (f *fschema) validObject(t *jtree, n *jnode) bool {
	if f.minProps >= 0 && int(n.n) < f.minProps || f.maxProps >= 0 && int(n.n) > f.maxProps {
		return false
	}
	for _, name := range f.required {
		if t.memberOf(n, name) < 0 {
			return false
		}
	}
	for k := range n.n {
		key := t.nodes[t.kids[n.first+2*k]].s
		val := t.kids[n.first+2*k+1]
		evaluated := false
		if p, ok := f.props[key]; ok {
			evaluated = true
			if !p.valid(t, val) {
				return false
			}
		}
		for _, pp := range f.patternProps {
			if pp.re.MatchString(key) {
				evaluated = true
				if !pp.s.valid(t, val) {
					return false
				}
			}
		}
		if !evaluated {
			if f.noAdditional {
				return false
			}
			if f.additional != nil && !f.additional.valid(t, val) {
				return false
			}
		}
		if f.propertyNames != nil && !f.propertyNames.valid(t, t.kids[n.first+2*k]) {
			return false
		}
	}
	return true
}

// memberOf returns the value of the member key of object node n, or -1.
func (t *jtree) memberOf(n *jnode, key string) int32 {
	for k := range n.n {
		if t.nodes[t.kids[n.first+2*k]].s == key {
			return t.kids[n.first+2*k+1]
		}
	}
	return -1
}

func (f *fschema) validArray(t *jtree, n *jnode) bool {
	if f.minItems >= 0 && int(n.n) < f.minItems || f.maxItems >= 0 && int(n.n) > f.maxItems {
		return false
	}
	items := t.kids[n.first : n.first+n.n]
	if f.uniqueItems && len(items) > 1 && t.hasDuplicates(items) {
		return false
	}
	evaluated := 0
	if f.items != nil {
		for _, it := range items {
			if !f.items.valid(t, it) {
				return false
			}
		}
		evaluated = len(items)
	} else if f.tuple {
		evaluated = min(len(items), len(f.tupleItems))
		for k := range evaluated {
			if !f.tupleItems[k].valid(t, items[k]) {
				return false
			}
		}
	}
	if f.noAdditionalItems && evaluated != len(items) {
		return false
	}
	if f.additionalItems != nil {
		for _, it := range items[evaluated:] {
			if !f.additionalItems.valid(t, it) {
				return false
			}
		}
	}
	return true
}

func (f *fschema) validString(s string) bool {
	if f.minLength >= 0 || f.maxLength >= 0 {
		l := utf8.RuneCountInString(s)
		if f.minLength >= 0 && l < f.minLength || f.maxLength >= 0 && l > f.maxLength {
			return false
		}
	}
	return f.pattern == nil || f.pattern.MatchString(s)
}

// isIntegerText reports whether a JSON number is an integer, as the
// library decides it (a big.Rat of the text with no fraction).
func isIntegerText(s string) bool {
	if !strings.ContainsAny(s, ".eE") {
		return true
	}
	r, ok := parseRat(s)
	return ok && r.IsInt()
}
