package epcis

import "encoding/json"

func sensorToJSON(se *SensorElement, ns *jsonNS) *jval {
	o := &jval{kind: 'o'}
	if m := se.Metadata; m != nil {
		mo := &jval{kind: 'o'}
		for _, t := range []struct {
			k string
			v string
		}{{"deviceID", m.DeviceID}, {"deviceMetadata", m.DeviceMetadata}, {"rawData", m.RawData},
			{"dataProcessingMethod", m.DataProcessingMethod}, {"bizRules", m.BizRules}} {
			if t.v != "" {
				mo.set(t.k, jstr(t.v))
			}
		}
		if !m.Time.IsZero() {
			mo.set("time", jtime(m.Time))
		}
		if !m.StartTime.IsZero() {
			mo.set("startTime", jtime(m.StartTime))
		}
		if !m.EndTime.IsZero() {
			mo.set("endTime", jtime(m.EndTime))
		}
		elementsToJSON(mo, m.Extensions, ns)
		o.set("sensorMetadata", mo)
	}
	if se.Reports != nil {
		a := &jval{kind: 'a'}
		for i := range se.Reports {
			a.vals = append(a.vals, reportToJSON(&se.Reports[i], ns))
		}
		o.set("sensorReport", a)
	}
	elementsToJSON(o, se.Extensions, ns)
	return o
}

func reportToJSON(r *SensorReport, ns *jsonNS) *jval {
	o := &jval{kind: 'o'}
	str := func(k, v string) {
		if v != "" {
			o.set(k, jstr(v))
		}
	}
	num := func(k string, v Decimal) {
		if v != "" {
			o.set(k, jnum(v))
		}
	}
	str("type", compactGS1(r.Type))
	str("exception", compactGS1(r.Exception))
	str("deviceID", r.DeviceID)
	str("deviceMetadata", r.DeviceMetadata)
	str("rawData", r.RawData)
	str("dataProcessingMethod", r.DataProcessingMethod)
	if !r.Time.IsZero() {
		o.set("time", jtime(r.Time))
	}
	str("microorganism", r.Microorganism)
	str("chemicalSubstance", r.ChemicalSubstance)
	num("value", r.Value)
	str("component", compactCBV(r.Component))
	str("stringValue", r.StringValue)
	if r.BooleanValue != nil {
		b := "false"
		if *r.BooleanValue {
			b = "true"
		}
		o.set("booleanValue", &jval{kind: 'b', str: b})
	}
	str("hexBinaryValue", r.HexBinaryValue)
	str("uriValue", r.URIValue)
	num("minValue", r.MinValue)
	num("maxValue", r.MaxValue)
	num("meanValue", r.MeanValue)
	num("sDev", r.SDev)
	num("percRank", r.PercRank)
	num("percValue", r.PercValue)
	str("uom", r.UOM)
	str("coordinateReferenceSystem", r.CoordinateReferenceSystem)
	elementsToJSON(o, r.Extensions, ns)
	return o
}

// jnum writes a Decimal as a JSON number, or as a string when it is not
// one (a lenient XML input).
func jnum(d Decimal) *jval {
	if _, ok := pyNumber(string(d)); ok && json.Valid([]byte(d)) {
		return &jval{kind: 'n', str: string(d)}
	}
	return jstr(string(d))
}
