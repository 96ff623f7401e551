package epcis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"slices"
)

// EncodeOptions controls how events are written.
type EncodeOptions struct {
	// EPCFormat translates identifiers (see Event.WithEPCFormat).
	EPCFormat EPCFormat
	// GCPLength is the company prefix length for Digital Link to URN; 0
	// means DefaultGCPLength.
	GCPLength int
	// Vocab is the form of CBV values; the zero value FormDefault writes
	// bare words in JSON-LD and URNs in XML.
	Vocab VocabFormat
}

// xmlOnlyNamespaces are the namespaces of the EPCIS XML binding itself.
var xmlOnlyNamespaces = map[string]bool{
	NSEPCIS2XML: true, NSEPCIS1XML: true, NSQuery2XML: true, NSQuery1XML: true, NSSBDH: true,
}

// JSONEncoder writes an EPCISDocument or EPCISQueryDocument in JSON-LD one
// event at a time. Create it with NewJSONEncoder and finish with Close.
type JSONEncoder struct {
	w      *bufio.Writer
	opts   EncodeOptions
	ns     map[string]string // namespace URI -> prefix
	n      int
	closer string
}

// NewJSONEncoder writes the document's header and opens its event list. It
// fails only when w fails.
func NewJSONEncoder(w io.Writer, doc *Document, opts EncodeOptions) (*JSONEncoder, error) {
	enc := &JSONEncoder{w: bufio.NewWriter(w), opts: opts, ns: map[string]string{}}
	top := &jval{kind: 'o'}
	ctx := &jval{kind: 'a'}
	contexts := doc.Contexts
	if len(contexts) == 0 {
		contexts = []string{ContextEPCIS}
	}
	for _, c := range contexts {
		ctx.vals = append(ctx.vals, jstr(c))
	}
	var prefixes []string
	for p, uri := range doc.Namespaces {
		if standardPrefixes[p] == uri {
			enc.ns[uri] = p
			continue
		}
		// A standard prefix bound to another URI (an XML document's
		// xmlns:epcis) would redefine a protected term of the EPCIS
		// context, and the XML schema namespaces mean nothing in JSON-LD.
		if _, std := standardPrefixes[p]; std || xmlOnlyNamespaces[uri] {
			continue
		}
		prefixes = append(prefixes, p)
	}
	slices.Sort(prefixes)
	if len(prefixes) > 0 {
		m := &jval{kind: 'o'}
		for _, p := range prefixes {
			m.set(p, jstr(doc.Namespaces[p]))
			enc.ns[doc.Namespaces[p]] = p
		}
		ctx.vals = append(ctx.vals, m)
	}
	for uri, p := range standardPrefixes {
		if _, ok := enc.ns[uri]; !ok {
			enc.ns[uri] = p
		}
	}
	top.set("@context", ctx)
	kind := doc.Kind
	if kind != KindQueryDocument {
		kind = KindDocument
	}
	top.set("type", jstr(string(kind)))
	if doc.ID != "" {
		top.set("id", jstr(doc.ID))
	}
	sv := doc.SchemaVersion
	if sv == "" {
		sv = "2.0"
	}
	top.set("schemaVersion", jstr(sv))
	if !doc.CreationDate.IsZero() {
		top.set("creationDate", jstr(formatTime(doc.CreationDate)))
	}
	if len(doc.Header) > 0 {
		var h jval
		if err := h.UnmarshalJSON(doc.Header); err == nil {
			top.set("epcisHeader", &h)
		}
	}
	b := top.appendJSON(nil)
	b = b[:len(b)-1] // reopen the top-level object
	if kind == KindQueryDocument {
		q := &jval{kind: 'o'}
		if doc.SubscriptionID != "" {
			q.set("subscriptionID", jstr(doc.SubscriptionID))
		}
		if doc.QueryName != "" {
			q.set("queryName", jstr(doc.QueryName))
		}
		qb := q.appendJSON(nil)
		qb = qb[:len(qb)-1]
		if len(q.keys) > 0 {
			qb = append(qb, ',')
		}
		b = append(b, `,"epcisBody":{"queryResults":`...)
		b = append(b, qb...)
		b = append(b, `"resultsBody":{"eventList":[`...)
		enc.closer = "]}}}}\n"
	} else {
		b = append(b, `,"epcisBody":{"eventList":[`...)
		enc.closer = "]}}\n"
	}
	_, err := enc.w.Write(b)
	return enc, err
}

// Encode writes one event. It fails only when the writer fails.
func (enc *JSONEncoder) Encode(e *Event) error {
	if enc.n > 0 {
		enc.w.WriteByte(',')
	}
	enc.n++
	v := eventToJSON(e.WithEPCFormat(enc.opts.EPCFormat, enc.opts.GCPLength), enc.ns, enc.opts.Vocab)
	_, err := enc.w.Write(v.appendJSON(nil))
	return err
}

// Close ends the document and flushes it. It fails when the writer fails.
func (enc *JSONEncoder) Close() error {
	enc.w.WriteString(enc.closer)
	return enc.w.Flush()
}

// EncodeJSON writes doc with events as one JSON-LD document. It fails only
// when w fails.
func EncodeJSON(w io.Writer, doc *Document, events []Event, opts EncodeOptions) error {
	enc, err := NewJSONEncoder(w, doc, opts)
	if err != nil {
		return err
	}
	for i := range events {
		if err := enc.Encode(&events[i]); err != nil {
			return err
		}
	}
	return enc.Close()
}

// MarshalEventJSON returns one event as a JSON-LD object (without
// @context for the standard prefixes; other namespaces get an inline
// @context). It never fails.
func MarshalEventJSON(e *Event, opts EncodeOptions) []byte {
	ns := map[string]string{}
	for p, uri := range standardPrefixes {
		ns[uri] = p
	}
	return eventToJSON(e.WithEPCFormat(opts.EPCFormat, opts.GCPLength), ns, opts.Vocab).appendJSON(nil)
}

func jstr(s string) *jval { return &jval{kind: 's', str: s} }

func (v *jval) set(k string, c *jval) {
	v.keys = append(v.keys, k)
	v.vals = append(v.vals, c)
}

// appendJSON appends v as compact JSON.
func (v *jval) appendJSON(b []byte) []byte {
	switch v.kind {
	case 's':
		return appendJSONString(b, v.str)
	case 'n', 'b':
		return append(b, v.str...)
	case 'z':
		return append(b, "null"...)
	case 'a':
		b = append(b, '[')
		for i, c := range v.vals {
			if i > 0 {
				b = append(b, ',')
			}
			b = c.appendJSON(b)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for i, k := range v.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = v.vals[i].appendJSON(b)
	}
	return append(b, '}')
}

// UnmarshalJSON reads v from JSON, keeping key order.
func (v *jval) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	r, err := readJVal(dec)
	if err != nil {
		return err
	}
	*v = *r
	return nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
