package epcis

import (
	"bufio"
	"encoding/xml"
	"io"
	"maps"
	"slices"
	"strconv"
)

// XMLEncoder writes an EPCISDocument or EPCISQueryDocument in XML (EPCIS
// 2.0 XSD) one event at a time. Create it with NewXMLEncoder and finish
// with Close.
type XMLEncoder struct {
	w      *bufio.Writer
	opts   EncodeOptions
	ns     map[string]string // namespace URI -> prefix
	closer string
}

// NewXMLEncoder writes the document element, its header and opens the
// EventList. It fails only when w fails.
func NewXMLEncoder(w io.Writer, doc *Document, opts EncodeOptions) (*XMLEncoder, error) {
	enc := &XMLEncoder{w: bufio.NewWriter(w), opts: opts, ns: map[string]string{}}
	if enc.opts.Vocab == FormDefault {
		enc.opts.Vocab = FormURN
	}
	root, rootNS := "epcis:EPCISDocument", NSEPCIS2XML
	if doc.Kind == KindQueryDocument {
		root, rootNS = "epcisq:EPCISQueryDocument", NSQuery2XML
	}
	bw := enc.w
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<" + root)
	decl := map[string]string{"epcis": NSEPCIS2XML}
	if doc.Kind == KindQueryDocument {
		decl["epcisq"] = rootNS
	}
	for p, uri := range doc.Namespaces {
		// The JSON-LD context's own prefixes (gs1, rdfs, owl, ...) are not
		// XML namespaces; cbvmda is, in ILMD.
		if std, ok := standardPrefixes[p]; ok && std == uri && p != "cbvmda" {
			continue
		}
		if _, ok := decl[p]; !ok && p != "xml" {
			decl[p] = uri
		}
	}
	for _, p := range slices.Sorted(maps.Keys(decl)) {
		bw.WriteString(` xmlns:` + p + `="`)
		xml.EscapeText(bw, []byte(decl[p]))
		bw.WriteByte('"')
		if _, ok := enc.ns[decl[p]]; !ok {
			enc.ns[decl[p]] = p
		}
	}
	sv := doc.SchemaVersion
	if sv == "" {
		sv = "2.0"
	}
	bw.WriteString(` schemaVersion="` + sv + `"`)
	if !doc.CreationDate.IsZero() {
		bw.WriteString(` creationDate="` + formatTime(doc.CreationDate) + `"`)
	}
	bw.WriteString(">")
	if len(doc.HeaderXML) > 0 {
		bw.WriteString("<EPCISHeader>")
		for i := range doc.HeaderXML {
			enc.writeElement(&doc.HeaderXML[i], enc.ns)
		}
		bw.WriteString("</EPCISHeader>")
	}
	if doc.Kind == KindQueryDocument {
		bw.WriteString("<EPCISBody><epcisq:QueryResults>")
		if doc.QueryName != "" {
			bw.WriteString("<queryName>")
			xml.EscapeText(bw, []byte(doc.QueryName))
			bw.WriteString("</queryName>")
		}
		if doc.SubscriptionID != "" {
			bw.WriteString("<subscriptionID>")
			xml.EscapeText(bw, []byte(doc.SubscriptionID))
			bw.WriteString("</subscriptionID>")
		}
		bw.WriteString("<resultsBody><EventList>")
		enc.closer = "</EventList></resultsBody></epcisq:QueryResults></EPCISBody></" + root + ">\n"
	} else {
		bw.WriteString("<EPCISBody><EventList>")
		enc.closer = "</EventList></EPCISBody></" + root + ">\n"
	}
	return enc, bw.Flush()
}

// Encode writes one event. It fails only when the writer fails.
func (enc *XMLEncoder) Encode(e *Event) error {
	n := eventToXML(e.WithEPCFormat(enc.opts.EPCFormat, enc.opts.GCPLength), enc.opts.Vocab)
	enc.writeElement(n, enc.ns)
	if enc.w.Buffered() > 32<<10 {
		return enc.w.Flush()
	}
	return nil
}

// Close ends the document and flushes it. It fails when the writer fails.
func (enc *XMLEncoder) Close() error {
	enc.w.WriteString(enc.closer)
	return enc.w.Flush()
}

// EncodeXML writes doc with events as one XML document. It fails only when
// w fails.
func EncodeXML(w io.Writer, doc *Document, events []Event, opts EncodeOptions) error {
	enc, err := NewXMLEncoder(w, doc, opts)
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

// writeElement writes x; namespaces not in scope are declared on the
// element that first uses them.
func (enc *XMLEncoder) writeElement(x *Element, scope map[string]string) {
	bw := enc.w
	var decls [][2]string
	prefix := func(space string) string {
		if space == "" {
			return ""
		}
		if p, ok := scope[space]; ok {
			return p + ":"
		}
		if decls == nil {
			scope = maps.Clone(scope)
		}
		p := "ns" + strconv.Itoa(len(scope)+1)
		scope[space] = p
		decls = append(decls, [2]string{p, space})
		return p + ":"
	}
	name := prefix(x.Space) + x.Local
	attrs := make([]string, 0, len(x.Attrs))
	for _, a := range x.Attrs {
		attrs = append(attrs, prefix(a.Space)+a.Local)
	}
	bw.WriteString("<" + name)
	for _, d := range decls {
		bw.WriteString(" xmlns:" + d[0] + `="`)
		xml.EscapeText(bw, []byte(d[1]))
		bw.WriteByte('"')
	}
	for i, a := range x.Attrs {
		bw.WriteString(" " + attrs[i] + `="`)
		xml.EscapeText(bw, []byte(a.Value))
		bw.WriteByte('"')
	}
	if x.Value == "" && len(x.Children) == 0 {
		bw.WriteString("/>")
		return
	}
	bw.WriteByte('>')
	xml.EscapeText(bw, []byte(x.Value))
	for i := range x.Children {
		enc.writeElement(&x.Children[i], scope)
	}
	bw.WriteString("</" + name + ">")
}
