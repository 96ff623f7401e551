package customs

import (
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// xsdElement is the part of an xs:element declaration the conformance test
// reads.
type xsdElement struct {
	Name        string `xml:"name,attr"`
	Type        string `xml:"type,attr"`
	Ref         string `xml:"ref,attr"`
	MinOccurs   string `xml:"minOccurs,attr"`
	MaxOccurs   string `xml:"maxOccurs,attr"`
	Restriction *struct {
		Base   string `xml:"base,attr"`
		Facets []struct {
			XMLName xml.Name
			Value   string `xml:"value,attr"`
		} `xml:",any"`
	} `xml:"simpleType>restriction"`
	Sequence []xsdElement `xml:"complexType>sequence>element"`
}

// TestSchemaMatchesXSD checks that the rules built from fields-202205.txt
// (plus the 2018 overrides) declare, for every message and entity of the
// official import XSD of each version, the same child elements in the same
// order, with the same occurrence bounds, base types and facets.
func TestSchemaMatchesXSD(t *testing.T) {
	for _, v := range versions {
		t.Run(string(v), func(t *testing.T) {
			data, err := os.ReadFile(fmt.Sprintf("../testdata/ceb/xsd-%s/ceb-import-%s.xsd", v, v))
			if err != nil {
				t.Fatal(err)
			}
			var x struct {
				Elements []xsdElement `xml:"element"`
			}
			if err := xml.Unmarshal(data, &x); err != nil {
				t.Fatal(err)
			}
			s, err := schemaFor(v)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, e := range x.Elements {
				if len(e.Sequence) == 0 {
					continue
				}
				ct := s[e.Name]
				if ct == nil {
					t.Errorf("schema lacks %s", e.Name)
					continue
				}
				checked += compareXSD(t, e.Name, e.Sequence, ct)
			}
			t.Logf("%d element declarations compared", checked)
			if checked < 400 {
				t.Errorf("checked only %d element declarations", checked)
			}
		})
	}
}

func compareXSD(t *testing.T, path string, seq []xsdElement, ct *complexType) int {
	t.Helper()
	if len(seq) != len(ct.elems) {
		t.Errorf("%s: XSD has %d children, schema %d", path, len(seq), len(ct.elems))
		return 0
	}
	n := 0
	for i, e := range seq {
		d := ct.elems[i]
		name := e.Name
		if e.Ref != "" {
			_, name, _ = strings.Cut(e.Ref, ":")
		}
		p := path + "/" + name
		minOcc, maxOcc := 1, 1
		if e.MinOccurs != "" {
			minOcc, _ = strconv.Atoi(e.MinOccurs)
		}
		if e.MaxOccurs == "unbounded" {
			maxOcc = -1
		} else if e.MaxOccurs != "" {
			maxOcc, _ = strconv.Atoi(e.MaxOccurs)
		}
		if d.name != name || d.min != minOcc || d.max != maxOcc {
			t.Errorf("%s: XSD %s[%d..%d], schema %s[%d..%d]", p, name, minOcc, maxOcc, d.name, d.min, d.max)
		}
		n++
		switch {
		case len(e.Sequence) > 0:
			if d.typ == nil {
				t.Errorf("%s: schema has no complex type", p)
			} else {
				n += compareXSD(t, p, e.Sequence, d.typ)
			}
		case e.Type == "xs:int":
			if d.base != "int" {
				t.Errorf("%s: XSD xs:int, schema %q", p, d.base)
			}
		case e.Restriction != nil:
			want := map[string]int{"length": -1, "minLength": -1, "maxLength": -1, "totalDigits": -1, "fractionDigits": -1}
			for _, f := range e.Restriction.Facets {
				want[f.XMLName.Local], _ = strconv.Atoi(f.Value)
			}
			got := map[string]int{"length": d.length, "minLength": d.minLen, "maxLength": d.maxLen, "totalDigits": d.total, "fractionDigits": d.fraction}
			if base := strings.TrimPrefix(e.Restriction.Base, "xs:"); base != d.base || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: XSD %s %v, schema %s %v", p, base, want, d.base, got)
			}
		}
	}
	return n
}
