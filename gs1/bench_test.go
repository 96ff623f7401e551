package gs1

import (
	"net/url"
	"testing"
)

// benchURI is a serialised GTIN with two data attributes. (The URI
// ".../21/ABC123?17=261231&10=LOT42" would be refused: with no 235 in the
// path, (10) is a key qualifier of (01) and belongs in the path.)
const benchURI = "https://id.gs1.org/01/09506000134352/21/ABC123?17=261231&3103=000195"

func BenchmarkParseDigitalLink(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDigitalLink(benchURI); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkURLParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := url.Parse(benchURI); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDigitalLinkCodeLists parses a Digital Link whose attributes
// are checked against code lists: country of origin (422, ISO 3166-1) and a
// price in euro (3932, ISO 4217).
func BenchmarkParseDigitalLinkCodeLists(b *testing.B) {
	const uri = "https://id.gs1.org/01/09506000134352/21/ABC123?422=156&3103=000195&3932=978599"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDigitalLink(uri); err != nil {
			b.Fatal(err)
		}
	}
}
