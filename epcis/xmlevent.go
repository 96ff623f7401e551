package epcis

import (
	"strings"
	"time"
)

// flatten replaces EPCIS 1.x <extension> and <baseExtension> wrappers by
// their children.
func flatten(children []*xnode) []*xnode {
	var out []*xnode
	for _, c := range children {
		if c.name.Space == "" && (c.name.Local == "extension" || c.name.Local == "baseExtension") {
			out = append(out, flatten(c.children)...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// isStd tells a standard (unqualified or EPCIS-namespaced) element from an
// extension element.
func isStd(n *xnode) bool {
	return n.name.Space == "" || n.name.Space == NSEPCIS2XML || n.name.Space == NSEPCIS1XML
}

// eventFromXML maps one XML event element to an Event; ptr is its XPath.
func eventFromXML(n *xnode, ptr string) (*Event, error) {
	e := &Event{Type: EventType(n.name.Local)}
	tm := func(c *xnode) (time.Time, error) {
		t, err := parseTime(c.text)
		if err != nil {
			return t, errAt(ptr+"/"+c.name.Local, "%s %q is not an xsd:dateTime with a time zone", c.name.Local, c.text)
		}
		return t, nil
	}
	var err error
	for _, c := range flatten(n.children) {
		if !isStd(c) {
			e.Extensions = append(e.Extensions, elementsFromXML([]*xnode{c})...)
			continue
		}
		switch c.name.Local {
		case "eventID":
			e.EventID = c.text
		case "eventTime":
			e.EventTime, err = tm(c)
		case "recordTime":
			e.RecordTime, err = tm(c)
		case "eventTimeZoneOffset":
			e.EventTimeZoneOffset = c.text
		case "certificationInfo":
			e.CertificationInfo = append(e.CertificationInfo, c.text)
		case "errorDeclaration":
			ed := &ErrorDeclaration{}
			for _, d := range flatten(c.children) {
				switch {
				case !isStd(d):
					ed.Extensions = append(ed.Extensions, elementsFromXML([]*xnode{d})...)
				case d.name.Local == "declarationTime":
					ed.DeclarationTime, err = tm(d)
				case d.name.Local == "reason":
					ed.Reason = NormalizeVocab(VocabErrorReason, d.text)
				case d.name.Local == "correctiveEventIDs":
					for _, id := range d.children {
						ed.CorrectiveEventIDs = append(ed.CorrectiveEventIDs, id.text)
					}
				}
			}
			e.ErrorDeclaration = ed
		case "epcList":
			e.EPCList = texts(c)
		case "childEPCs":
			e.ChildEPCs = texts(c)
		case "inputEPCList":
			e.InputEPCList = texts(c)
		case "outputEPCList":
			e.OutputEPCList = texts(c)
		case "quantityList":
			e.QuantityList = qtyFromXML(c)
		case "childQuantityList":
			e.ChildQuantityList = qtyFromXML(c)
		case "inputQuantityList":
			e.InputQuantityList = qtyFromXML(c)
		case "outputQuantityList":
			e.OutputQuantityList = qtyFromXML(c)
		case "parentID":
			e.ParentID = c.text
		case "transformationID":
			e.TransformationID = c.text
		case "action":
			e.Action = Action(c.text)
		case "bizStep":
			e.BizStep = NormalizeVocab(VocabBizStep, c.text)
		case "disposition":
			e.Disposition = NormalizeVocab(VocabDisposition, c.text)
		case "persistentDisposition":
			pd := &PersistentDisposition{}
			for _, d := range c.children {
				v := NormalizeVocab(VocabDisposition, d.text)
				switch d.name.Local {
				case "set":
					pd.Set = append(pd.Set, v)
				case "unset":
					pd.Unset = append(pd.Unset, v)
				}
			}
			e.PersistentDisposition = pd
		case "readPoint":
			e.ReadPoint = locationFromXML(c)
		case "bizLocation":
			e.BizLocation = locationFromXML(c)
		case "bizTransactionList":
			for _, d := range c.children {
				t, _ := d.attr("type")
				e.BizTransactionList = append(e.BizTransactionList,
					BizTransaction{Type: NormalizeVocab(VocabBizTransactionType, t), Value: d.text})
			}
		case "sourceList":
			e.SourceList = sdFromXML(c)
		case "destinationList":
			e.DestinationList = sdFromXML(c)
		case "sensorElementList":
			for _, d := range c.children {
				se, err := sensorFromXML(d, ptr)
				if err != nil {
					return nil, err
				}
				e.SensorElementList = append(e.SensorElementList, se)
			}
		case "ilmd":
			e.ILMD = elementsFromXML(flatten(c.children))
			if e.ILMD == nil {
				e.ILMD = []Element{}
			}
		default:
			e.Extensions = append(e.Extensions, elementsFromXML([]*xnode{c})...)
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

func texts(n *xnode) []string {
	l := make([]string, 0, len(n.children))
	for _, c := range n.children {
		l = append(l, c.text)
	}
	return l
}

func qtyFromXML(n *xnode) []QuantityElement {
	l := make([]QuantityElement, 0, len(n.children))
	for _, c := range n.children {
		var q QuantityElement
		if x := c.child("epcClass"); x != nil {
			q.EPCClass = x.text
		}
		if x := c.child("quantity"); x != nil {
			q.Quantity = normDecimal(x.text)
		}
		if x := c.child("uom"); x != nil {
			q.UOM = x.text
		}
		l = append(l, q)
	}
	return l
}

func locationFromXML(n *xnode) *Location {
	loc := &Location{}
	for _, c := range flatten(n.children) {
		if isStd(c) && c.name.Local == "id" {
			loc.ID = c.text
			continue
		}
		loc.Extensions = append(loc.Extensions, elementsFromXML([]*xnode{c})...)
	}
	return loc
}

func sdFromXML(n *xnode) []SourceDest {
	l := make([]SourceDest, 0, len(n.children))
	for _, c := range n.children {
		t, _ := c.attr("type")
		l = append(l, SourceDest{Type: NormalizeVocab(VocabSourceDestType, t), Value: c.text})
	}
	return l
}

// attrExtensions turns namespaced attributes into extension elements.
func attrExtensions(n *xnode) []Element {
	var out []Element
	for _, a := range n.attrs {
		if a.Name.Space != "" && a.Name.Space != "xmlns" {
			out = append(out, Element{Space: a.Name.Space, Local: a.Name.Local, Value: strings.TrimSpace(a.Value)})
		}
	}
	return out
}

func sensorFromXML(n *xnode, ptr string) (SensorElement, error) {
	var se SensorElement
	for _, c := range flatten(n.children) {
		switch {
		case !isStd(c):
			se.Extensions = append(se.Extensions, elementsFromXML([]*xnode{c})...)
		case c.name.Local == "sensorMetadata":
			m := &SensorMetadata{}
			for _, a := range c.attrs {
				if a.Name.Space != "" {
					continue
				}
				v := strings.TrimSpace(a.Value)
				var err error
				switch a.Name.Local {
				case "time":
					m.Time, err = parseTime(v)
				case "startTime":
					m.StartTime, err = parseTime(v)
				case "endTime":
					m.EndTime, err = parseTime(v)
				case "deviceID":
					m.DeviceID = v
				case "deviceMetadata":
					m.DeviceMetadata = v
				case "rawData":
					m.RawData = v
				case "dataProcessingMethod":
					m.DataProcessingMethod = v
				case "bizRules":
					m.BizRules = v
				}
				if err != nil {
					return se, errAt(ptr+"/sensorElementList/sensorElement/sensorMetadata/@"+a.Name.Local, "%q is not an xsd:dateTime", v)
				}
			}
			m.Extensions = append(attrExtensions(c), elementsFromXML(c.children)...)
			se.Metadata = m
		case c.name.Local == "sensorReport":
			r := SensorReport{}
			var unknown []Element
			for _, a := range c.attrs {
				if a.Name.Space != "" {
					continue
				}
				if !sensorReportField(a.Name.Local) {
					unknown = append(unknown, Element{Local: a.Name.Local, Value: strings.TrimSpace(a.Value)})
					continue
				}
				if err := r.set(a.Name.Local, strings.TrimSpace(a.Value), true); err != nil {
					return se, errAt(ptr+"/sensorElementList/sensorElement/sensorReport/@"+a.Name.Local, "%v", err)
				}
			}
			r.Extensions = append(append(unknown, attrExtensions(c)...), elementsFromXML(c.children)...)
			se.Reports = append(se.Reports, r)
		default:
			se.Extensions = append(se.Extensions, elementsFromXML([]*xnode{c})...)
		}
	}
	return se, nil
}
