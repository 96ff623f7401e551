package epcis

import (
	"bytes"
	_ "embed"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"tracegate"
)

// jsonSchemaSource is the EPCIS 2.0 JSON Schema (draft-07) published by GS1,
// copied from the shared test data (epcis/schema/EPCIS-JSON-Schema.json).
//
//go:embed schema/EPCIS-JSON-Schema.json
var jsonSchemaSource []byte

const jsonSchemaURL = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json"

// jsonSchemas compiles, once, the whole-document schema and the schema of
// each event type (its definitions/<EventType>).
var jsonSchemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(jsonSchemaSource))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(lookaheadRegexp)
	// The schema's "uri" format is not asserted, as in the reference
	// validator (Python jsonschema without rfc3987): EPCIS documents use
	// blank-node ids ("_:document1") and bare vocabulary words where the
	// schema says "uri".
	c.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: func(any) error { return nil }})
	if err := c.AddResource(jsonSchemaURL, doc); err != nil {
		return nil, err
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"", string(ObjectEvent), string(AggregationEvent), string(TransactionEvent),
		string(TransformationEvent), string(AssociationEvent)} {
		loc := jsonSchemaURL
		if name != "" {
			loc += "#/definitions/" + name
		}
		sch, err := c.Compile(loc)
		if err != nil {
			return nil, err
		}
		out[name] = sch
	}
	return out, nil
})

// notPrefix is the Regexp of a pattern "^(?!(alternatives))": it matches
// strings that do not start with any alternative. The EPCIS schema uses
// this negative lookahead, which Go's regexp package does not support.
type notPrefix struct {
	src   string
	inner *regexp.Regexp
}

func (n notPrefix) MatchString(s string) bool { return !n.inner.MatchString(s) }
func (n notPrefix) String() string            { return n.src }

// lookaheadRegexp compiles patterns with Go's regexp, handling the
// "^(?!(...))" form as notPrefix.
func lookaheadRegexp(s string) (jsonschema.Regexp, error) {
	if inner, ok := strings.CutPrefix(s, "^(?!"); ok && strings.HasSuffix(inner, ")") {
		re, err := regexp.Compile("^" + strings.TrimSuffix(inner, ")"))
		if err != nil {
			return nil, err
		}
		return notPrefix{src: s, inner: re}, nil
	}
	return regexp.Compile(s)
}

// ValidateJSONSchema checks a whole JSON-LD EPCIS document (or bare event)
// against the EPCIS 2.0 JSON Schema. The schema is compiled once, on first
// use. It returns nil when the document is valid, and otherwise an EINVALID
// *tracegate.Error whose Pointer is the first offending JSON pointer
// (/epcisBody/eventList/3/bizStep) and whose Details list every leaf
// problem: one per field, the most relevant cause (explain). Malformed JSON also gives EINVALID; a broken embedded schema
// gives EINTERNAL.
func ValidateJSONSchema(r io.Reader) error {
	return validateSchema(r, "", "")
}

// ValidateJSONEventSchema checks one JSON-LD event object against the
// schema of its event type (definitions/ObjectEvent, ...), so that a large
// document can be checked event by event. ptr locates the event and
// prefixes every pointer. It fails like ValidateJSONSchema, and with
// EINVALID for an unknown event type.
func ValidateJSONEventSchema(event []byte, typ EventType, ptr string) error {
	if !typ.Valid() {
		return tracegate.Invalidf(ptr+"/type", "unknown event type %q", typ)
	}
	return validateSchema(bytes.NewReader(event), string(typ), ptr)
}

func validateSchema(r io.Reader, def, ptr string) (err error) {
	// jsonschema/v6 panics comparing the unique items of an array holding
	// a number big.Rat cannot read (1e99999999): such a document is refused,
	// never a crash of the command or the server that checks it.
	defer func() {
		if p := recover(); p != nil {
			err = tracegate.Invalidf(ptr, "document does not match the EPCIS JSON Schema: an array of unique items holds a number too large to compare")
		}
	}()
	schemas, err := jsonSchemas()
	if err != nil {
		return &tracegate.Error{Code: tracegate.EINTERNAL, Message: "epcis: compile JSON schema", Err: err}
	}
	inst, err := jsonschema.UnmarshalJSON(r)
	if err != nil {
		return jsonErr(ptr, err, "")
	}
	err = schemas[def].Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &tracegate.Error{Code: tracegate.EINVALID, Message: err.Error(), Err: err}
	}
	details := explain(ve, ptr, message.NewPrinter(language.English))
	out := &tracegate.Error{Code: tracegate.EINVALID, Message: "document does not match the EPCIS JSON Schema", Details: details, Err: err}
	if len(details) > 0 {
		out.Pointer = details[0].Pointer
		out.Message += ": " + details[0].Detail
	}
	return out
}

// pointer builds an RFC 6901 JSON pointer.
func pointer(loc []string) string {
	var b strings.Builder
	for _, s := range loc {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}
