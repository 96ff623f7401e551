package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracegate"
	"tracegate/demo"
	"tracegate/label"
	"tracegate/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cli runs one command in-process and returns its exit code and output.
func cli(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return cliB(t, vars, args...)
}

// cliB is cli for tests and benchmarks alike.
func cliB(t testing.TB, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	var walk func(prefix []string, cmds []*command)
	walk = func(prefix []string, cmds []*command) {
		for _, c := range cmds {
			args := append(append([]string{}, prefix...), c.name)
			if c.sub != nil {
				walk(args, c.sub)
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, _ := cli(t, nil, append(args, "--help")...)
				if code != 0 || !strings.Contains(out, "Usage: tracegate "+strings.Join(args, " ")) {
					t.Fatalf("%v --help = %d %q, want 0 and a usage line", args, code, out)
				}
				// A Flags: section lists at least one flag.
				if _, after, ok := strings.Cut(out, "Flags:\n"); ok && !strings.HasPrefix(after, "  -") {
					t.Errorf("%v --help has an empty Flags: section:\n%s", args, out)
				}
				if c.sub == nil && strings.Contains(out, "[flags]") != strings.Contains(out, "Flags:") {
					t.Errorf("%v --help: the usage line's [flags] and the Flags: section disagree:\n%s", args, out)
				}
			})
		}
	}
	walk(nil, commands())
	if code, _, _ := cli(t, nil); code != 2 {
		t.Fatalf("no arguments: exit %d, want 2", code)
	}
	if code, _, errOut := cli(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: exit %d %q", code, errOut)
	}
	if code, _, _ := cli(t, nil, "enterprise", "add", "--bogus"); code != 2 {
		t.Fatalf("unknown flag: exit %d, want 2", code)
	}
}

// dbs yields the database URLs the CLI tests run against.
func dbs(t *testing.T, fn func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "cli.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresURL(t)) })
}

func TestEnterpriseAndKeyCommands(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		vars := map[string]string{"TRACEGATE_DB": db}
		uscc := storetest.USCC(42)
		code, out, errOut := cli(t, vars, "enterprise", "add", "--uscc", uscc, "--name", "广州悦澳跨境贸易有限公司", "--name-en", "YueAo", "--role", "ecommerce,importer")
		if code != 0 {
			t.Fatalf("enterprise add: exit %d, stderr %q", code, errOut)
		}
		var ent tracegate.Enterprise
		if err := json.Unmarshal([]byte(out), &ent); err != nil || ent.USCC != uscc || len(ent.Roles) != 2 || ent.ID == 0 {
			t.Fatalf("enterprise add printed %q (%v)", out, err)
		}

		bad := []struct {
			name string
			args []string
			want string
		}{
			{"duplicate", []string{"enterprise", "add", "--uscc", uscc, "--name", "x", "--role", "lab"}, "already registered"},
			{"check character", []string{"enterprise", "add", "--uscc", uscc[:17] + "0", "--name", "x", "--role", "lab"}, "--uscc: "},
			{"short uscc", []string{"enterprise", "add", "--uscc", "123", "--name", "x", "--role", "lab"}, "18"},
			{"unknown role", []string{"enterprise", "add", "--uscc", storetest.USCC(43), "--name", "x", "--role", "lab,wizard"}, "--role: "},
			{"missing flags", []string{"enterprise", "add", "--name", "x"}, "required"},
			{"key for absent enterprise", []string{"apikey", "create", "--enterprise", "999", "--role", "lab"}, "no enterprise"},
			{"key for role not held", []string{"apikey", "create", "--enterprise", uscc, "--role", "regulator"}, "does not act"},
			{"revoke absent key", []string{"apikey", "revoke", "--id", "999"}, "no api key"},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				code, out, errOut := cli(t, vars, tt.args...)
				if code != 1 || out != "" || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
					t.Fatalf("%v = exit %d, stdout %q, stderr %q; want exit 1 and one line containing %q", tt.args, code, out, errOut, tt.want)
				}
			})
		}
		// Nothing half-written: still one enterprise.
		code, out, _ = cli(t, vars, "enterprise", "list", "--json")
		if code != 0 || strings.Count(out, "\n") != 1 {
			t.Fatalf("enterprise list --json = %d %q, want one line", code, out)
		}
		code, out, _ = cli(t, vars, "enterprise", "list", "--role", "importer")
		if code != 0 || !strings.Contains(out, uscc) {
			t.Fatalf("enterprise list --role importer = %d %q", code, out)
		}

		code, out, errOut = cli(t, vars, "apikey", "create", "--enterprise", uscc, "--role", "importer", "--label", "erp")
		key := strings.TrimSpace(out)
		if code != 0 || !tracegate.LooksLikeAPIKey(key) || strings.Count(out, "\n") != 1 {
			t.Fatalf("apikey create = %d stdout %q stderr %q; want the key alone on its line", code, out, errOut)
		}
		code, out, _ = cli(t, vars, "apikey", "list", "--enterprise", uscc)
		if code != 0 || !strings.Contains(out, key[:8]) || strings.Contains(out, key) {
			t.Fatalf("apikey list = %d %q; want the hint, never the key", code, out)
		}
		id := regexp.MustCompile(`(?m)^(\d+)\s`).FindStringSubmatch(out)
		if id == nil {
			t.Fatalf("apikey list: no id in %q", out)
		}
		if code, out, _ = cli(t, vars, "apikey", "revoke", id[1]); code != 0 || !strings.Contains(out, "revoked") {
			t.Fatalf("apikey revoke = %d %q", code, out)
		}
		if code, _, errOut = cli(t, vars, "apikey", "revoke", "--id", id[1]); code != 1 || !strings.Contains(errOut, "already revoked") {
			t.Fatalf("apikey revoke again = %d %q", code, errOut)
		}
		if code, out, _ = cli(t, vars, "migrate"); code != 0 || !regexp.MustCompile(`^schema version [1-9]\d*\n$`).MatchString(out) {
			t.Fatalf("migrate = %d %q", code, out)
		}
	})
}

func TestDatabaseErrors(t *testing.T) {
	tests := []struct {
		name string
		db   string
		want string
	}{
		{"unknown scheme", "mysql://root@localhost/x", "--db: unknown database"},
		{"malformed postgres DSN", "postgres://a b:c@::::/", "--db: malformed PostgreSQL DSN"},
		{"postgres unreachable", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", "cannot reach 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli(t, nil, "migrate", "--db", tt.db)
			if code != 1 || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("migrate --db %s = %d %q; want exit 1 and one line containing %q", tt.db, code, errOut, tt.want)
			}
		})
	}
}

// startInProcess runs a server command in-process and returns its base URL
// and a function that stops it and returns its exit code.
func startInProcess(t testing.TB, vars map[string]string, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	out, errb := &syncBuffer{}, &syncBuffer{}
	e := &env{stdout: out, stderr: errb, getenv: func(k string) string { return vars[k] }, ready: func(u string) { ready <- u }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, args) }()
	select {
	case base := <-ready:
		return base, out, func() int { cancel(); return <-done }
	case code := <-done:
		t.Fatalf("%v exited %d before listening: %s", args, code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("%v did not listen within 60 s: %s", args, errb.String())
	}
	cancel()
	return "", nil, nil
}

func TestServe(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		dataDir := t.TempDir()
		if isPostgres(db) { // a shared database: the node secrets come from init
			if code, _, errOut := cli(t, nil, "init", "--data-dir", dataDir); code != 0 {
				t.Fatalf("init: %s", errOut)
			}
		}
		base, _, stop := startInProcess(t, map[string]string{"TRACEGATE_DB": db, "TRACEGATE_DATA_DIR": dataDir}, "serve", "--addr", "127.0.0.1:0")
		for _, path := range []string{"/healthz", "/readyz", "/openapi.json", "/metrics"} {
			resp, err := http.Get(base + path)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET %s = %v, %v", path, resp, err)
			}
			resp.Body.Close()
		}
		if code := stop(); code != 0 {
			t.Fatalf("serve exited %d after shutdown, want 0", code)
		}
	})
}

func TestDemo(t *testing.T) {
	base, out, stop := startInProcess(t, nil, "demo", "--addr", "127.0.0.1:0")
	defer stop()
	m := regexp.MustCompile(`(?m)^\s+regulator\s+\S+\s+(tgk_\w+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("demo printed no regulator key:\n%s", out)
	}
	if !strings.Contains(out.String(), base+"/openapi.json") {
		t.Fatalf("demo did not print its URLs:\n%s", out)
	}
	req, _ := http.NewRequest("GET", base+"/api/enterprises", nil)
	req.Header.Set("Authorization", "Bearer "+m[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Enterprises []tracegate.Enterprise }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != 200 || len(list.Enterprises) < 9 {
		t.Fatalf("GET /api/enterprises as the demo regulator = %d, %d enterprises, %v", resp.StatusCode, len(list.Enterprises), err)
	}
	roles := map[tracegate.Role]bool{}
	for _, e := range list.Enterprises {
		for _, r := range e.Roles {
			roles[r] = true
		}
	}
	if len(roles) != len(tracegate.Roles) {
		t.Fatalf("demo enterprises cover roles %v, want all %d", roles, len(tracegate.Roles))
	}
	// Every printed product page answers, and the ledger holds every event.
	pages := regexp.MustCompile(`(?m)(http://\S+/01/\d{14})$`).FindAllStringSubmatch(out.String(), -1)
	if len(pages) < 5 {
		t.Fatalf("demo printed %d product pages:\n%s", len(pages), out)
	}
	for _, p := range pages {
		resp, err := http.Get(p[1])
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s = %v, %v", p[1], resp, err)
		}
		resp.Body.Close()
	}
	resp, err = http.Get(base + "/log/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	cp, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The ledger holds one leaf per event and per customs decision.
	m2 := regexp.MustCompile(`(\d+) EPCIS events`).FindStringSubmatch(out.String())
	m3 := regexp.MustCompile(`(\d+) declarations screened`).FindStringSubmatch(out.String())
	if m2 == nil || m3 == nil {
		t.Fatalf("demo did not report its events and declarations:\n%s", out)
	}
	events, _ := strconv.Atoi(m2[1])
	decls, _ := strconv.Atoi(m3[1])
	lines := strings.Split(string(cp), "\n")
	size, _ := strconv.Atoi(lines[1])
	if size < events+decls || events == 0 || decls == 0 {
		t.Fatalf("checkpoint of %d leaves does not cover %d events and %d declarations", size, events, decls)
	}
	checkDemoScanPages(t, base, out.String())
}

// checkDemoScanPages checks the demo's labelled items end to end: every
// printed scan page answers; the delivered tin of formula the README links
// shows all 21 items and all 8 steps from recorded data, and its issuance
// proof verifies offline with `tracegate verify --label`; the suspected copy
// and the batch under a risk notice say so.
func checkDemoScanPages(t *testing.T, base, out string) {
	t.Helper()
	pages := regexp.MustCompile(`(?m)(http://\S+/l/\w{21})$`).FindAllStringSubmatch(out, -1)
	if len(pages) < 8 {
		t.Fatalf("demo printed %d scan pages:\n%s", len(pages), out)
	}
	get := func(url, accept string) []byte {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %s %s", url, resp.Status, b)
		}
		return b
	}
	for _, p := range pages {
		if html := get(p[1], "text/html"); !bytes.Contains(html, []byte(`id="item-21"`)) {
			t.Fatalf("%s is not a scan page", p[1])
		}
	}
	view := func(code label.Code) label.ScanView {
		var v label.ScanView
		if err := json.Unmarshal(get(base+"/l/"+code.Compact(), "application/json"), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	delivered := demo.DemoCode(1)
	if !strings.Contains(out, "/l/"+delivered.Compact()) {
		t.Fatalf("the demo does not print the README's item %s", delivered.Compact())
	}
	v := view(delivered)
	for i, it := range v.Items {
		if !it.Recorded {
			t.Errorf("item %d (%s) of the delivered demo item is not recorded", i+1, it.Label)
		}
	}
	for _, st := range v.Timeline {
		if !st.Recorded {
			t.Errorf("step %s of the delivered demo item is not recorded", st.Step)
		}
	}
	if v.Authenticity.Status != label.AuthGenuine || v.Proof.Status != label.ProofIncluded {
		t.Errorf("delivered demo item: %+v, proof %+v", v.Authenticity, v.Proof)
	}
	// The buyer shows to the regulator, never to the warehouse that bound the
	// label (it sent no document of the declaration), nor to a consumer.
	keyOf := func(role string) string {
		m := regexp.MustCompile(`(?m)^\s+` + role + `\s+\S+\s+(tgk_\w+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("demo printed no %s key", role)
		}
		return m[1]
	}
	restricted := func(key string) *label.Restricted {
		req, _ := http.NewRequest("GET", base+"/l/"+delivered.Compact(), nil)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v label.ScanView
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v.Restricted
	}
	if r := restricted(keyOf("regulator")); r == nil || r.BuyerName == "" || r.BuyerAddress == "" {
		t.Errorf("the regulator's view of the delivered item: %+v", r)
	}
	if r := restricted(keyOf("warehouse")); r != nil && (r.BuyerName != "" || r.BuyerIDNo != "" || r.BuyerPhone != "") {
		t.Errorf("the warehouse that bound the label sees the buyer: %+v", r)
	}
	if v.Restricted != nil {
		t.Errorf("a consumer sees restricted data: %+v", v.Restricted)
	}
	if v := view(demo.DemoCode(0)); v.Authenticity.Status != label.AuthSuspected {
		t.Errorf("the demo's copied label is %+v", v.Authenticity)
	}
	if v := view(demo.DemoCode(3*6 + 5)); len(v.Notices) == 0 || v.Notices[0].Kind != label.NoticeRiskNotice {
		t.Errorf("the demo's batch under a risk notice shows %+v", v.Notices)
	}
	page := html.UnescapeString(string(get(base+"/l/"+delivered.Compact(), "text/html")))
	m := regexp.MustCompile(`--vkey '([^']+)'`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the scan page shows no verifier key")
	}
	vkey := m[1]
	if code, stdout, stderr := cli(t, nil, "verify", "--vkey", vkey, "--label", delivered.String(), base+"/l/"+delivered.Compact()+"/proof"); code != 0 ||
		!strings.Contains(stdout, "is in the proven issuance leaf") {
		t.Fatalf("tracegate verify --label = %d %s %s", code, stdout, stderr)
	}
	if code, _, _ := cli(t, nil, "verify", "--vkey", vkey, "--label", demo.DemoCode(7).String(), base+"/l/"+delivered.Compact()+"/proof"); code != 1 {
		t.Fatalf("tracegate verify with another label's code = %d; want 1", code)
	}
}

// TestSignalShutdown runs the real binary and stops it with SIGTERM and
// SIGINT: it must exit 0 after a graceful shutdown.
func TestSignalShutdown(t *testing.T) {
	bin := binary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			var logs syncBuffer
			cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(dir, "t.db"))
			cmd.Stderr = &logs
			cmd.Env = append(os.Environ(), "TRACEGATE_DATA_DIR="+dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(logs.String(), `"msg":"listening"`) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("server did not start: %s", logs.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("after %v: %v\n%s", sig, err, logs.String())
			}
			if !strings.Contains(logs.String(), `"msg":"stopped"`) {
				t.Fatalf("no graceful stop in logs: %s", logs.String())
			}
		})
	}
}
