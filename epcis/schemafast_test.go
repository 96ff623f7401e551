package epcis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// libraryAccepts is the verdict of the jsonschema library path; a panic in
// the library is a refusal.
func libraryAccepts(doc []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return ValidateJSONSchema(bytes.NewReader(doc)) == nil
}

// fastAccepts is the verdict of the fast checker.
func fastAccepts(t testing.TB, doc []byte) bool {
	t.Helper()
	ok, err := schemaAccepts(string(doc))
	if err != nil {
		t.Fatalf("fast schema check not built: %v", err)
	}
	return ok
}

// jsonTestFiles lists every JSON document of the shared EPCIS test data:
// the examples, the openepcis valid and invalid documents and queries, the
// hash vectors and the schema's own tests.
func jsonTestFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(testdata, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext == ".json" || ext == ".jsonld" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found %d JSON test documents under %s", len(out), testdata)
	}
	return out
}

func TestSchemaFastBuilds(t *testing.T) {
	if _, err := schemaFast(); err != nil {
		t.Fatalf("schemaFast() = %v: the fast schema check is off and every capture pays for the library", err)
	}
}

// checkSame fails the test when the two verdicts on doc differ.
func checkSame(t *testing.T, name string, doc []byte) bool {
	t.Helper()
	lib, fast := libraryAccepts(doc), fastAccepts(t, doc)
	if lib != fast {
		t.Errorf("%s: library accepts = %v, fast check accepts = %v\n%.2000s", name, lib, fast, doc)
	}
	return lib
}

func TestSchemaDifferentialDocuments(t *testing.T) {
	accepted, refused := 0, 0
	for _, p := range jsonTestFiles(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if checkSame(t, strings.TrimPrefix(p, testdata), data) {
			accepted++
		} else {
			refused++
		}
	}
	t.Logf("%d documents accepted, %d refused by both", accepted, refused)
	if accepted < 50 || refused < 10 {
		t.Errorf("accepted %d, refused %d: the documents no longer cover both verdicts", accepted, refused)
	}
}

// TestSchemaDifferentialMutations changes each document one place at a
// time (every member dropped, every value given another type, strings
// emptied and given values outside any enum or pattern, arrays emptied,
// duplicated and extended) and compares the verdicts on each variant.
func TestSchemaDifferentialMutations(t *testing.T) {
	files := jsonTestFiles(t)
	limit := 120 // variants per document
	if testing.Short() {
		limit = 40
	}
	total, accepted := 0, 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range mutations(data, limit) {
			if checkSame(t, fmt.Sprintf("%s variant %d", strings.TrimPrefix(p, testdata), k), v) {
				accepted++
			}
			total++
		}
	}
	t.Logf("%d variants, %d accepted by both", total, accepted)
	if accepted < total/10 || accepted > total*9/10 {
		t.Errorf("accepted %d of %d variants: the mutations no longer cover both verdicts", accepted, total)
	}
}

// TestSchemaDifferentialEdges covers what documents rarely hold: the JSON
// grammar's corners, repeated keys, escapes, and numbers big.Rat cannot
// read in arrays that must hold unique items.
func TestSchemaDifferentialEdges(t *testing.T) {
	ev := `{"type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00","epcList":%s,"action":"OBSERVE"}`
	doc := func(events ...string) string {
		return `{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[` + strings.Join(events, ",") + `]}}`
	}
	good := fmt.Sprintf(ev, `["urn:epc:id:sgtin:0614141.107346.1"]`)
	many := func(v string) string { return "[" + strings.TrimSuffix(strings.Repeat(v+",", 21), ",") + "]" }
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	cases := []string{
		doc(good), " \n\t" + doc(good) + "\r\n ", "\ufeff" + doc(good), doc(good) + "x", doc(good) + "{}", doc(good) + "]",
		doc(good, good), "", " ", "null", "1", `"x"`, "[]", "{}", "01", "-", "1.", "1e", "-0", "1E+2", "[1,]", `{"a":1,}`,
		`{"a" 1}`, "[\"\x01\"]", `["\x"]`, `["\u12"]`, `["\uD800"]`, "[\"\xff\"]", `tru`, `nul`, `[true false]`,
		strings.Replace(doc(good), `"action":"OBSERVE"`, `"action":"MAYBE","action":"OBSERVE"`, 1),
		strings.Replace(doc(good), `"action":"OBSERVE"`, `"action":"OBSERVE","action":"MAYBE"`, 1),
		strings.Replace(doc(good), `"action"`, `"\u0061ction"`, 1),
		strings.Replace(doc(good), `"OBSERVE"`, `"OBS\u0045RVE"`, 1),
		strings.Replace(doc(good), `"type":"ObjectEvent"`, `"type":"ObjectEvent","type":"ObjectEvent"`, 1),
		doc(fmt.Sprintf(ev, `["urn:epc:id:sgtin:0614141.107346.1","urn:epc:id:sgtin:0614141.107346.1"]`)),
		doc(fmt.Sprintf(ev, many(`"urn:epc:id:sgtin:0614141.107346.1"`))),
		doc(fmt.Sprintf(ev, `[1, 1.0]`)), doc(fmt.Sprintf(ev, `[1e400, 1e400]`)), doc(fmt.Sprintf(ev, `[1e99999999, 1e99999999]`)),
		doc(fmt.Sprintf(ev, many(`1e99999999`))), doc(fmt.Sprintf(ev, many(`{"a":1e99999999}`))),
		doc(fmt.Sprintf(ev, `[{"a":1,"b":[2]},{"b":[2.0],"a":1}]`)),
		strings.Replace(doc(good), `"schemaVersion":"2.0"`, `"schemaVersion":2.0`, 1),
		strings.Replace(doc(good), `"creationDate":"2024-01-01T00:00:00Z"`, `"creationDate":"2024-02-30T00:00:00Z"`, 1),
		strings.Replace(doc(good), `"creationDate":"2024-01-01T00:00:00Z"`, `"creationDate":"2024-01-01T23:59:60+01:00"`, 1),
		strings.Replace(doc(good), `"2024-01-01T00:00:00Z","eventTimeZoneOffset"`, `"2024-01-01t00:00:00.5z","eventTimeZoneOffset"`, 1),
		"[" + nest(9998) + "]", "[" + nest(9999) + "]", "[" + nest(10000) + "]",
	}
	for i, c := range cases {
		checkSame(t, fmt.Sprintf("case %d", i), []byte(c))
	}
}

// mutations returns at most limit variants of a JSON document, each
// changed in one place, spread evenly over all the variants there are. A
// document that is not JSON has none.
func mutations(data []byte, limit int) [][]byte {
	n := 0
	mutate(data, func(func() []byte) { n++ })
	step := max(1, n/limit)
	var out [][]byte
	k := 0
	mutate(data, func(variant func() []byte) {
		if k%step == 0 && len(out) < limit {
			if b := variant(); b != nil {
				out = append(out, b)
			}
		}
		k++
	})
	return out
}

// mutate calls yield for each variant of the document; variant marshals it.
func mutate(data []byte, yield func(variant func() []byte)) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if dec.Decode(&root) != nil {
		return
	}
	replacements := []any{nil, true, json.Number("1"), json.Number("1.5"), json.Number("-7"), "", "x", "NOT_A_VALUE",
		"urn:epc:id:sgtin:0614141.107346.1", "https://example.com/x", "2024-01-01T00:00:00Z", "2024-13-01T00:00:00Z",
		"+08:00", "+8:00", "ADD", []any{}, []any{"x"}, map[string]any{}}
	emit := func() {
		yield(func() []byte {
			b, err := json.Marshal(root)
			if err != nil {
				return nil
			}
			return b
		})
	}
	var walk func(v any, set func(any))
	walk = func(v any, set func(any)) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				old := v[k]
				delete(v, k) // drop the member
				emit()
				v[k] = old
			}
			v["unknownMember"] = "x" // an extra member
			emit()
			delete(v, "unknownMember")
			for _, k := range keys {
				walk(v[k], func(nv any) { v[k] = nv })
			}
		case []any:
			if len(v) > 0 {
				set([]any{}) // emptied
				emit()
				set(append(slices.Clone(v), v[0])) // first item repeated
				emit()
				set(append(slices.Clone(v[1:]), "x")) // first item replaced by a string
				emit()
				set(v)
			}
			for i := range v {
				walk(v[i], func(nv any) { v[i] = nv })
			}
		}
		if set == nil {
			return
		}
		for _, r := range replacements {
			set(r)
			emit()
		}
		if s, ok := v.(string); ok {
			set(s + " ") // breaks patterns and enums
			emit()
			set(strings.ToUpper(s))
			emit()
		}
		set(v)
	}
	walk(root, nil)
}

// FuzzSchemaDifferential compares the verdicts on arbitrary input, seeded
// with every test document and some of their variants.
func FuzzSchemaDifferential(f *testing.F) {
	for _, p := range jsonTestFiles(f) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for _, v := range mutations(data, 8) {
			f.Add(v)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 1<<20 {
			return
		}
		if lib, fast := libraryAccepts(doc), fastAccepts(t, doc); lib != fast {
			t.Errorf("library accepts = %v, fast check accepts = %v\n%.2000q", lib, fast, doc)
		}
	})
}
