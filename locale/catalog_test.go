package locale

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbeddedCatalogs fails when zh.json and en.json differ in keys, a
// value is empty or a file does not parse.
func TestEmbeddedCatalogs(t *testing.T) {
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	if len(Keys(ZH)) == 0 || len(Keys(ZH)) != len(Keys(EN)) {
		t.Fatalf("zh has %d keys, en %d", len(Keys(ZH)), len(Keys(EN)))
	}
	for _, k := range []string{"scan.genuine", "item.1", "item.21", "step.delivery", "auth.suspected"} {
		if T(ZH, k) == T(EN, k) || strings.HasPrefix(T(ZH, k), "⟦") {
			t.Errorf("%s: zh %q, en %q", k, T(ZH, k), T(EN, k))
		}
	}
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		name   string
		zh, en string
		want   string // in the error; "" for none
	}{
		{"same keys", `{"a":"甲","b":"乙"}`, `{"a":"A","b":"B"}`, ""},
		{"key missing in en", `{"a":"甲","b":"乙"}`, `{"a":"A"}`, `zh.json has "b", en.json has not`},
		{"key missing in zh", `{"a":"甲"}`, `{"a":"A","c":"C"}`, `en.json has "c", zh.json has not`},
		{"empty value", `{"a":"甲"}`, `{"a":" "}`, `en.json: "a" is empty`},
		{"bad json", `{"a":`, `{"a":"A"}`, `zh.json`},
		{"not flat", `{"a":{"b":"乙"}}`, `{"a":"A"}`, `zh.json`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"zh.json": {Data: []byte(tc.zh)}, "en.json": {Data: []byte(tc.en)}})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("load: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("load: %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// TestMissingKey checks that a key no catalog has shows as itself, never
// empty, and makes Check fail.
func TestMissingKey(t *testing.T) {
	t.Cleanup(func() { missing.Lock(); missing.keys = nil; missing.Unlock() })
	if got := T(EN, "no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("T = %q", got)
	}
	err := Check()
	if err == nil || !strings.Contains(err.Error(), "en:no.such.key") {
		t.Fatalf("Check = %v, want the missing key", err)
	}
}

func TestFill(t *testing.T) {
	t.Cleanup(func() { missing.Lock(); missing.keys = nil; missing.Unlock() })
	var s struct {
		Genuine   string
		BuyerIDNo string
		Missing   string
		N         int
		hidden    string
	}
	if err := Fill(ZH, "scan", &s); err != nil {
		t.Fatal(err)
	}
	if s.Genuine != T(ZH, "scan.genuine") || s.BuyerIDNo != T(ZH, "scan.buyer_id_no") || s.Missing != "⟦scan.missing⟧" || s.hidden != "" {
		t.Errorf("Fill = %+v", s)
	}
	if err := Fill(ZH, "scan", s); err == nil {
		t.Error("Fill of a struct value: no error")
	}
	for in, want := range map[string]string{"Genuine": "genuine", "FirstScanLabel": "first_scan_label", "BuyerIDNo": "buyer_id_no", "PageURL": "page_url", "Site": "site"} {
		if got := Snake(in); got != want {
			t.Errorf("Snake(%q) = %q, want %q", in, got, want)
		}
	}
}
