package epcis

import "time"

// el builds an unqualified element with text.
func el(local, text string) Element { return Element{Local: local, Value: text} }

func xtime(local string, t time.Time) []Element {
	if t.IsZero() {
		return nil
	}
	return []Element{el(local, formatTime(t))}
}

func xtext(local, text string) []Element {
	if text == "" {
		return nil
	}
	return []Element{el(local, text)}
}

func xlist(list, item string, l []string) []Element {
	if l == nil {
		return nil
	}
	x := Element{Local: list}
	for _, s := range l {
		x.Children = append(x.Children, el(item, s))
	}
	return []Element{x}
}

func xqty(list string, l []QuantityElement) []Element {
	if l == nil {
		return nil
	}
	x := Element{Local: list}
	for _, q := range l {
		qe := Element{Local: "quantityElement", Children: []Element{el("epcClass", q.EPCClass)}}
		qe.Children = append(qe.Children, xtext("quantity", string(q.Quantity))...)
		qe.Children = append(qe.Children, xtext("uom", q.UOM)...)
		x.Children = append(x.Children, qe)
	}
	return []Element{x}
}

var xmlFieldOrder = map[EventType][]string{
	ObjectEvent: {"epcList", "action", "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList",
		"quantityList", "sourceList", "destinationList", "sensorElementList", "persistentDisposition", "ilmd"},
	AggregationEvent: {"parentID", "childEPCs", "action", "bizStep", "disposition", "readPoint", "bizLocation",
		"bizTransactionList", "childQuantityList", "sourceList", "destinationList", "sensorElementList",
		"persistentDisposition", "ilmd"},
	TransactionEvent: {"bizTransactionList", "parentID", "epcList", "action", "bizStep", "disposition", "readPoint",
		"bizLocation", "quantityList", "sourceList", "destinationList", "sensorElementList", "persistentDisposition", "ilmd"},
	TransformationEvent: {"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList",
		"transformationID", "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
		"destinationList", "sensorElementList", "persistentDisposition", "ilmd"},
	AssociationEvent: {"parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition", "readPoint",
		"bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList",
		"persistentDisposition", "ilmd"},
}

// eventToXML builds the XML element of e in XSD order.
func eventToXML(e *Event, vf VocabFormat) *Element {
	n := &Element{Local: string(e.Type)}
	add := func(l []Element) { n.Children = append(n.Children, l...) }
	voc := func(k VocabKind, s string) string { return VocabForm(k, s, vf) }
	add(xtime("eventTime", e.EventTime))
	add(xtime("recordTime", e.RecordTime))
	add(xtext("eventTimeZoneOffset", e.EventTimeZoneOffset))
	add(xtext("eventID", e.EventID))
	if ed := e.ErrorDeclaration; ed != nil {
		x := Element{Local: "errorDeclaration"}
		x.Children = append(x.Children, xtime("declarationTime", ed.DeclarationTime)...)
		x.Children = append(x.Children, xtext("reason", voc(VocabErrorReason, ed.Reason))...)
		x.Children = append(x.Children, xlist("correctiveEventIDs", "correctiveEventID", ed.CorrectiveEventIDs)...)
		x.Children = append(x.Children, ed.Extensions...)
		add([]Element{x})
	}
	for _, c := range e.CertificationInfo {
		add(xtext("certificationInfo", c))
	}
	order := xmlFieldOrder[e.Type]
	if order == nil {
		order = xmlFieldOrder[ObjectEvent]
	}
	for _, f := range order {
		switch f {
		case "epcList":
			add(xlist(f, "epc", e.EPCList))
		case "childEPCs":
			add(xlist(f, "epc", e.ChildEPCs))
		case "inputEPCList":
			add(xlist(f, "epc", e.InputEPCList))
		case "outputEPCList":
			add(xlist(f, "epc", e.OutputEPCList))
		case "quantityList":
			add(xqty(f, e.QuantityList))
		case "childQuantityList":
			add(xqty(f, e.ChildQuantityList))
		case "inputQuantityList":
			add(xqty(f, e.InputQuantityList))
		case "outputQuantityList":
			add(xqty(f, e.OutputQuantityList))
		case "parentID":
			add(xtext(f, e.ParentID))
		case "transformationID":
			add(xtext(f, e.TransformationID))
		case "action":
			add(xtext(f, string(e.Action)))
		case "bizStep":
			add(xtext(f, voc(VocabBizStep, e.BizStep)))
		case "disposition":
			add(xtext(f, voc(VocabDisposition, e.Disposition)))
		case "readPoint", "bizLocation":
			loc := e.ReadPoint
			if f == "bizLocation" {
				loc = e.BizLocation
			}
			if loc != nil {
				x := Element{Local: f, Children: []Element{el("id", loc.ID)}}
				x.Children = append(x.Children, loc.Extensions...)
				add([]Element{x})
			}
		case "bizTransactionList":
			if e.BizTransactionList != nil {
				x := Element{Local: f}
				for _, bt := range e.BizTransactionList {
					c := el("bizTransaction", bt.Value)
					if bt.Type != "" {
						c.Attrs = []Attr{{Local: "type", Value: voc(VocabBizTransactionType, bt.Type)}}
					}
					x.Children = append(x.Children, c)
				}
				add([]Element{x})
			}
		case "sourceList", "destinationList":
			l, item := e.SourceList, "source"
			if f == "destinationList" {
				l, item = e.DestinationList, "destination"
			}
			if l != nil {
				x := Element{Local: f}
				for _, sd := range l {
					c := el(item, sd.Value)
					if sd.Type != "" {
						c.Attrs = []Attr{{Local: "type", Value: voc(VocabSourceDestType, sd.Type)}}
					}
					x.Children = append(x.Children, c)
				}
				add([]Element{x})
			}
		case "sensorElementList":
			if e.SensorElementList != nil {
				x := Element{Local: f}
				for i := range e.SensorElementList {
					x.Children = append(x.Children, sensorToXML(&e.SensorElementList[i]))
				}
				add([]Element{x})
			}
		case "persistentDisposition":
			if pd := e.PersistentDisposition; pd != nil {
				x := Element{Local: f}
				for _, s := range pd.Set {
					x.Children = append(x.Children, el("set", voc(VocabDisposition, s)))
				}
				for _, s := range pd.Unset {
					x.Children = append(x.Children, el("unset", voc(VocabDisposition, s)))
				}
				add([]Element{x})
			}
		case "ilmd":
			if e.ILMD != nil {
				add([]Element{{Local: "ilmd", Children: e.ILMD}})
			}
		}
	}
	add(e.Extensions)
	return n
}

func sensorToXML(se *SensorElement) Element {
	x := Element{Local: "sensorElement"}
	if m := se.Metadata; m != nil {
		c := Element{Local: "sensorMetadata"}
		at := func(k, v string) {
			if v != "" {
				c.Attrs = append(c.Attrs, Attr{Local: k, Value: v})
			}
		}
		tm := func(k string, t time.Time) {
			if !t.IsZero() {
				at(k, formatTime(t))
			}
		}
		tm("time", m.Time)
		tm("startTime", m.StartTime)
		tm("endTime", m.EndTime)
		at("deviceID", m.DeviceID)
		at("deviceMetadata", m.DeviceMetadata)
		at("rawData", m.RawData)
		at("dataProcessingMethod", m.DataProcessingMethod)
		at("bizRules", m.BizRules)
		splitAttrExt(&c, m.Extensions)
		x.Children = append(x.Children, c)
	}
	for i := range se.Reports {
		x.Children = append(x.Children, reportToXML(&se.Reports[i]))
	}
	x.Children = append(x.Children, se.Extensions...)
	return x
}

// splitAttrExt writes simple extensions (a value, no children) as
// attributes, as EPCIS XML does for sensor metadata and reports; others as
// child elements.
func splitAttrExt(c *Element, exts []Element) {
	for _, x := range exts {
		if len(x.Children) == 0 && len(x.Attrs) == 0 {
			c.Attrs = append(c.Attrs, Attr{Space: x.Space, Local: x.Local, Value: x.Value})
		} else {
			c.Children = append(c.Children, x)
		}
	}
}

func reportToXML(r *SensorReport) Element {
	c := Element{Local: "sensorReport"}
	at := func(k, v string) {
		if v != "" {
			c.Attrs = append(c.Attrs, Attr{Local: k, Value: v})
		}
	}
	at("type", compactGS1(r.Type))
	at("exception", compactGS1(r.Exception))
	at("deviceID", r.DeviceID)
	at("deviceMetadata", r.DeviceMetadata)
	at("rawData", r.RawData)
	at("dataProcessingMethod", r.DataProcessingMethod)
	if !r.Time.IsZero() {
		at("time", formatTime(r.Time))
	}
	at("microorganism", r.Microorganism)
	at("chemicalSubstance", r.ChemicalSubstance)
	at("value", string(r.Value))
	at("component", compactCBV(r.Component))
	at("stringValue", r.StringValue)
	if r.BooleanValue != nil {
		at("booleanValue", map[bool]string{true: "true", false: "false"}[*r.BooleanValue])
	}
	at("hexBinaryValue", r.HexBinaryValue)
	at("uriValue", r.URIValue)
	at("minValue", string(r.MinValue))
	at("maxValue", string(r.MaxValue))
	at("meanValue", string(r.MeanValue))
	at("sDev", string(r.SDev))
	at("percRank", string(r.PercRank))
	at("percValue", string(r.PercValue))
	at("uom", r.UOM)
	at("coordinateReferenceSystem", r.CoordinateReferenceSystem)
	splitAttrExt(&c, r.Extensions)
	return c
}
