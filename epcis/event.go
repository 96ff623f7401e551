package epcis

import "time"

// EventType names one of the five EPCIS 2.0 event types.
type EventType string

// The five EPCIS 2.0 event types.
const (
	ObjectEvent         EventType = "ObjectEvent"
	AggregationEvent    EventType = "AggregationEvent"
	TransactionEvent    EventType = "TransactionEvent"
	TransformationEvent EventType = "TransformationEvent"
	AssociationEvent    EventType = "AssociationEvent"
)

// Valid reports whether t is one of the five event types; it never fails.
func (t EventType) Valid() bool {
	switch t {
	case ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent:
		return true
	}
	return false
}

// Action is the action of an event: ADD, OBSERVE or DELETE.
type Action string

// The three EPCIS actions.
const (
	ActionAdd     Action = "ADD"
	ActionObserve Action = "OBSERVE"
	ActionDelete  Action = "DELETE"
)

// Event is one EPCIS event of any of the five types; Type says which, and
// the fields that do not apply to that type stay empty. Timestamps keep the
// offset they were written with; a zero time.Time means "absent". Standard
// vocabulary values hold their GS1 Web URI form (see VocabForm).
type Event struct {
	Type                EventType
	EventID             string
	EventTime           time.Time
	EventTimeZoneOffset string
	RecordTime          time.Time
	CertificationInfo   []string
	ErrorDeclaration    *ErrorDeclaration

	EPCList      []string
	QuantityList []QuantityElement

	ParentID          string
	ChildEPCs         []string
	ChildQuantityList []QuantityElement

	InputEPCList       []string
	InputQuantityList  []QuantityElement
	OutputEPCList      []string
	OutputQuantityList []QuantityElement
	TransformationID   string

	Action                Action
	BizStep               string
	Disposition           string
	PersistentDisposition *PersistentDisposition
	ReadPoint             *Location
	BizLocation           *Location
	BizTransactionList    []BizTransaction
	SourceList            []SourceDest
	DestinationList       []SourceDest
	SensorElementList     []SensorElement

	// ILMD holds the instance/lot master data elements; nil when absent.
	ILMD []Element
	// Extensions holds the user extension elements at event level, in
	// document order.
	Extensions []Element
}

// Decimal is a decimal number kept as its literal text so that no precision
// is lost; "" means absent. The decoders drop a leading "+" and trailing
// fractional zeros ("12.50" becomes "12.5"); CheckEvent reports a Decimal
// that is not a number.
type Decimal string

// QuantityElement is one entry of a quantity list.
type QuantityElement struct {
	EPCClass string
	Quantity Decimal
	UOM      string
}

// ErrorDeclaration marks an event as erroneous.
type ErrorDeclaration struct {
	DeclarationTime    time.Time
	Reason             string
	CorrectiveEventIDs []string
	Extensions         []Element
}

// PersistentDisposition lists the dispositions an event sets and unsets.
type PersistentDisposition struct {
	Set   []string
	Unset []string
}

// Location is a readPoint or bizLocation: an identifier plus extensions.
type Location struct {
	ID         string
	Extensions []Element
}

// BizTransaction is one business transaction reference; Type may be empty.
type BizTransaction struct {
	Type  string
	Value string
}

// SourceDest is one source or destination; Type may be empty.
type SourceDest struct {
	Type  string
	Value string
}

// SensorElement is one entry of sensorElementList.
type SensorElement struct {
	Metadata   *SensorMetadata
	Reports    []SensorReport
	Extensions []Element
}

// SensorMetadata describes the device and time of a sensor element.
type SensorMetadata struct {
	Time                 time.Time
	StartTime            time.Time
	EndTime              time.Time
	DeviceID             string
	DeviceMetadata       string
	RawData              string
	DataProcessingMethod string
	BizRules             string
	Extensions           []Element
}

// SensorReport is one measurement of a sensor element. Type, Exception and
// Component hold full URIs.
type SensorReport struct {
	Type                      string
	Exception                 string
	DeviceID                  string
	DeviceMetadata            string
	RawData                   string
	DataProcessingMethod      string
	Time                      time.Time
	Microorganism             string
	ChemicalSubstance         string
	Value                     Decimal
	Component                 string
	StringValue               string
	BooleanValue              *bool
	HexBinaryValue            string
	URIValue                  string
	MinValue                  Decimal
	MaxValue                  Decimal
	MeanValue                 Decimal
	SDev                      Decimal
	PercRank                  Decimal
	PercValue                 Decimal
	UOM                       string
	CoordinateReferenceSystem string
	Extensions                []Element
}

// Element is a user extension (or ILMD) element: a namespaced name with a
// text value, attributes (XML only) and child elements. Space is the
// namespace URI ("" for none). A JSON array becomes several Elements with
// the same name.
type Element struct {
	Space    string
	Local    string
	Value    string
	Attrs    []Attr
	Children []Element
}

// Attr is an XML attribute of an extension element.
type Attr struct {
	Space string
	Local string
	Value string
}
