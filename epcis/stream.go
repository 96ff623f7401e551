package epcis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"tracegate"
)

// Decoder yields the events of one EPCIS document one by one, so that a
// large document never sits whole in memory. Create it with NewJSONDecoder,
// NewXMLDecoder or NewDecoder.
type Decoder struct {
	doc   Document
	next  func() (*Event, error)
	index int
	// pointer locates event i (0-based) in the input.
	pointer func(i int) string
	// checkXML asks the XML decoder to record structure problems of each
	// event in structure (see CheckXMLStructure).
	checkXML  bool
	structure []tracegate.FieldError
}

// Document returns the document's header data read so far: everything
// written before the event list (for JSON-LD, fields written after the event
// list are seen only once Next has returned io.EOF). It never fails.
func (d *Decoder) Document() *Document { return &d.doc }

// Next returns the next event, or io.EOF after the last one. Malformed input
// gives an EINVALID *tracegate.Error whose Pointer locates the event.
func (d *Decoder) Next() (*Event, error) {
	if d.next == nil {
		return nil, io.EOF
	}
	e, err := d.next()
	if err != nil {
		d.next = nil
		return nil, err
	}
	d.index++
	return e, nil
}

// Pointer returns where event i (0-based) sits in the input: a JSON
// pointer such as /epcisBody/eventList/3 for JSON-LD, an XPath such as
// /EPCISDocument/EPCISBody/EventList/*[4] for XML. It never fails.
func (d *Decoder) Pointer(i int) string {
	if d.pointer == nil {
		return ""
	}
	return d.pointer(i)
}

// Index returns how many events Next has returned; it never fails.
func (d *Decoder) Index() int { return d.index }

// NewDecoder sniffs the first non-space byte of r ('<' for XML, '{' for
// JSON-LD) and returns the matching decoder. It fails with EINVALID when r
// is neither.
func NewDecoder(r io.Reader) (*Decoder, error) {
	br := bufio.NewReader(r)
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil, tracegate.Invalidf("", "empty document")
		}
		switch {
		case b[0] == '<':
			return NewXMLDecoder(br)
		case b[0] == '{':
			return NewJSONDecoder(br)
		case b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n':
			br.ReadByte()
		case b[0] == 0xEF: // UTF-8 BOM
			br.Discard(3)
		default:
			return nil, tracegate.Invalidf("", "not an EPCIS document: expected JSON or XML")
		}
	}
}

// DecodeAll reads a whole document (JSON-LD or XML) and all its events. It
// is for small documents and tests; use a Decoder for large ones. It fails
// like NewDecoder and Decoder.Next.
func DecodeAll(r io.Reader) (*Document, []Event, error) {
	d, err := NewDecoder(r)
	if err != nil {
		return nil, nil, err
	}
	var events []Event
	for {
		e, err := d.Next()
		if err == io.EOF {
			return d.Document(), events, nil
		}
		if err != nil {
			return d.Document(), events, err
		}
		events = append(events, *e)
	}
}

// DecodeEvent reads one event from data, which may be a bare event or a
// document holding exactly one event, in JSON-LD or XML. It fails with
// EINVALID when data holds no event or more than one.
func DecodeEvent(data []byte) (*Event, error) {
	_, events, err := DecodeAll(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if len(events) != 1 {
		return nil, tracegate.Invalidf("", "want exactly one event, found %d", len(events))
	}
	return &events[0], nil
}

// parseTime parses an xsd:dateTime with a time zone, keeping the offset.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Allow a lower-case t/z and more than nine fraction digits.
		t, err = time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	}
	if err != nil { // lenient: no seconds
		t, err = time.Parse("2006-01-02T15:04Z07:00", strings.ToUpper(s))
	}
	return t, err
}

// formatTime writes t as xsd:dateTime with its own offset.
func formatTime(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.999999999Z07:00")
}

// DocumentKind tells an EPCISDocument from an EPCISQueryDocument.
type DocumentKind string

// The document kinds. KindEvent is a bare event outside any document (the
// single-event capture form).
const (
	KindDocument      DocumentKind = "EPCISDocument"
	KindQueryDocument DocumentKind = "EPCISQueryDocument"
	KindEvent         DocumentKind = "Event"
)

// Document is an EPCISDocument or EPCISQueryDocument without its events,
// which a Decoder yields one by one. Namespaces maps the prefixes declared
// in @context (JSON-LD) or by xmlns attributes (XML) to namespace URIs;
// Contexts keeps the @context URLs of a JSON-LD document in order.
type Document struct {
	Kind          DocumentKind
	ID            string
	SchemaVersion string
	CreationDate  time.Time
	Namespaces    map[string]string
	Contexts      []string
	// Header is the epcisHeader (with its SBDH) as raw JSON, or as an
	// Element tree for XML documents.
	Header    json.RawMessage
	HeaderXML []Element
	// SubscriptionID and QueryName belong to query documents.
	SubscriptionID string
	QueryName      string
	// IgnoreFields lists, as "{namespace}local", the user extension fields
	// that a repository's ignoreFields declaration leaves out of the event
	// hash (see HashOptions).
	IgnoreFields []string
	// HasEventList is false for documents without an event list, such as
	// master-data or capture-job documents.
	HasEventList bool
}

// Namespace URIs the codecs know.
const (
	NSEPCIS2XML  = "urn:epcglobal:epcis:xsd:2"
	NSEPCIS1XML  = "urn:epcglobal:epcis:xsd:1"
	NSQuery2XML  = "urn:epcglobal:epcis-query:xsd:2"
	NSQuery1XML  = "urn:epcglobal:epcis-query:xsd:1"
	NSSBDH       = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
	NSCBVMDA     = "urn:epcglobal:cbv:mda"
	NSGS1Voc     = "https://gs1.org/voc/"
	NSCBV        = "https://ref.gs1.org/cbv/"
	NSEPCISWeb   = "https://ref.gs1.org/epcis/"
	ContextEPCIS = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
)
