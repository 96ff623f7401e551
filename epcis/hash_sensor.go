package epcis

import (
	"slices"
	"strings"
)

// sensors writes the sensorElementList part of the pre-hash and adds the
// extensions the reference implementation leaves over to rest.
func sensors(b *strings.Builder, list []SensorElement, rest []string) []string {
	if len(list) == 0 {
		return rest
	}
	l := make([]string, 0, len(list))
	var left []string
	for i := range list {
		s, o := sensorElement(&list[i])
		if s != "" {
			l = append(l, "sensorElement"+s)
		}
		if o != "" {
			left = append(left, "sensorElement"+o)
		}
	}
	if len(l) > 0 {
		slices.Sort(l)
		b.WriteString("sensorElementList")
		for _, s := range l {
			b.WriteString(s)
		}
	}
	if len(left) > 0 {
		slices.Sort(left)
		rest = append(rest, "sensorElementList"+strings.Join(left, ""))
	}
	return rest
}

// sensorElement returns the in-order pre-hash of se and its leftovers.
func sensorElement(se *SensorElement) (string, string) {
	var b strings.Builder
	b.Grow(512)
	var left []string
	if m := se.Metadata; m != nil {
		var s strings.Builder
		s.Grow(256)
		kvTime(&s, "time", m.Time)
		kvTime(&s, "startTime", m.StartTime)
		kvTime(&s, "endTime", m.EndTime)
		kv(&s, "deviceID", canon(m.DeviceID))
		kv(&s, "deviceMetadata", canon(m.DeviceMetadata))
		kv(&s, "rawData", canon(m.RawData))
		kv(&s, "dataProcessingMethod", canon(m.DataProcessingMethod))
		kv(&s, "bizRules", canon(m.BizRules))
		own, other := splitExt(m.Extensions, strings.Count(s.String(), "="))
		s.WriteString(genericList(own))
		if s.Len() > 0 {
			b.WriteString("sensorMetadata")
			b.WriteString(s.String())
		}
		if len(other) > 0 {
			left = append(left, "sensorMetadata"+genericList(other))
		}
	}
	reps := make([]string, 0, len(se.Reports))
	for i := range se.Reports {
		s, o := sensorReport(&se.Reports[i])
		if s != "" {
			reps = append(reps, "sensorReport"+s)
		}
		if o != "" {
			left = append(left, "sensorReport"+o)
		}
	}
	slices.Sort(reps)
	for _, s := range reps {
		b.WriteString(s)
	}
	own, other := splitExt(se.Extensions, 2)
	b.WriteString(genericList(own))
	if len(other) > 0 {
		left = append(left, genericList(other))
	}
	slices.Sort(left)
	return b.String(), strings.Join(left, "")
}

func sensorReport(r *SensorReport) (string, string) {
	var s strings.Builder
	s.Grow(256)
	kv(&s, "type", canon(r.Type))
	kv(&s, "exception", canon(r.Exception))
	kv(&s, "deviceID", canon(r.DeviceID))
	kv(&s, "deviceMetadata", canon(r.DeviceMetadata))
	kv(&s, "rawData", canon(r.RawData))
	kv(&s, "dataProcessingMethod", canon(r.DataProcessingMethod))
	kvTime(&s, "time", r.Time)
	kv(&s, "microorganism", canon(r.Microorganism))
	kv(&s, "chemicalSubstance", canon(r.ChemicalSubstance))
	kv(&s, "value", canon(string(r.Value)))
	kv(&s, "component", canon(r.Component))
	kv(&s, "stringValue", canon(r.StringValue))
	if r.BooleanValue != nil {
		if *r.BooleanValue {
			kv(&s, "booleanValue", "true")
		} else {
			kv(&s, "booleanValue", "false")
		}
	}
	kv(&s, "hexBinaryValue", canon(r.HexBinaryValue))
	kv(&s, "uriValue", canon(r.URIValue))
	kv(&s, "minValue", canon(string(r.MinValue)))
	kv(&s, "maxValue", canon(string(r.MaxValue)))
	kv(&s, "meanValue", canon(string(r.MeanValue)))
	kv(&s, "sDev", canon(string(r.SDev)))
	kv(&s, "percRank", canon(string(r.PercRank)))
	kv(&s, "percValue", canon(string(r.PercValue)))
	kv(&s, "uom", canon(r.UOM))
	kv(&s, "coordinateReferenceSystem", canon(r.CoordinateReferenceSystem))
	own, other := splitExt(r.Extensions, strings.Count(s.String(), "="))
	s.WriteString(genericList(own))
	return s.String(), genericList(other)
}
