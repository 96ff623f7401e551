package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"tracegate/bus"
	"tracegate/store/storetest"
	"tracegate/webhook"
)

func TestNATSFlag(t *testing.T) {
	for _, bad := range [][]string{{"--nats", "http://127.0.0.1:4222"}, {"--nats", "nats://"}, {"--nats", "127.0.0.1:4222"},
		{"--nats", "nats://127.0.0.1:4222", "--nats-namespace", "a.b"}, {"--nats-namespace", ""}} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:" + filepath.Join(t.TempDir(), "t.db")}, bad...)
		code, _, errOut := cli(t, nil, args...)
		if code != 1 || !strings.Contains(errOut, bad[len(bad)-2]) {
			t.Errorf("serve %v = %d %q; want exit 1 naming %s", bad, code, errOut, bad[len(bad)-2])
		}
	}
	u := os.Getenv("TRACEGATE_TEST_NATS")
	if u == "" {
		t.Skip("TRACEGATE_TEST_NATS not set")
	}
	vars := map[string]string{"TRACEGATE_DB": "sqlite:" + filepath.Join(t.TempDir(), "t.db"), "TRACEGATE_DATA_DIR": t.TempDir(), "TRACEGATE_NATS": u,
		"TRACEGATE_NATS_NAMESPACE": testNamespace(t, u)}
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

// TestMeasureNotificationsEndToEnd: an enterprise registers a notification
// webhook over HTTP; a measure message committed into the outbox (as the
// measure service writes it) reaches the webhook once, signed — through the
// in-process bus and through NATS, on SQLite and on PostgreSQL, where two
// nodes share the outbox and the bus.
func TestMeasureNotificationsEndToEnd(t *testing.T) {
	buses := []string{""}
	if u := os.Getenv("TRACEGATE_TEST_NATS"); u != "" {
		buses = append(buses, u)
	}
	for _, natsURL := range buses {
		name := "memory"
		if natsURL != "" {
			name = "nats"
		}
		t.Run(name, func(t *testing.T) {
			dbs(t, func(t *testing.T, db string) {
				testNotificationsEndToEnd(t, db, natsURL)
			})
		})
	}
}

func testNotificationsEndToEnd(t *testing.T, db, natsURL string) {
	ctx := context.Background()
	dataDir := t.TempDir()
	vars := map[string]string{"TRACEGATE_DB": db, "TRACEGATE_DATA_DIR": dataDir, "TRACEGATE_WEBHOOK_ALLOW": "127.0.0.0/8", "TRACEGATE_NATS": natsURL}
	if natsURL != "" {
		vars["TRACEGATE_NATS_NAMESPACE"] = testNamespace(t, natsURL)
	}
	nodes := 1
	if isPostgres(db) {
		if code, _, errOut := cli(t, nil, "init", "--data-dir", dataDir); code != 0 {
			t.Fatalf("init: %s", errOut)
		}
		nodes = 2
	}
	uscc := storetest.USCC(77)
	if code, _, errOut := cli(t, vars, "enterprise", "add", "--uscc", uscc, "--name", "召回企业", "--role", "ecommerce"); code != 0 {
		t.Fatalf("enterprise add: %s", errOut)
	}
	code, out, errOut := cli(t, vars, "apikey", "create", "--enterprise", uscc, "--role", "ecommerce")
	if code != 0 {
		t.Fatalf("apikey create: %s", errOut)
	}
	key := strings.TrimSpace(out)

	var mu sync.Mutex
	var got []string
	badSig := 0
	const secret = "erp-notification-secret"
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("GS1-Signature") != webhook.Sign(secret, body) {
			badSig++
		}
		var m struct {
			ID      string          `json:"id"`
			Payload json.RawMessage `json:"payload"`
		}
		json.Unmarshal(body, &m)
		got = append(got, m.ID)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hook.Close()

	var bases []string
	for range nodes {
		base, _, stop := startInProcess(t, vars, "serve", "--addr", "127.0.0.1:0")
		defer func() {
			if code := stop(); code != 0 {
				t.Errorf("serve exited %d", code)
			}
		}()
		bases = append(bases, base)
	}
	req, _ := http.NewRequest("POST", bases[0]+"/api/notifications/webhooks", strings.NewReader(`{"url":"`+hook.URL+`/measures","secret":"`+secret+`"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("register webhook = %v, %v", resp, err)
	}
	resp.Body.Close()

	// The measure service's transaction writes these rows; a second
	// handle on the database stands in for it.
	s, _, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	for i, event := range []string{"ordered", "status", "progress"} {
		m, err := bus.NewMessage("tracegate.measure.recall."+event, map[string]any{"id": "M1", "kind": "recall", "owner": uscc, "n": i,
			"selector": map[string]string{"gtin": "06901234567892"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
		if err := s.AppendOutbox(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= len(ids) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // a duplicate would come by now
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Errorf("the webhook received %v, want %v once each, in order", got, ids)
	}
	if badSig != 0 {
		t.Errorf("%d deliveries were not signed with the secret", badSig)
	}
}

// testNamespace returns a NATS namespace of the test's own, whose stream is
// deleted when the test ends, so tests on the shared server never collide.
func testNamespace(t *testing.T, url string) string {
	t.Helper()
	ns := "t" + bus.NewID()[:12]
	t.Cleanup(func() {
		nc, err := nats.Connect(url)
		if err != nil {
			return
		}
		defer nc.Close()
		if js, err := jetstream.New(nc); err == nil {
			js.DeleteStream(context.Background(), strings.ToUpper(ns))
		}
	})
	return ns
}
