package tracegate

import (
	"strings"
	"testing"
)

func TestSelectorValidate(t *testing.T) {
	s, err := ParseSelector([]byte(`{"gtin":"4901234567894","batch":"L2407","origin":"jp","container":"urn:epc:id:sscc:0614141.1234567890","producedFrom":"2026-01-01","producedTo":"2026-06-30"}`), "/selector")
	if err != nil {
		t.Fatal(err)
	}
	if s.GTIN != "04901234567894" || s.Origin != "JP" || s.Container != "https://id.gs1.org/00/106141412345678908" {
		t.Fatalf("not normalised: %+v", s)
	}
	sscc, err := ParseSelector([]byte(`{"container":"106141412345678908"}`), "")
	if err != nil || sscc.Container != "https://id.gs1.org/00/106141412345678908" {
		t.Fatalf("SSCC digits: %+v %v", sscc, err)
	}
	for _, tc := range []struct{ in, pointer string }{
		{`{}`, "/selector"},
		{`{"gtin":"4901234567895"}`, "/selector/gtin"},
		{`{"batch":"L1"}`, "/selector/batch"},
		{`{"hsPrefix":"3x"}`, "/selector/hsPrefix"},
		{`{"origin":"XX"}`, "/selector/origin"},
		{`{"enterprise":"91310000MA1FL0000X"}`, "/selector/enterprise"},
		{`{"container":"not an id"}`, "/selector/container"},
		{`{"container":"106141412345678909"}`, "/selector/container"},
		{`{"producedFrom":"2026-13-01"}`, "/selector/producedFrom"},
		{`{"producedFrom":"2026-02-01","producedTo":"2026-01-01"}`, "/selector/producedTo"},
		{`{"gtn":"4901234567894"}`, "/selector"},
		{`{"manufacturer":"` + strings.Repeat("x", SelectorLimit+1) + `"}`, "/selector/manufacturer"},
	} {
		_, err := ParseSelector([]byte(tc.in), "/selector")
		if err == nil {
			t.Errorf("%s accepted", tc.in)
			continue
		}
		var e *Error
		if !asError(err, &e) || e.Code != EINVALID || e.Pointer != tc.pointer {
			t.Errorf("%s: %#v, want pointer %s", tc.in, err, tc.pointer)
		}
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func FuzzParseSelector(f *testing.F) {
	f.Add(`{"gtin":"4901234567894","batch":"L1"}`)
	f.Add(`{"container":"urn:epc:id:sscc:0614141.1234567890"}`)
	f.Add(`{"warehouse":"https://id.gs1.org/414/4901234000006"}`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSelector([]byte(in), "/s")
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v", in, err)
			}
			return
		}
		again := s
		if err := again.Validate("/s"); err != nil || again != s {
			t.Fatalf("normal form not stable: %+v → %+v %v", s, again, err)
		}
	})
}
