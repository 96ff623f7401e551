package epcis

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// addDocumentSeeds adds the example and openepcis documents under the
// package's test data (when present) to f's corpus, and a few of its own.
func addDocumentSeeds(f *testing.F) {
	filepath.WalkDir(testdata, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch filepath.Ext(p) {
		case ".json", ".jsonld", ".xml":
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
		return nil
	})
	f.Add([]byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-11-20T08:00:00+08:00","eventTimeZoneOffset":"+08:00","action":"OBSERVE","epcList":["urn:epc:id:sgtin:9506000.013435.1"],"bizStep":"shipping"}]}}`))
	f.Add([]byte(`<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-20T08:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2026-11-20T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:9506000.013435.1</epc></epcList><action>OBSERVE</action></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`))
}

// FuzzDecodeDocument feeds the EPCIS decoders (JSON-LD and XML, chosen by
// sniffing) anything: nothing panics, the rules and the event hash run on
// whatever decodes, and a document that decodes re-encodes as JSON-LD to a
// document that decodes to events with the same CBV 2.0 hashes.
func FuzzDecodeDocument(f *testing.F) {
	addDocumentSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, events, err := DecodeAll(bytes.NewReader(data))
		if err != nil {
			return
		}
		hashes := make([]string, len(events))
		for i := range events {
			CheckEvent(&events[i], "/")
			hashes[i] = EventHash(&events[i])
		}
		var buf bytes.Buffer
		if err := EncodeJSON(&buf, doc, events, EncodeOptions{}); err != nil {
			t.Fatalf("EncodeJSON of a decoded document: %v", err)
		}
		_, again, err := DecodeAll(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("decoded %q, re-encoded %q, which fails to decode: %v", data, buf.Bytes(), err)
		}
		if len(again) != len(events) {
			t.Fatalf("%d events re-decode as %d", len(events), len(again))
		}
		for i := range again {
			if h := EventHash(&again[i]); h != hashes[i] {
				t.Fatalf("event %d of %q hashes %s, re-encoded as %q it hashes %s", i, data, hashes[i], buf.Bytes(), h)
			}
		}
	})
}
