package epcis

import (
	"slices"

	"tracegate"
)

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
