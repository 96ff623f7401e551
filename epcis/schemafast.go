package epcis

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast JSON Schema check. The whole-document check of a capture
// (ValidateJSONSchema) is the jsonschema library's validator over the
// document decoded into maps, which costs more than storing the events.
// Its accept/refuse decision is taken here instead, at a fraction of the
// cost, by a checker specialised once, at first use, from the schema the
// library compiled (jsonSchemas): the same $ref resolution, the same
// draft-07 rule that a $ref hides its siblings, the same regular
// expressions and format functions, so only the meaning of each keyword is
// restated, over a flat tree of the document (schemafast_json.go). When the
// checker refuses a document, the library validates it to write the
// problem report, so refusals keep their messages and pointers.
//
// The checker knows the keywords the EPCIS schema uses and a few more
// (minProperties, maxItems, min/maxLength, additionalItems); it is not
// built (and the library decides alone) if the compiled schema uses any
// other, or has a $ref cycle that consumes no input. TestSchemaFastBuilds
// keeps it built for the embedded schema; TestSchemaDifferential and
// FuzzSchemaDifferential prove its verdict equal to the library's.

// fschema is one compiled schema of the checker.
type fschema struct {
	always *bool // a boolean schema
	ref    *fschema

	types  jtypes // 0: any type
	enum   *fenum
	cnst   *fenum
	format *jsonschema.Format

	not                       *fschema
	allOf, anyOf, oneOf       []*fschema
	ifS, thenS, elseS         *fschema
	required                  []string
	propertyNames             *fschema
	props                     map[string]*fschema
	patternProps              []patternProp
	noAdditional              bool
	additional                *fschema
	minProps, maxProps        int // -1: none
	minItems, maxItems        int // -1: none
	uniqueItems               bool
	items                     *fschema
	tupleItems                []*fschema
	tuple                     bool
	noAdditionalItems         bool
	additionalItems           *fschema
	minLength, maxLength      int // -1: none
	pattern                   jsonschema.Regexp
	hasObj, hasArr, hasString bool
}

type patternProp struct {
	re jsonschema.Regexp
	s  *fschema
}

// jtypes is a set of JSON Schema types.
type jtypes uint8

const (
	tNull jtypes = 1 << iota
	tBoolean
	tNumber
	tInteger
	tString
	tArray
	tObject
)

// fenum is the values of an enum (or const): strings in a set, the rest
// compared as the library compares them.
type fenum struct {
	strs   map[string]struct{}
	others []any
}

// schemaFast is the checker of the whole-document schema, built once; a
// nil checker with an error when the schema uses what it does not know.
var schemaFast = sync.OnceValues(func() (*fschema, error) {
	schemas, err := jsonSchemas()
	if err != nil {
		return nil, err
	}
	return buildFast(schemas[""])
})

// validateJSONSchemaFast decides as ValidateJSONSchema does: nil when the
// document matches the EPCIS JSON Schema, and otherwise the library's
// error, with its problem report.
func validateJSONSchemaFast(r io.Reader) error {
	// The document is read once into a string, which the checker's tree
	// points into.
	var b strings.Builder
	if sr, ok := r.(*io.SectionReader); ok {
		b.Grow(int(sr.Size()))
	}
	if _, err := io.Copy(&b, r); err != nil {
		return fmt.Errorf("epcis: read document for the schema check: %w", err)
	}
	doc := b.String()
	if ok, err := schemaAccepts(doc); err == nil && ok {
		return nil
	}
	return schemaReport([]byte(doc))
}

// schemaReport runs the library to explain a refusal. The library panics
// on an array of more than 20 unique items holding a number that big.Rat
// cannot read (1e99999999): that is a refusal too, not a crash of the
// capture's goroutine.
func schemaReport(data []byte) error {
	return ValidateJSONSchema(bytes.NewReader(data)) // which recovers the library's panics
}

// schemaAccepts reports whether the fast checker accepts doc; the error
// says the checker could not be built.
func schemaAccepts(doc string) (bool, error) {
	s, err := schemaFast()
	if err != nil {
		return false, err
	}
	t, err := parseJSONTree(doc)
	if err != nil {
		return false, nil
	}
	defer t.release()
	return s.valid(t, 0), nil
}

// buildFast specialises a compiled schema, failing on any keyword it does
// not know.
func buildFast(root *jsonschema.Schema) (*fschema, error) {
	b := &fastBuilder{done: map[*jsonschema.Schema]*fschema{}}
	f := b.build(root)
	if b.err != nil {
		return nil, b.err
	}
	if err := checkCycles(f, map[*fschema]int{}); err != nil {
		return nil, err
	}
	return f, nil
}

type fastBuilder struct {
	done map[*jsonschema.Schema]*fschema
	err  error
}

func (b *fastBuilder) fail(s *jsonschema.Schema, what string) {
	if b.err == nil {
		b.err = fmt.Errorf("epcis: fast schema check: %s at %s is not supported", what, s.Location)
	}
}

func (b *fastBuilder) list(in []*jsonschema.Schema) []*fschema {
	var out []*fschema
	for _, s := range in {
		out = append(out, b.build(s))
	}
	return out
}

func (b *fastBuilder) build(s *jsonschema.Schema) *fschema {
	if s == nil {
		return nil
	}
	if f, ok := b.done[s]; ok {
		return f
	}
	f := &fschema{minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLength: -1, maxLength: -1}
	b.done[s] = f
	if s.DraftVersion != 7 {
		b.fail(s, fmt.Sprintf("draft %d", s.DraftVersion))
	}
	switch {
	case s.RecursiveRef != nil || s.DynamicRef != nil:
		b.fail(s, "a dynamic reference")
	case s.Dependencies != nil || s.DependentRequired != nil || s.DependentSchemas != nil:
		b.fail(s, "dependencies")
	case s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil:
		b.fail(s, "unevaluated*")
	case s.Contains != nil || s.MinContains != nil || s.MaxContains != nil || s.PrefixItems != nil || s.Items2020 != nil:
		b.fail(s, "contains or 2020 items")
	case s.ContentEncoding != nil || s.ContentMediaType != nil || s.ContentSchema != nil:
		b.fail(s, "content*")
	case s.Maximum != nil || s.Minimum != nil || s.ExclusiveMaximum != nil || s.ExclusiveMinimum != nil || s.MultipleOf != nil:
		b.fail(s, "a numeric bound")
	case len(s.Extensions) > 0:
		b.fail(s, "an extension")
	}
	f.always = s.Bool
	f.ref = b.build(s.Ref)
	if s.Types != nil {
		for _, name := range s.Types.ToStrings() {
			f.types |= map[string]jtypes{"null": tNull, "boolean": tBoolean, "number": tNumber, "integer": tInteger,
				"string": tString, "array": tArray, "object": tObject}[name]
		}
	}
	if s.Enum != nil {
		f.enum = newFenum(s.Enum.Values)
	}
	if s.Const != nil {
		f.cnst = newFenum([]any{*s.Const})
	}
	f.format = s.Format
	f.not = b.build(s.Not)
	f.allOf, f.anyOf, f.oneOf = b.list(s.AllOf), b.list(s.AnyOf), b.list(s.OneOf)
	f.ifS, f.thenS, f.elseS = b.build(s.If), b.build(s.Then), b.build(s.Else)

	f.required = s.Required
	f.propertyNames = b.build(s.PropertyNames)
	if s.Properties != nil {
		f.props = map[string]*fschema{}
		for name, p := range s.Properties {
			f.props[name] = b.build(p)
		}
	}
	for re, p := range s.PatternProperties {
		f.patternProps = append(f.patternProps, patternProp{re: re, s: b.build(p)})
	}
	switch a := s.AdditionalProperties.(type) {
	case nil:
	case bool:
		f.noAdditional = !a
	case *jsonschema.Schema:
		f.additional = b.build(a)
	default:
		b.fail(s, "additionalProperties")
	}
	f.minProps, f.maxProps = intOr(s.MinProperties), intOr(s.MaxProperties)

	f.minItems, f.maxItems = intOr(s.MinItems), intOr(s.MaxItems)
	f.uniqueItems = s.UniqueItems
	switch it := s.Items.(type) {
	case nil:
	case *jsonschema.Schema:
		f.items = b.build(it)
	case []*jsonschema.Schema:
		f.tuple, f.tupleItems = true, b.list(it)
	default:
		b.fail(s, "items")
	}
	switch a := s.AdditionalItems.(type) {
	case nil:
	case bool:
		f.noAdditionalItems = !a
	case *jsonschema.Schema:
		f.additionalItems = b.build(a)
	default:
		b.fail(s, "additionalItems")
	}

	f.minLength, f.maxLength = intOr(s.MinLength), intOr(s.MaxLength)
	f.pattern = s.Pattern

	f.hasObj = f.required != nil || f.propertyNames != nil || f.props != nil || f.patternProps != nil ||
		f.noAdditional || f.additional != nil || f.minProps >= 0 || f.maxProps >= 0
	f.hasArr = f.minItems >= 0 || f.maxItems >= 0 || f.uniqueItems || f.items != nil || f.tuple ||
		f.noAdditionalItems || f.additionalItems != nil
	f.hasString = f.minLength >= 0 || f.maxLength >= 0 || f.pattern != nil
	return f
}

func intOr(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func newFenum(values []any) *fenum {
	e := &fenum{strs: map[string]struct{}{}}
	for _, v := range values {
		if s, ok := v.(string); ok {
			e.strs[s] = struct{}{}
		} else {
			e.others = append(e.others, v)
		}
	}
	return e
}

// checkCycles refuses a cycle of schemas that apply to the same value
// ($ref, allOf, anyOf, oneOf, not, if/then/else): the library reports it
// as an error where the checker would not end.
func checkCycles(f *fschema, state map[*fschema]int) error {
	if f == nil {
		return nil
	}
	switch state[f] {
	case 1:
		return fmt.Errorf("epcis: fast schema check: a reference cycle")
	case 2:
		return nil
	}
	state[f] = 1
	next := append([]*fschema{f.ref, f.not, f.ifS, f.thenS, f.elseS}, f.allOf...)
	next = append(append(next, f.anyOf...), f.oneOf...)
	for _, n := range next {
		if err := checkCycles(n, state); err != nil {
			return err
		}
	}
	state[f] = 2
	// Schemas of members and items apply to other values: a cycle through
	// them ends with the document.
	var deeper []*fschema
	for _, p := range f.props {
		deeper = append(deeper, p)
	}
	for _, p := range f.patternProps {
		deeper = append(deeper, p.s)
	}
	deeper = append(deeper, f.additional, f.propertyNames, f.items, f.additionalItems)
	deeper = append(deeper, f.tupleItems...)
	for _, n := range deeper {
		if err := checkCycles(n, state); err != nil {
			return err
		}
	}
	return nil
}

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
