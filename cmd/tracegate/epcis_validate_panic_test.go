package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEPCISValidateHugeNumbers: a document whose epcList holds more than
// 20 numbers too large for big.Rat made the JSON Schema library panic; the
// command must refuse it with a readable problem and exit 1, not crash.
func TestEPCISValidateHugeNumbers(t *testing.T) {
	list := "[" + strings.TrimSuffix(strings.Repeat("1e99999999,", 21), ",") + "]"
	doc := `{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0",` +
		`"creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-11-20T08:00:00+08:00",` +
		`"eventTimeZoneOffset":"+08:00","action":"OBSERVE","epcList":` + list + `}]}}`
	path := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, nil, "epcis", "validate", path)
	if code != 1 || strings.Contains(out+errOut, "panic") || !strings.Contains(out+errOut, "invalid") {
		t.Fatalf("epcis validate of huge numbers = %d %q %q; want exit 1 with the problem", code, out, errOut)
	}
}
