package epcis

import (
	"strconv"
	"strings"
	"time"
)

func sensorListFromJSON(c *jval, ns map[string]string, p string) ([]SensorElement, error) {
	if c.kind != 'a' {
		return nil, errAt(p, "must be an array")
	}
	l := make([]SensorElement, 0, len(c.vals))
	for i, x := range c.vals {
		pi := p + "/" + strconv.Itoa(i)
		if x.kind != 'o' {
			return nil, errAt(pi, "must be an object")
		}
		var se SensorElement
		for j, k := range x.keys {
			y := x.vals[j]
			switch k {
			case "sensorMetadata":
				m, err := sensorMetaFromJSON(y, ns, pi+"/sensorMetadata")
				if err != nil {
					return nil, err
				}
				se.Metadata = m
			case "sensorReport":
				if y.kind == 'o' {
					y = &jval{kind: 'a', vals: []*jval{y}}
				}
				for n, r := range y.vals {
					rep, err := sensorReportFromJSON(r, ns, pi+"/sensorReport/"+strconv.Itoa(n))
					if err != nil {
						return nil, err
					}
					se.Reports = append(se.Reports, *rep)
				}
			default:
				se.Extensions = append(se.Extensions, elementsFromJSON(k, y, ns)...)
			}
		}
		l = append(l, se)
	}
	return l, nil
}

func jsonTime(y *jval, p string) (time.Time, error) {
	t, err := parseTime(y.str)
	if err != nil {
		return t, errAt(p, "%q is not an xsd:dateTime with a time zone", y.str)
	}
	return t, nil
}

func sensorMetaFromJSON(c *jval, ns map[string]string, p string) (*SensorMetadata, error) {
	if c.kind != 'o' {
		return nil, errAt(p, "must be an object")
	}
	m := &SensorMetadata{}
	var err error
	for i, k := range c.keys {
		y := c.vals[i]
		s := strings.TrimSpace(y.str)
		switch k {
		case "time":
			m.Time, err = jsonTime(y, p+"/"+k)
		case "startTime":
			m.StartTime, err = jsonTime(y, p+"/"+k)
		case "endTime":
			m.EndTime, err = jsonTime(y, p+"/"+k)
		case "deviceID":
			m.DeviceID = s
		case "deviceMetadata":
			m.DeviceMetadata = s
		case "rawData":
			m.RawData = s
		case "dataProcessingMethod":
			m.DataProcessingMethod = s
		case "bizRules":
			m.BizRules = s
		default:
			m.Extensions = append(m.Extensions, elementsFromJSON(k, y, ns)...)
		}
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

func sensorReportFromJSON(c *jval, ns map[string]string, p string) (*SensorReport, error) {
	if c.kind != 'o' {
		return nil, errAt(p, "must be an object")
	}
	r := &SensorReport{}
	var err error
	for i, k := range c.keys {
		y := c.vals[i]
		s := strings.TrimSpace(y.str)
		if err := r.set(k, s, y.kind == 'n' || y.kind == 's'); err != nil {
			return nil, errAt(p+"/"+k, "%v", err)
		}
		switch k {
		case "booleanValue":
			b := s == "true"
			r.BooleanValue = &b
		case "value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue":
			if y.kind != 'n' {
				err = errAt(p+"/"+k, "%s must be a number", k)
			}
		}
		if err != nil {
			return nil, err
		}
		if !sensorReportField(k) {
			r.Extensions = append(r.Extensions, elementsFromJSON(k, y, ns)...)
		}
	}
	return r, nil
}

// sensorReportField reports whether k is a standard sensorReport field.
func sensorReportField(k string) bool {
	switch k {
	case "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
		"microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
		"hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
		"percValue", "uom", "coordinateReferenceSystem":
		return true
	}
	return false
}

// set assigns the standard field k from its text form s, as both codecs
// read it; extension fields are ignored here.
func (r *SensorReport) set(k, s string, _ bool) error {
	switch k {
	case "type":
		r.Type = normGS1(s)
	case "exception":
		r.Exception = normGS1(s)
	case "deviceID":
		r.DeviceID = s
	case "deviceMetadata":
		r.DeviceMetadata = s
	case "rawData":
		r.RawData = s
	case "dataProcessingMethod":
		r.DataProcessingMethod = s
	case "time":
		t, err := parseTime(s)
		if err != nil {
			return err
		}
		r.Time = t
	case "microorganism":
		r.Microorganism = s
	case "chemicalSubstance":
		r.ChemicalSubstance = s
	case "value":
		r.Value = normDecimal(s)
	case "component":
		r.Component = NormalizeVocab(VocabComponent, s)
	case "stringValue":
		r.StringValue = s
	case "booleanValue":
		b := s == "true" || s == "1"
		r.BooleanValue = &b
	case "hexBinaryValue":
		r.HexBinaryValue = s
	case "uriValue":
		r.URIValue = s
	case "minValue":
		r.MinValue = normDecimal(s)
	case "maxValue":
		r.MaxValue = normDecimal(s)
	case "meanValue":
		r.MeanValue = normDecimal(s)
	case "sDev":
		r.SDev = normDecimal(s)
	case "percRank":
		r.PercRank = normDecimal(s)
	case "percValue":
		r.PercValue = normDecimal(s)
	case "uom":
		r.UOM = s
	case "coordinateReferenceSystem":
		r.CoordinateReferenceSystem = s
	}
	return nil
}
