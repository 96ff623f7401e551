package epcis

import (
	"encoding/json"
	"time"
)

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
