package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/store/storetest"
)

// TestInitAndSharedSecrets: serve on PostgreSQL refuses an empty data
// directory, saying what to run; init creates the node secrets once and
// keeps them after; a second node with a copy of the directory starts and
// serves the same log.
func TestInitAndSharedSecrets(t *testing.T) {
	dsn := storetest.PostgresURL(t) // skips without TRACEGATE_TEST_POSTGRES
	empty := t.TempDir()
	code, _, errOut := cli(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--data-dir", empty)
	if code != 1 || !strings.Contains(errOut, "tracegate init --data-dir "+empty) || !strings.Contains(errOut, "ledger.key") {
		t.Fatalf("serve on PostgreSQL with an empty data directory = %d %q; want a refusal naming init", code, errOut)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Fatalf("the refused serve created %d files in the data directory", len(entries))
	}

	dir := filepath.Join(t.TempDir(), "node1")
	code, out, errOut := cli(t, nil, "init", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "created in "+dir+": ledger.key, ledger.secret, customs.secret, label.secret, credit.secret") ||
		!strings.Contains(out, "fingerprint SHA256:") {
		t.Fatalf("init = %d %q %q", code, out, errOut)
	}
	before := map[string][]byte{}
	for _, name := range nodeSecrets {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = b
	}
	if code, out, _ := cli(t, nil, "init", "--data-dir", dir); code != 0 || !strings.Contains(out, "kept in "+dir) || strings.Contains(out, "created") {
		t.Fatalf("init again = %d %q; want every file kept", code, out)
	}
	for name, b := range before {
		if after, _ := os.ReadFile(filepath.Join(dir, name)); string(after) != string(b) {
			t.Fatalf("init again replaced %s", name)
		}
	}
	// A second node with a copy of the directory starts on the same database.
	copyDir := filepath.Join(t.TempDir(), "node2")
	if err := os.MkdirAll(copyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, b := range before {
		if err := os.WriteFile(filepath.Join(copyDir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{dir, copyDir} {
		base, _, stop := startInProcess(t, map[string]string{"TRACEGATE_DB": dsn, "TRACEGATE_DATA_DIR": d}, "serve", "--addr", "127.0.0.1:0")
		if base == "" {
			t.Fatalf("serve with %s did not start", d)
		}
		stop()
	}
}
