package epcis

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tracegate"
)

var tzOffset = regexp.MustCompile(`^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$`)

// CheckEvent checks e against the EPCIS 2.0 and CBV 2.0 rules that the JSON
// Schema and XSD cannot express or that apply to both syntaxes: event type,
// eventTime, eventTimeZoneOffset, action per event type, required parentID
// and bizTransactionList, CBV vocabulary values (standard terms or other
// URIs), numbers, URIs for EPCs, parentID and location ids, and namespaces
// on extension and ILMD fields. ptr locates the event (a JSON pointer or an
// XPath) and prefixes every returned problem; it returns nil when e is
// valid.
func CheckEvent(e *Event, ptr string) []tracegate.FieldError {
	var out []tracegate.FieldError
	bad := func(field, format string, args ...any) {
		out = append(out, tracegate.FieldError{Pointer: ptr + "/" + field, Detail: fmt.Sprintf(format, args...)})
	}
	if !e.Type.Valid() {
		bad("type", "unknown event type %q", e.Type)
	}
	if e.EventTime.IsZero() {
		bad("eventTime", "eventTime is required")
	}
	switch {
	case e.EventTimeZoneOffset == "":
		bad("eventTimeZoneOffset", "eventTimeZoneOffset is required")
	case !tzOffset.MatchString(e.EventTimeZoneOffset):
		bad("eventTimeZoneOffset", "eventTimeZoneOffset %q is not of the form +hh:mm", e.EventTimeZoneOffset)
	}
	switch e.Type {
	case TransformationEvent:
		if e.Action != "" {
			bad("action", "a TransformationEvent has no action")
		}
		if len(e.InputEPCList)+len(e.InputQuantityList)+len(e.OutputEPCList)+len(e.OutputQuantityList) == 0 && e.TransformationID == "" {
			bad("inputEPCList", "a TransformationEvent needs inputs, outputs or a transformationID")
		}
	case ObjectEvent, AggregationEvent, TransactionEvent, AssociationEvent:
		switch e.Action {
		case ActionAdd, ActionObserve, ActionDelete:
		case "":
			bad("action", "action is required")
		default:
			bad("action", "action %q is not ADD, OBSERVE or DELETE", e.Action)
		}
	}
	switch e.Type {
	case AggregationEvent:
		if e.ParentID == "" && (e.Action == ActionAdd || e.Action == ActionDelete) {
			bad("parentID", "an AggregationEvent with action %s needs a parentID", e.Action)
		}
	case AssociationEvent:
		if e.ParentID == "" {
			bad("parentID", "an AssociationEvent needs a parentID")
		}
	case TransactionEvent:
		if len(e.BizTransactionList) == 0 {
			bad("bizTransactionList", "a TransactionEvent needs a bizTransactionList")
		}
	}
	vocab := func(field string, k VocabKind, v string) {
		if v != "" && !vocabOK(k, v) {
			bad(field, "%q is neither a CBV 2.0 term nor a URI", v)
		}
	}
	vocab("bizStep", VocabBizStep, e.BizStep)
	vocab("disposition", VocabDisposition, e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		for i, v := range pd.Set {
			vocab("persistentDisposition/set/"+strconv.Itoa(i), VocabDisposition, v)
		}
		for i, v := range pd.Unset {
			vocab("persistentDisposition/unset/"+strconv.Itoa(i), VocabDisposition, v)
		}
	}
	for i, bt := range e.BizTransactionList {
		vocab("bizTransactionList/"+strconv.Itoa(i)+"/type", VocabBizTransactionType, bt.Type)
		if bt.Value == "" {
			bad("bizTransactionList/"+strconv.Itoa(i)+"/bizTransaction", "bizTransaction is empty")
		}
	}
	for name, l := range map[string][]SourceDest{"sourceList": e.SourceList, "destinationList": e.DestinationList} {
		for i, sd := range l {
			vocab(name+"/"+strconv.Itoa(i)+"/type", VocabSourceDestType, sd.Type)
		}
	}
	if ed := e.ErrorDeclaration; ed != nil {
		if ed.DeclarationTime.IsZero() {
			bad("errorDeclaration/declarationTime", "declarationTime is required")
		}
		vocab("errorDeclaration/reason", VocabErrorReason, ed.Reason)
	}
	for name, l := range map[string][]QuantityElement{"quantityList": e.QuantityList, "childQuantityList": e.ChildQuantityList,
		"inputQuantityList": e.InputQuantityList, "outputQuantityList": e.OutputQuantityList} {
		for i, q := range l {
			p := name + "/" + strconv.Itoa(i)
			if q.EPCClass == "" {
				bad(p+"/epcClass", "epcClass is required")
			}
			if _, ok := pyNumber(string(q.Quantity)); q.Quantity != "" && !ok {
				bad(p+"/quantity", "quantity %q is not a number", q.Quantity)
			}
		}
	}
	for name, l := range map[string][]string{"epcList": e.EPCList, "childEPCs": e.ChildEPCs,
		"inputEPCList": e.InputEPCList, "outputEPCList": e.OutputEPCList} {
		for i, v := range l {
			if !isURI(v) {
				bad(name+"/"+strconv.Itoa(i), "EPC %q is not a URI", v)
			}
		}
	}
	if e.ParentID != "" && !isURI(e.ParentID) {
		bad("parentID", "parentID %q is not a URI", e.ParentID)
	}
	if e.ReadPoint != nil && !isURI(e.ReadPoint.ID) {
		bad("readPoint/id", "readPoint id %q is not a URI", e.ReadPoint.ID)
	}
	if e.BizLocation != nil && !isURI(e.BizLocation.ID) {
		bad("bizLocation/id", "bizLocation id %q is not a URI", e.BizLocation.ID)
	}
	for _, x := range e.ILMD {
		if x.Space == "" {
			bad("ilmd/"+x.Local, "ILMD field %q has no namespace", x.Local)
		}
	}
	for _, x := range e.Extensions {
		if x.Space == "" && !isComment(&x) && x.Local != "id" { // JSON-LD node id
			bad(x.Local, "unknown field %q: extension fields need a namespace", x.Local)
		}
	}
	return out
}

// isURI reports whether v looks like an absolute URI: a scheme, a colon and
// something after it, no spaces.
func isURI(v string) bool {
	scheme, rest, ok := strings.Cut(v, ":")
	if !ok || rest == "" || scheme == "" || strings.ContainsAny(v, " \t\n") {
		return false
	}
	for i, c := range scheme {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// vocabOK reports whether v is a standard term of k or a URI outside the
// CBV namespace.
func vocabOK(k VocabKind, v string) bool {
	if IsStandardVocab(k, v) {
		return true
	}
	// An unknown term in the vocabulary's own namespace is a typo or a
	// made-up standard value.
	if strings.HasPrefix(v, NSCBV+vocabs[k].uriPrefix) || strings.HasPrefix(v, "urn:epcglobal:cbv:"+vocabs[k].urnPrefix) {
		return false
	}
	return isURI(v)
}

// ValidateEvents checks every event with CheckEvent, locating event i at the
// JSON pointer /epcisBody/eventList/i. It returns nil, or one EINVALID
// *tracegate.Error whose Details list every problem of every event.
func ValidateEvents(events []Event) error {
	var all []tracegate.FieldError
	for i := range events {
		all = append(all, CheckEvent(&events[i], "/epcisBody/eventList/"+strconv.Itoa(i))...)
	}
	return detailsError(all)
}

func detailsError(all []tracegate.FieldError) error {
	if len(all) == 0 {
		return nil
	}
	return &tracegate.Error{
		Code:    tracegate.EINVALID,
		Pointer: all[0].Pointer,
		Message: fmt.Sprintf("%s (%d problems)", all[0].Detail, len(all)),
		Details: all,
	}
}

// ValidateDocument reads a whole EPCIS document (JSON-LD or XML) from r
// event by event and checks it: decoding errors, the XML structure (element
// order and unknown elements, see CheckXMLStructure) and CheckEvent for
// every event. It does not apply the JSON Schema, which needs the whole
// document: use ValidateJSONSchema for that. It returns nil or an EINVALID
// *tracegate.Error with one Detail per problem (at most maxDetails).
func ValidateDocument(r io.Reader) error {
	d, err := NewDecoder(r)
	if err != nil {
		return err
	}
	d.checkXML = true
	if d.doc.Kind == KindQueryDocument && !d.doc.HasEventList {
		return tracegate.Invalidf("/EPCISQueryDocument/EPCISBody", "an EPCISQueryDocument must hold QueryResults with an event list")
	}
	var all []tracegate.FieldError
	const maxDetails = 1000
	for len(all) < maxDetails {
		e, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		ptr := d.Pointer(d.index - 1)
		all = append(all, d.structure...)
		d.structure = nil
		all = append(all, CheckEvent(e, ptr)...)
	}
	return detailsError(all)
}

// xmlBaseOrder is the XSD sequence of the fields every event shares.
var xmlBaseOrder = []string{"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo"}

// checkXMLStructure checks the standard child elements of one XML event
// against the EPCIS 2.0 XSD: each must be a field of the event type, appear
// at most once (certificationInfo may repeat) and come in the XSD's order.
// EPCIS 1.x <extension> wrappers are looked through. Namespaced (extension)
// elements are not checked here. ptr is the event's XPath.
func checkXMLStructure(n *xnode, ptr string) []tracegate.FieldError {
	order := append(slices.Clip(xmlBaseOrder), xmlFieldOrder[EventType(n.name.Local)]...)
	var out []tracegate.FieldError
	last, lastName := -1, ""
	for _, c := range flatten(n.children) {
		if !isStd(c) {
			continue
		}
		i := slices.Index(order, c.name.Local)
		switch {
		case i < 0:
			out = append(out, tracegate.FieldError{Pointer: ptr + "/" + c.name.Local,
				Detail: "element <" + c.name.Local + "> is not allowed in " + n.name.Local})
			continue
		case i < last:
			out = append(out, tracegate.FieldError{Pointer: ptr + "/" + c.name.Local,
				Detail: "element <" + c.name.Local + "> must come before <" + lastName + ">"})
		case i == last && c.name.Local != "certificationInfo":
			out = append(out, tracegate.FieldError{Pointer: ptr + "/" + c.name.Local,
				Detail: "element <" + c.name.Local + "> appears twice"})
		}
		if i > last {
			last, lastName = i, c.name.Local
		}
	}
	return out
}
