package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNATSFlag(t *testing.T) {
	for _, bad := range []string{"http://127.0.0.1:4222", "nats://", "127.0.0.1:4222"} {
		code, _, errOut := cli(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(t.TempDir(), "t.db"), "--nats", bad)
		if code != 1 || !strings.Contains(errOut, "--nats") {
			t.Errorf("serve --nats %s = %d %q; want exit 1 naming --nats", bad, code, errOut)
		}
	}
	u := os.Getenv("TRACEGATE_TEST_NATS")
	if u == "" {
		t.Skip("TRACEGATE_TEST_NATS not set")
	}
	vars := map[string]string{"TRACEGATE_DB": "sqlite:" + filepath.Join(t.TempDir(), "t.db"), "TRACEGATE_DATA_DIR": t.TempDir(), "TRACEGATE_NATS": u}
	base, _, stop := startInProcess(t, vars, "serve", "--addr", "127.0.0.1:0")
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if got["bus"] != "nats" || got["nats"] != "ok" || got["status"] != "ready" {
		t.Errorf("GET /readyz with TRACEGATE_NATS = %v, want bus nats, nats ok", got)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d after shutdown, want 0", code)
	}
}
