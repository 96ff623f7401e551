package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/epcis"
	"tracegate/store/storetest"
)

func TestEPCISCommands(t *testing.T) {
	td := storetest.Testdata(t)
	vec := filepath.Join(td, "epcis/hash-vectors/examples/CertificationInfoAndSensorReportWithCRS")
	want, err := os.ReadFile(vec + ".hashes")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, nil, "epcis", "hash", vec+".jsonld"); code != 0 || strings.TrimSpace(out) != strings.TrimSpace(string(want)) {
		t.Fatalf("epcis hash = %d %q %q, want %q", code, out, errOut, want)
	}
	if code, out, _ := cli(t, nil, "epcis", "validate", vec+".jsonld"); code != 0 || !strings.HasPrefix(out, "valid:") {
		t.Fatalf("epcis validate (valid) = %d %q", code, out)
	}
	invalid, _ := filepath.Glob(filepath.Join(td, "epcis/openepcis/json/Capture/Invalid/*"))
	for _, p := range invalid {
		if code, _, errOut := cli(t, nil, "epcis", "validate", p); code != 1 || !strings.Contains(errOut, "invalid: ") {
			t.Errorf("epcis validate %s = %d %q, want 1 with the problems", filepath.Base(p), code, errOut)
		}
	}
	// One line per field, each with its pointer, none twice.
	xmlInvalid, _ := filepath.Glob(filepath.Join(td, "epcis/openepcis/xml/Capture/Invalid/*"))
	for _, p := range append(invalid, xmlInvalid...) {
		_, _, errOut := cli(t, nil, "epcis", "validate", p)
		seen := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
			ptr, detail, ok := strings.Cut(strings.TrimPrefix(line, "invalid: "), ": ")
			if !ok || !strings.HasPrefix(ptr, "/") || detail == "" || seen[ptr] {
				t.Errorf("epcis validate %s: line %q (of %q): want 'invalid: /pointer: problem', one per pointer", filepath.Base(p), line, errOut)
			}
			seen[ptr] = true
		}
	}

	// import: a real server, a real key, an example document in batches of 2.
	db := "sqlite:" + filepath.Join(t.TempDir(), "imp.db")
	vars := map[string]string{"TRACEGATE_DB": db, "TRACEGATE_DATA_DIR": t.TempDir()}
	uscc := storetest.USCC(77)
	if code, _, errOut := cli(t, vars, "enterprise", "add", "--uscc", uscc, "--name", "仓", "--role", "warehouse"); code != 0 {
		t.Fatal(errOut)
	}
	_, key, _ := cli(t, vars, "apikey", "create", "--enterprise", uscc, "--role", "warehouse")
	base, _, stop := startInProcess(t, vars, "serve", "--addr", "127.0.0.1:0")
	defer stop()
	// The example's ni: eventIDs are not its events' hashes, which capture
	// refuses (docs/security-epcis.md): the import sends the example under
	// its own hashes.
	doc := withOwnHashes(t, filepath.Join(td, "epcis/examples/json/Example_9.6.1-ObjectEvent.jsonld"))
	code, out, errOut := cli(t, nil, "epcis", "import", "--server", base, "--key", strings.TrimSpace(key), "--batch", "2", doc)
	if code != 0 || !strings.Contains(out, "events read") || !strings.Contains(errOut, "100%") {
		t.Fatalf("epcis import = %d stdout %q stderr %q", code, out, errOut)
	}
	code, out, _ = cli(t, nil, "epcis", "import", "--server", base, "--key", strings.TrimSpace(key), doc)
	if code != 0 || !strings.Contains(out, " 0 stored") {
		t.Fatalf("epcis import again = %d %q; want nothing new stored", code, out)
	}
	if code, _, errOut := cli(t, nil, "epcis", "import", "--server", base, "--key", "tgk_"+strings.Repeat("a", 32), doc); code != 1 || !strings.Contains(errOut, "401") {
		t.Fatalf("epcis import with a bad key = %d %q", code, errOut)
	}
}

// withOwnHashes writes a copy of the document at path whose ni: eventIDs
// are its events' own CBV 2.0 hashes, and returns its path.
func withOwnHashes(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, events, err := epcis.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if id := events[i].EventID; strings.HasPrefix(id, "ni:") {
			data = bytes.Replace(data, []byte(id), []byte(epcis.EventHash(&events[i])), 1)
		}
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
