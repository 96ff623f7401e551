package customs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"tracegate"
)

// FuzzParseMessage feeds the CEB reader anything: nothing panics; a message
// that parses marshals, and the marshalled form parses and marshals to the
// same bytes again (the round trip is stable after one pass).
func FuzzParseMessage(f *testing.F) {
	if names, err := filepath.Glob(filepath.Join(sampleDir, "*.xml")); err == nil {
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<?xml version="1.0"?><ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0"></ceb:CEB311Message>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(bytes.NewReader(data))
		if err != nil {
			return
		}
		b1, err := Marshal(m)
		if err != nil {
			return // a message that parses but cannot be written back is refused at intake, not stored
		}
		m2, err := ParseMessage(bytes.NewReader(b1))
		if err != nil {
			t.Fatalf("ParseMessage(%q) ok; its marshalled form %q fails: %v", data, b1, err)
		}
		b2, err := Marshal(m2)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("marshal is not stable: %q then %q (%v)", b1, b2, err)
		}
	})
}

// FuzzParseTables feeds the regulator's CSV tables (positive list, tariff,
// prohibited list) anything: no parser panics, and every refusal is a
// coded error.
func FuzzParseTables(f *testing.F) {
	d := DemoTables()
	for _, s := range []string{d.PositiveListCSV, d.TariffCSV, d.ProhibitedCSV,
		"hs8,name,modes,note,effective_from\n33049900,x,1210,,2026-01-01\n", "\"\n", "a,b\n1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ParsePositiveList(bytes.NewReader(data)); err != nil {
			coded(t, "ParsePositiveList", err)
		}
		if _, err := ParseTariffCSV(bytes.NewReader(data)); err != nil {
			coded(t, "ParseTariffCSV", err)
		}
		if _, err := ParseProhibitedCSV(bytes.NewReader(data)); err != nil {
			coded(t, "ParseProhibitedCSV", err)
		}
	})
}

func coded(t *testing.T, name string, err error) {
	t.Helper()
	if code := tracegate.ErrorCode(err); code == tracegate.EINTERNAL {
		t.Fatalf("%s error %v (%T) is not a coded error", name, err, err)
	}
}
