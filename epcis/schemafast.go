package epcis

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

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
