package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startWithStderr is startInProcess returning the command's stderr.
func startWithStderr(t *testing.T, vars map[string]string, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	out, errb := &syncBuffer{}, &syncBuffer{}
	e := &env{stdout: out, stderr: errb, getenv: func(k string) string { return vars[k] }, ready: func(u string) { ready <- u }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, args) }()
	select {
	case base := <-ready:
		return base, errb, func() int { cancel(); return <-done }
	case code := <-done:
		t.Fatalf("%v exited %d before listening: %s", args, code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("%v did not listen within 60 s: %s", args, errb.String())
	}
	cancel()
	return "", nil, nil
}

// TestDemoBusyPort: an address asked for that is busy is an error, by flag
// or by TRACEGATE_ADDR; the demo never silently moves it.
func TestDemoBusyPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	for _, tc := range []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"flag", nil, []string{"demo", "--addr", addr}},
		{"env", map[string]string{"TRACEGATE_ADDR": addr}, []string{"demo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Bounded: a demo that moved to another port would serve until
			// its context ends.
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var stdout, stderr syncBuffer
			e := &env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return tc.vars[k] },
				ready: func(base string) { t.Errorf("demo listens on %s with %s busy", base, addr); cancel() }}
			code := run(ctx, e, tc.args)
			out, errOut := stdout.String(), stderr.String()
			if code != 1 || !strings.Contains(errOut, "cannot listen on "+addr) || strings.Contains(out, "demo is running") {
				t.Fatalf("%v with %s busy = exit %d, stdout %q, stderr %q; want exit 1 and 'cannot listen on %s'", tc.args, addr, code, out, errOut, addr)
			}
		})
	}
}

// TestDemoDefaultPortMoves: only the default address gives way to a free
// port when busy, and the demo says so.
func TestDemoDefaultPortMoves(t *testing.T) {
	held, err := net.Listen("tcp", defaultAddr)
	if err != nil && !errors.Is(err, syscall.EADDRINUSE) {
		t.Skipf("cannot make %s busy: %v", defaultAddr, err)
	}
	if held != nil {
		defer held.Close()
	}
	base, errb, stop := startWithStderr(t, nil, "demo")
	defer stop()
	if base == "http://"+defaultAddr {
		t.Fatalf("demo listens on the busy %s", defaultAddr)
	}
	if held != nil {
		// stderr is checked only when this test holds the port itself.
		if got := errb.String(); !strings.Contains(got, "Port "+defaultAddr+" is busy: the demo listens on "+strings.TrimPrefix(base, "http://")) {
			t.Fatalf("demo stderr %q does not say it moved", got)
		}
	}
}

// TestDemoChecksItsOwnData: the demo prints the exact audit and verify
// commands for its own data and both pass while it runs; its labels point at
// the demo itself; without --keep its data is gone after exit, with --keep
// it stays.
func TestDemoChecksItsOwnData(t *testing.T) {
	for _, keep := range []bool{false, true} {
		name := "temporary"
		args := []string{"demo", "--addr", "127.0.0.1:0"}
		if keep {
			name = "keep"
			args = append(args, "--keep")
		}
		t.Run(name, func(t *testing.T) {
			base, out, stop := startInProcess(t, nil, args...)
			text := out.String()
			auditLine := regexp.MustCompile(`(?m)^\s+tracegate (audit --db '([^']+)' --data-dir '([^']+)')$`).FindStringSubmatch(text)
			verifyLine := regexp.MustCompile(`(?m)^\s+tracegate verify --vkey '([^']+)' --label (\S+) (\S+)$`).FindStringSubmatch(text)
			if auditLine == nil || verifyLine == nil {
				stop()
				t.Fatalf("demo printed no audit and verify commands:\n%s", text)
			}
			dir := auditLine[3]
			if code, stdout, stderr := cli(t, nil, "audit", "--db", auditLine[2], "--data-dir", dir); code != 0 || !strings.Contains(stdout, "audit: ok") {
				t.Errorf("printed audit = %d %q %q", code, stdout, stderr)
			}
			// Its checkpoints need the log's key: elsewhere the audit refuses.
			elsewhere := filepath.Join(t.TempDir(), "none")
			if code, _, stderr := cli(t, nil, "audit", "--db", auditLine[2], "--data-dir", elsewhere); code != 1 || !strings.Contains(stderr, "no key at "+filepath.Join(elsewhere, "ledger.key")) {
				t.Errorf("audit without the key = %d %q", code, stderr)
			}
			if _, err := os.Stat(elsewhere); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("audit created %s", elsewhere)
			}
			if code, stdout, stderr := cli(t, nil, "verify", "--vkey", verifyLine[1], "--label", verifyLine[2], verifyLine[3]); code != 0 {
				t.Errorf("printed verify = %d %q %q", code, stdout, stderr)
			}
			// Without --vkey, verify says what is missing; --fetch-vkey takes the
			// key from the server and prints its fingerprint.
			if code, _, stderr := cli(t, nil, "verify", "--label", verifyLine[2], verifyLine[3]); code != 1 ||
				!strings.Contains(stderr, "--vkey: missing") || !strings.Contains(stderr, base+"/log/vkey") {
				t.Errorf("verify without --vkey = %d %q", code, stderr)
			}
			if code, stdout, stderr := cli(t, nil, "verify", "--fetch-vkey", "--label", verifyLine[2], verifyLine[3]); code != 0 ||
				!strings.Contains(stderr, "fingerprint "+vkeyFingerprint(verifyLine[1])) || !strings.Contains(stdout, "commitment") {
				t.Errorf("verify --fetch-vkey = %d %q %q", code, stdout, stderr)
			}
			// The customs tables the demo loaded read back.
			if code, stdout, stderr := cli(t, nil, "customs", "tables", "show", "--db", auditLine[2]); code != 0 || !strings.Contains(stdout, "positive-list") || !strings.Contains(stdout, "tariff") {
				t.Errorf("customs tables show = %d %q %q", code, stdout, stderr)
			}
			if code, stdout, stderr := cli(t, nil, "customs", "tables", "show", "--db", auditLine[2], "--kind", "tariff"); code != 0 || !strings.HasPrefix(stdout, "hs,duty_rate") {
				t.Errorf("customs tables show --kind tariff = %d %q %q", code, stdout, stderr)
			}
			if code, _, stderr := cli(t, nil, "customs", "tables", "show", "--db", auditLine[2], "--kind", "nope"); code != 1 || !strings.Contains(stderr, "--kind: unknown table kind") {
				t.Errorf("customs tables show --kind nope = %d %q", code, stderr)
			}
			// The label's own URL (what its QR holds) is on the demo.
			key := regexp.MustCompile(`(?m)^\s+regulator\s+\S+\s+(tgk_\w+)$`).FindStringSubmatch(text)
			req, _ := http.NewRequest("GET", base+"/api/labels/"+verifyLine[2], nil)
			req.Header.Set("Authorization", "Bearer "+key[1])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var info struct{ URL string }
			err = json.NewDecoder(resp.Body).Decode(&info)
			resp.Body.Close()
			if err != nil || !strings.HasPrefix(info.URL, base+"/l/") {
				t.Errorf("label URL = %q (%v), want it on the demo %s", info.URL, err, base)
			}
			if code := stop(); code != 0 {
				t.Fatalf("demo exited %d", code)
			}
			_, err = os.Stat(filepath.Join(dir, "tracegate.db"))
			if keep {
				if err != nil {
					t.Errorf("--keep: %v", err)
				}
				os.RemoveAll(dir)
			} else if !errors.Is(err, os.ErrNotExist) {
				t.Errorf("without --keep the demo left %s (%v)", dir, err)
			}
		})
	}
}

// TestCheckersCreateNothing: audit, log vkey and the listing commands with
// default flags refuse a missing database or key and create nothing.
func TestCheckersCreateNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	abs, _ := filepath.Abs(defaultDataDir)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"audit"}, "no database at " + filepath.Join(abs, "tracegate.db")},
		{[]string{"log", "vkey"}, "no key at " + filepath.Join(abs, "ledger.key")},
		{[]string{"enterprise", "list"}, "no database at "},
		{[]string{"apikey", "list", "--enterprise", "1"}, "no database at "},
		{[]string{"enterprise", "codes", "list", "--enterprise", "1"}, "no database at "},
		{[]string{"customs", "sweep"}, "no database at "},
		{[]string{"customs", "tables", "show"}, "no database at "},
		{[]string{"verify", "proof.txt"}, "--vkey: missing"},
		{[]string{"verify", "--fetch-vkey", "proof.txt"}, "is a file, not a URL"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := cli(t, nil, tc.args...)
			if code != 1 || out != "" || !strings.Contains(errOut, tc.want) {
				t.Fatalf("%v = exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, out, errOut, tc.want)
			}
			if _, err := os.Stat(defaultDataDir); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%v created %s", tc.args, defaultDataDir)
			}
		})
	}
	// An existing database without checkpoints or events needs no key: the
	// audit checks it and still creates nothing.
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	if code, _, errOut := cli(t, nil, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	keys := filepath.Join(dir, "keys")
	if code, out, errOut := cli(t, nil, "audit", "--db", db, "--data-dir", keys); code != 0 || !strings.Contains(out, "audit: ok: 0 leaves") {
		t.Fatalf("audit of an empty database without a key = %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(keys); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("audit created %s", keys)
	}
	// Told to create, log vkey makes the key.
	if code, out, errOut := cli(t, nil, "log", "vkey", "--data-dir", keys, "--create"); code != 0 || !strings.Contains(out, "+") {
		t.Fatalf("log vkey --create = %d %q %q", code, out, errOut)
	}
}

// TestLocalURL: a demo listening on every interface prints, and points its
// labels at, a loopback URL this machine opens.
func TestLocalURL(t *testing.T) {
	for _, tc := range []struct {
		addr *net.TCPAddr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8081}, "http://[::1]:8081"},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.10"), Port: 80}, "http://192.168.1.10:80"},
	} {
		if got := localURL(tc.addr); got != tc.want {
			t.Errorf("localURL(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
