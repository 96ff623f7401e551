package epcis

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// schemaBenchDoc is a JSON-LD document of n ObjectEvents shaped like the
// capture benchmark's (storetest.BenchCapture).
func schemaBenchDoc(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"ObjectEvent","eventTime":"2026-11-20T10:%02d:%02d.%03d+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.%d"],"action":"OBSERVE","bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizLocation":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:9520123456788:PO%d"}]}`,
			(i/60000)%60, (i/1000)%60, i%1000, i, i/100)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchmarkSchemaCheck: the whole-document JSON Schema check of a
// 10,000-event document, by the library and by the fast checker
// (docs/BENCHMARKS.md), in events/s.
func BenchmarkSchemaCheck(b *testing.B) {
	const n = 10_000
	doc := schemaBenchDoc(n)
	for _, c := range []struct {
		name  string
		check func([]byte) error
	}{
		{"library", func(d []byte) error { return ValidateJSONSchema(bytes.NewReader(d)) }},
		{"fast", func(d []byte) error { return validateJSONSchemaFast(bytes.NewReader(d)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			if err := c.check(doc); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.check(doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
