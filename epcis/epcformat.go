package epcis

import (
	"strings"

	"tracegate"
)

// EPCFormat is the value of the GS1-EPC-Format header: the form a client
// wants EPCs (and EPC classes, locations, parties) returned in.
type EPCFormat int

// The four GS1-EPC-Format values.
const (
	EPCNoPreference      EPCFormat = iota // No_Preference: as stored
	EPCAlwaysDigitalLink                  // Always_GS1_Digital_Link
	EPCAlwaysURN                          // Always_EPC_URN
	EPCNeverTranslates                    // Never_Translates: as captured
)

var epcFormatNames = [...]string{"No_Preference", "Always_GS1_Digital_Link", "Always_EPC_URN", "Never_Translates"}

// String returns the header value of f; out-of-range values give
// "No_Preference". It never fails.
func (f EPCFormat) String() string {
	if f < 0 || int(f) >= len(epcFormatNames) {
		return "No_Preference"
	}
	return epcFormatNames[f]
}

// ParseEPCFormat parses a GS1-EPC-Format header value; "" means
// No_Preference. Any other value fails with EINVALID.
func ParseEPCFormat(s string) (EPCFormat, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return EPCNoPreference, nil
	}
	for i, n := range epcFormatNames {
		if strings.EqualFold(s, n) {
			return EPCFormat(i), nil
		}
	}
	return EPCNoPreference, tracegate.Invalidf("GS1-EPC-Format", "unknown GS1-EPC-Format %q", s)
}

// DefaultGCPLength is the GS1 company prefix length TranslateEPC assumes
// when it turns a Digital Link into an EPC URN and is given none: a Digital
// Link does not say where the company prefix ends.
const DefaultGCPLength = 7

// TranslateEPC writes one identifier in the form f asks for. Identifiers
// that cannot be translated (other schemes, malformed values) are returned
// unchanged; it never fails. gcpLen is the company prefix length used for
// Digital Link to URN (0 means DefaultGCPLength).
func TranslateEPC(epc string, f EPCFormat, gcpLen int) string {
	if gcpLen == 0 {
		gcpLen = DefaultGCPLength
	}
	switch f {
	case EPCAlwaysDigitalLink:
		if dl, ok := urnToDL(epc); ok {
			return dl
		}
	case EPCAlwaysURN:
		if urn, ok := dlToURN(epc, gcpLen); ok {
			return urn
		}
	}
	return epc
}

// WithEPCFormat returns a copy of e whose EPCs, EPC classes, parent ID,
// read point, business location, sources and destinations are written in
// the form f (see TranslateEPC). e is not changed; it never fails.
func (e *Event) WithEPCFormat(f EPCFormat, gcpLen int) *Event {
	c := *e
	if f == EPCNoPreference || f == EPCNeverTranslates {
		return &c
	}
	tr := func(s string) string { return TranslateEPC(s, f, gcpLen) }
	list := func(l []string) []string {
		if l == nil {
			return nil
		}
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = tr(s)
		}
		return out
	}
	qty := func(l []QuantityElement) []QuantityElement {
		if l == nil {
			return nil
		}
		out := make([]QuantityElement, len(l))
		for i, q := range l {
			q.EPCClass = tr(q.EPCClass)
			out[i] = q
		}
		return out
	}
	sd := func(l []SourceDest) []SourceDest {
		if l == nil {
			return nil
		}
		out := make([]SourceDest, len(l))
		for i, x := range l {
			x.Value = tr(x.Value)
			out[i] = x
		}
		return out
	}
	c.EPCList, c.ChildEPCs = list(e.EPCList), list(e.ChildEPCs)
	c.InputEPCList, c.OutputEPCList = list(e.InputEPCList), list(e.OutputEPCList)
	c.QuantityList, c.ChildQuantityList = qty(e.QuantityList), qty(e.ChildQuantityList)
	c.InputQuantityList, c.OutputQuantityList = qty(e.InputQuantityList), qty(e.OutputQuantityList)
	c.ParentID = tr(e.ParentID)
	if e.ReadPoint != nil {
		rp := *e.ReadPoint
		rp.ID = tr(rp.ID)
		c.ReadPoint = &rp
	}
	if e.BizLocation != nil {
		bl := *e.BizLocation
		bl.ID = tr(bl.ID)
		c.BizLocation = &bl
	}
	c.SourceList, c.DestinationList = sd(e.SourceList), sd(e.DestinationList)
	return &c
}
