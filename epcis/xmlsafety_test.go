package epcis

import (
	"errors"
	"strings"
	"testing"

	"tracegate"
)

func TestXMLRefusesEntities(t *testing.T) {
	const body = `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2020-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>&x;</epc></epcList><action>ADD</action></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`
	tests := []struct {
		name, doc string
	}{
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` + body},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + body},
		{"external DTD", `<?xml version="1.0"?><!DOCTYPE foo SYSTEM "http://example.com/evil.dtd">` + body},
		{"parameter entity", `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY % p SYSTEM "http://example.com/p">%p;]>` + body},
		{"undeclared entity", body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodeAll(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("DecodeAll accepted the document")
			}
			if !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("code %q, want %q: %v", tracegate.ErrorCode(err), tracegate.EINVALID, err)
			}
			if tt.name != "undeclared entity" && !errors.Is(err, ErrXMLDirective) {
				t.Errorf("DecodeAll error = %v, want ErrXMLDirective", err)
			}
		})
	}
}

func TestXMLBareDoctypeAccepted(t *testing.T) {
	doc := `<?xml version="1.0"?><!DOCTYPE project><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody><EventList/></EPCISBody></epcis:EPCISDocument>`
	if _, events, err := DecodeAll(strings.NewReader(doc)); err != nil || len(events) != 0 {
		t.Fatalf("DecodeAll = %d events, %v; want 0, nil", len(events), err)
	}
}

func TestDeepNestingRefused(t *testing.T) {
	deepJSON := `{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","epcisBody":{"eventList":[{"type":"ObjectEvent","ex:x":` +
		strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200) + `}]}}`
	deepXML := `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="urn:x"><EPCISBody><EventList><ObjectEvent>` +
		strings.Repeat(`<ex:a>`, 200) + strings.Repeat(`</ex:a>`, 200) + `</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`
	for name, doc := range map[string]string{"json": deepJSON, "xml": deepXML} {
		if _, _, err := DecodeAll(strings.NewReader(doc)); !tracegate.IsCode(err, tracegate.EINVALID) {
			t.Errorf("%s: DecodeAll = %v, want EINVALID", name, err)
		}
	}
}
