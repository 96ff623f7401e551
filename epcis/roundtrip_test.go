package epcis

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// canonicalJSON is the comparison form of an event in these tests.
func canonicalJSON(e *Event) string {
	return string(MarshalEventJSON(e, EncodeOptions{Vocab: FormURI}))
}

func TestRoundTrip(t *testing.T) {
	files := docFiles(t, "examples")
	files = append(files, docFiles(t, "openepcis", "Invalid", "Queries")...)
	files = append(files, docFiles(t, "hash-vectors")...)
	codecs := []struct {
		name string
		enc  func(*bytes.Buffer, *Document, []Event) error
	}{
		{"json", func(b *bytes.Buffer, d *Document, ev []Event) error { return EncodeJSON(b, d, ev, EncodeOptions{}) }},
		{"xml", func(b *bytes.Buffer, d *Document, ev []Event) error { return EncodeXML(b, d, ev, EncodeOptions{}) }},
	}
	for _, p := range files {
		doc, events := decodeFile(t, p)
		for _, c := range codecs {
			t.Run(c.name+"/"+strings.TrimPrefix(p, testdata), func(t *testing.T) {
				var buf bytes.Buffer
				if err := c.enc(&buf, doc, events); err != nil {
					t.Fatal(err)
				}
				encoded := bytes.Clone(buf.Bytes())
				_, got, err := DecodeAll(&buf)
				if err != nil {
					t.Fatalf("decode of encoded document: %v\n%s", err, buf.String())
				}
				if len(got) != len(events) {
					t.Fatalf("%d events after round trip, want %d", len(got), len(events))
				}
				for i := range events {
					if g, w := canonicalJSON(&got[i]), canonicalJSON(&events[i]); g != w {
						t.Errorf("event %d differs after round trip:\n got  %s\n want %s", i, g, w)
					}
					if g, w := EventHash(&got[i]), EventHash(&events[i]); g != w {
						t.Errorf("event %d: hash %s after round trip, want %s", i, g, w)
					}
				}
				// What we write from a schema-valid document must be valid.
				if c.name == "json" && strings.Contains(p, "examples/json/") {
					if err := ValidateJSONSchema(bytes.NewReader(encoded)); err != nil {
						t.Errorf("encoded document fails the JSON Schema: %v", err)
					}
				}
			})
		}
	}
}

// TestJSONXMLTwins checks that the JSON and XML forms of the same example
// events decode to equal events.
func TestJSONXMLTwins(t *testing.T) {
	pairs := 0
	for _, j := range docFiles(t, "hash-vectors/examples") {
		if filepath.Ext(j) != ".jsonld" {
			continue
		}
		x := strings.TrimSuffix(j, ".jsonld") + ".xml"
		if _, err := filepath.Glob(x); err != nil {
			continue
		}
		xs, _ := filepath.Glob(x)
		if len(xs) == 0 {
			continue
		}
		pairs++
		t.Run(filepath.Base(j), func(t *testing.T) {
			_, je := decodeFile(t, j)
			_, xe := decodeFile(t, x)
			if len(je) != len(xe) {
				t.Fatalf("%d JSON events, %d XML events", len(je), len(xe))
			}
			for i := range je {
				if EventHash(&je[i]) != EventHash(&xe[i]) {
					t.Errorf("event %d: hashes differ", i)
				}
				if g, w := canonicalJSON(&xe[i]), canonicalJSON(&je[i]); g != w {
					t.Errorf("event %d: XML and JSON events differ:\n xml  %s\n json %s", i, g, w)
				}
			}
		})
	}
	if pairs == 0 {
		t.Fatal("no JSON/XML pairs found")
	}
}

// TestExampleTwins compares the GS1 examples that exist as both JSON-LD and
// XML. They were written by hand and are not exact twins, so differences
// are reported, not failed; the count is logged.
func TestExampleTwins(t *testing.T) {
	names := []string{
		"WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent",
		"WithFullCombinationOfFields/aggregation_event_all_possible_fields",
		"WithFullCombinationOfFields/association_event_all_possible_fields",
		"WithFullCombinationOfFields/object_event_all_possible_fields",
		"WithFullCombinationOfFields/transaction_event_all_possible_fields",
		"WithFullCombinationOfFields/transformation_event_all_possible_fields",
	}
	equal, differ := 0, 0
	for _, n := range names {
		_, je := decodeFile(t, testdata+"examples/json/"+n+".jsonld")
		_, xe := decodeFile(t, testdata+"examples/xml/"+n+".xml")
		if len(je) != len(xe) {
			t.Logf("%s: %d JSON events, %d XML events", n, len(je), len(xe))
			differ++
			continue
		}
		for i := range je {
			if EventHash(&je[i]) == EventHash(&xe[i]) {
				equal++
				continue
			}
			differ++
			t.Logf("%s event %d: hashes differ\n json %s\n xml  %s", n, i, PreHash(&je[i]), PreHash(&xe[i]))
		}
	}
	t.Logf("example twins: %d events hash equal, %d differ", equal, differ)
}
