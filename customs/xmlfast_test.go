package customs

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// sameTree checks the differential property of parseTreeFast: whatever it
// accepts, encoding/xml (parseTreeStd) accepts too, with the same tree.
func sameTree(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	got, ok := parseTreeFast(data)
	if !ok {
		return false
	}
	want, err := parseTreeStd(data)
	if err != nil {
		t.Fatalf("parseTreeFast(%q) accepts; parseTreeStd refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseTreeFast(%q) = %s, parseTreeStd = %s", data, dumpNode(got), dumpNode(want))
	}
	return true
}

func dumpNode(n *node) string {
	s := "{" + n.space + "}" + n.local
	if n.prefix != "" {
		s += " prefix=" + n.prefix
	}
	for _, a := range n.attrs {
		s += " {" + a.Name.Space + "}" + a.Name.Local + "=" + `"` + a.Value + `"`
	}
	if n.text != nil {
		s += " text=" + `"` + string(n.text) + `"`
	}
	if n.raw {
		s += " inner=" + `"` + string(n.inner) + `"`
	}
	s += "["
	for _, c := range n.children {
		s += dumpNode(c) + " "
	}
	return s + "]"
}

// diffCorpus is every CEB document of the test data, generated messages of
// every type, and corner cases of the XML grammar.
func diffCorpus(t testing.TB) (fastPath [][]byte, corners [][]byte) {
	names, _ := filepath.Glob(filepath.Join(sampleDir, "*.xml"))
	shared, _ := filepath.Glob("../../shared/testdata/ceb/*/*.xml")
	for _, n := range append(names, shared...) {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		fastPath = append(fastPath, b)
	}
	if len(fastPath) < 10 {
		t.Fatalf("only %d CEB samples found", len(fastPath))
	}
	for _, d := range GenerateDayWith(7, 20, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil) {
		for _, m := range []Message{d.Order, d.Payment, d.Waybill, d.Inventory} {
			b, err := Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			fastPath = append(fastPath, b)
		}
	}
	for _, s := range []string{
		`<a/>`, `<a></a>`, `<a> </a>`, `<a>x</a>`, `<a>  <b/>  </a>`, `<a>x<b/>y</a>`, `<a> <b/>x</a>`,
		`<a>&lt;&gt;&amp;&apos;&quot;</a>`, `<a>&#65;&#x42;&#x43;</a>`, `<a>&#xD800;</a>`, `<a>&#0;</a>`, `<a>&#x110000;</a>`,
		`<a>&#X41;</a>`, `<a>&#;</a>`, `<a>&#x;</a>`, `<a>&foo;</a>`, `<a>&lt</a>`, `<a>&</a>`, `<a>&lt ;</a>`,
		"<a>x\r\ny\rz\r\r\n</a>", "<a b=\"x\r\ny\"/>", "<a>\r&amp;\n</a>", "<a>\x01</a>", "<a>\xff</a>", "<a>中文</a>",
		"<a b='\x01'/>", `<a b="1"c="2"/>`, `<a b = "1" />`, `<a b=1/>`, `<a b/>`, `<a b="<"/>`, `<a b="&lt;]]>"/>`,
		`<a>]]></a>`, `<a>]]&gt;</a>`, `<a><![CDATA[<x>&amp;]]]]></a>`, `<a><![CDATA[]]></a>`, `<a><![CDATA[x</a>`,
		`<a><![CDAT[x]]></a>`, `<a><!-- c --></a>`, `<a><!----></a>`, `<a><!-- -- --></a>`, `<a><!--- --></a>`, `<a><!- x --></a>`,
		`<a>x<!-- c -->y</a>`, `<a> <!-- c --> <b/></a>`, `<?xml version="1.0" encoding="UTF-8"?><a/>`, `<?xml version="1.1"?><a/>`,
		`<?xml version="1.0" encoding="GBK"?><a/>`, `<?xml encoding="utf-8"?><a/>`, `<?xml?><a/>`, `<?pi data ? >?><a/>`, `<?pi`,
		`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`, `<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>`, `<a><!ENTITY x "y"></a>`,
		`<a/><b/>`, `<a/>text`, `text<a/>`, `<a/>&bad;`, ``, `   `, `<a>`, `<a></b>`, `</a>`, `<a></a></a>`, `< a/>`, `<a / >`,
		`<p:a xmlns:p="u"/>`, `<p:a/>`, `<a xmlns="u"><b/></a>`, `<a xmlns="u"><b xmlns=""/></a>`, `<a xmlns:p="u" p:x="1" x="2"/>`,
		`<p:a xmlns:p="u"></q:a>`, `<p:a xmlns:p="u" xmlns:q="u"></q:a>`, `<a:b:c/>`, `<:a/>`, `<a:/>`, `<a :b="1"/>`, `<a xmlns:="u"/>`,
		`<xml:a/>`, `<a xml:lang="zh"/>`, `<xmlns:a/>`, `<xmlns/>`, `<a xmlns:p="u"><p:b/></a><p:c/>`, `<a xmlns:p="1" xmlns:p="2"><p:b/></a>`,
		`<é/>`, `<a é="1"/>`, `<a>&é;</a>`, `<1a/>`, `<a-b.c_d:e/>`, `<a b="1" b="2"/>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature a="1"> <ds:X xmlns:z="q"><z:y/></ds:X> t </ds:Signature><b/></x>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature/></x>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature></ds:Signature></x>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature><a></b></ds:Signature></x>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature><!DOCTYPE a></ds:Signature></x>`,
		`<x xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature>&bad;</ds:Signature></x>`,
		`<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><a/></Signature>`,
		`<ExtendMessage><Message><any xmlns="z">&amp;</any></Message><Message/></ExtendMessage>`,
		`<a><ExtendMessage><m:Message xmlns:m="m">x<y/></m:Message></ExtendMessage></a>`,
	} {
		corners = append(corners, []byte(s))
	}
	deep := []byte{}
	for range maxDepth + 1 {
		deep = append(deep, "<a>"...)
	}
	for range maxDepth + 1 {
		deep = append(deep, "</a>"...)
	}
	corners = append(corners, deep, deep[3:len(deep)-4])
	return fastPath, corners
}

// TestParseTreeDifferential proves parseTreeFast equal to encoding/xml's
// tree on every CEB sample and generated message (which must all take the
// fast path), on corner cases of the grammar, and on one-byte mutations of
// the samples.
func TestParseTreeDifferential(t *testing.T) {
	fastPath, corners := diffCorpus(t)
	for i, b := range fastPath {
		if !sameTree(t, b) {
			t.Errorf("document %d (%.60q…) does not take the fast path", i, b)
		}
	}
	taken := 0
	for _, b := range corners {
		if sameTree(t, b) {
			taken++
		}
	}
	t.Logf("%d of %d corner cases on the fast path", taken, len(corners))
	if taken < 30 {
		t.Errorf("only %d corner cases take the fast path", taken)
	}
	// One-byte mutations of the samples: about 40 positions of each small
	// one and 25 of each large one (every position with TRACEGATE_LONG_DIFF
	// set), each replaced by the
	// bytes that mean something to the grammar.
	subst := []byte("<>&;/='\"!?-[]x:\r\n \x00\xe4")
	mutations := 0
	for k, b := range fastPath {
		positions := 40
		if len(b) > 4000 {
			positions = 25
		}
		step := max(1, len(b)/positions)
		if os.Getenv("TRACEGATE_LONG_DIFF") != "" {
			step = 1
		}
		for i := k % step; i < len(b); i += step {
			for _, c := range subst {
				if b[i] == c {
					continue
				}
				m := append([]byte(nil), b...)
				m[i] = c
				sameTree(t, m)
				mutations++
			}
		}
	}
	t.Logf("%d mutations compared", mutations)
}

// FuzzParseTreeDifferential: whatever parseTreeFast accepts, encoding/xml
// accepts with the same tree.
func FuzzParseTreeDifferential(f *testing.F) {
	fastPath, corners := diffCorpus(f)
	for _, b := range append(fastPath[:8], corners...) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameTree(t, data)
	})
}

// BenchmarkParseTree compares the two tree builders on the official CEB621
// sample (38 KB) and a generated 100-inventory message.
func BenchmarkParseTree(b *testing.B) {
	var inv CEB621Message
	for i, d := range GenerateDayWith(3, 100, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil) {
		if i == 0 {
			inv = *d.Inventory
			inv.Inventories = nil
		}
		inv.Inventories = append(inv.Inventories, d.Inventory.Inventories...)
	}
	gen, err := Marshal(&inv)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"sample621", readSample(b, "CEB621")}, {"generated621x100", gen}} {
		b.Run(c.name+"/encoding-xml", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := parseTreeStd(c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, ok := parseTreeFast(c.data); !ok {
					b.Fatal("not on the fast path")
				}
			}
		})
	}
}
