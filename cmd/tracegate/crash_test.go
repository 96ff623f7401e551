package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tracegate/ledger"
	"tracegate/store/storetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the tracegate binary once per test process.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tracegate-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tracegate")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is a tracegate serve process.
type server struct {
	cmd  *exec.Cmd
	base string
}

func startServer(t *testing.T, db, dataDir string) *server { return startServerB(t, db, dataDir) }

// startServerB starts a serve process for a test or a benchmark.
func startServerB(t testing.TB, db, dataDir string) *server {
	t.Helper()
	if isPostgres(db) { // a shared database: the node secrets come from init (kept when present)
		if out, err := exec.Command(binary(t), "init", "--data-dir", dataDir).CombinedOutput(); err != nil {
			t.Fatalf("init: %v %s", err, out)
		}
	}
	cmd := exec.Command(binary(t), "serve", "--addr", "127.0.0.1:0", "--db", db, "--data-dir", dataDir)
	stderr, _ := cmd.StderrPipe() // JSON logs: the "listening" line names the URL
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sent := false
		for sc.Scan() {
			var line struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" && !sent {
				urlc <- line.URL
				sent = true
			}
		}
	}()
	select {
	case u := <-urlc:
		return &server{cmd: cmd, base: u}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not start")
	}
	return nil
}

func TestCrashDuringCaptureBurst(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			l := newLedgerDB(t, backend) // 8 logged events and a checkpoint
			vars := map[string]string{"TRACEGATE_DB": l.db}
			_, key, errOut := cli(t, vars, "apikey", "create", "--enterprise", storetest.USCC(88), "--role", "warehouse")
			key = strings.TrimSpace(key)
			if key == "" {
				t.Fatal(errOut)
			}
			acked := map[string]bool{} // serials whose capture was acknowledged
			var mu sync.Mutex
			serial := 0
			for round := range 3 {
				srv := startServer(t, l.db, l.dataDir)
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for w := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						client := &http.Client{Timeout: 5 * time.Second}
						for i := 0; ; i++ {
							select {
							case <-stop:
								return
							default:
							}
							mu.Lock()
							serial++
							sn := fmt.Sprintf("K%dW%dN%d", round, w, serial)
							mu.Unlock()
							doc := fmt.Sprintf(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-11-21T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.%s"],"action":"OBSERVE","bizStep":"receiving"}]}}`, sn)
							req, _ := http.NewRequest("POST", srv.base+"/epcis/capture", strings.NewReader(doc))
							req.Header.Set("Content-Type", "application/ld+json")
							req.Header.Set("Authorization", "Bearer "+key)
							resp, err := client.Do(req)
							if err != nil {
								return // the server died
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode == http.StatusAccepted {
								mu.Lock()
								acked[sn] = true
								mu.Unlock()
							}
						}
					}()
				}
				time.Sleep(time.Duration(400+300*round) * time.Millisecond)
				srv.cmd.Process.Signal(syscall.SIGKILL)
				srv.cmd.Wait()
				close(stop)
				wg.Wait()
			}
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n < 10 {
				t.Fatalf("only %d captures were acknowledged before the kills", n)
			}

			// Restart: every acknowledged event is there exactly once, the
			// log holds exactly the events, the audit is clean, proofs verify.
			srv := startServer(t, l.db, l.dataDir)
			defer func() { srv.cmd.Process.Signal(syscall.SIGTERM); srv.cmd.Wait() }()
			total := 0
			tok := ""
			seen := map[string]int{}
			for {
				u := srv.base + "/epcis/events?perPage=1000"
				if tok != "" {
					u += "&nextPageToken=" + url.QueryEscape(tok)
				}
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("Authorization", "Bearer "+key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var qd struct {
					EpcisBody struct {
						QueryResults struct {
							ResultsBody struct{ EventList []struct{ EpcList []string } }
						}
					}
				}
				json.NewDecoder(resp.Body).Decode(&qd)
				resp.Body.Close()
				for _, e := range qd.EpcisBody.QueryResults.ResultsBody.EventList {
					for _, epc := range e.EpcList {
						seen[epc[strings.LastIndex(epc, ".")+1:]]++
					}
					total++
				}
				link := resp.Header.Get("Link")
				if link == "" {
					break
				}
				next, _ := url.Parse(strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`))
				tok = next.Query().Get("nextPageToken")
			}
			for sn := range acked {
				if seen[sn] != 1 {
					t.Errorf("acknowledged capture %s is stored %d times", sn, seen[sn])
				}
			}
			for sn, c := range seen {
				if c != 1 {
					t.Errorf("event %s stored %d times", sn, c)
				}
			}
			// No capture job is left running by the kills: the restart
			// finished each from what its transaction committed.
			st, _, err := openStore(context.Background(), l.db)
			if err != nil {
				t.Fatal(err)
			}
			for id := int64(1); ; id++ {
				job, err := st.FindCaptureJob(context.Background(), id)
				if err != nil {
					break
				}
				if job.Running {
					t.Errorf("capture job %d is still running after the restart: %+v", id, job)
				}
			}
			st.Close()
			// Wait for a checkpoint covering every leaf, then audit.
			deadline := time.Now().Add(20 * time.Second)
			for {
				resp, err := http.Get(srv.base + "/log/checkpoint")
				if err == nil {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					lines := strings.Split(string(b), "\n")
					if len(lines) > 2 && lines[1] == fmt.Sprint(total) {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("no checkpoint of %d leaves was published", total)
				}
				time.Sleep(200 * time.Millisecond)
			}
			if code, out := l.audit(t); code != 0 || !strings.Contains(out, fmt.Sprintf("ok: %d leaves", total)) {
				t.Fatalf("audit after %d crashes = %d %q (%d events, %d acknowledged)", 3, code, out, total, n)
			}
			// A proof of one acknowledged event verifies offline.
			_, vkey, err := ledger.LoadOrCreateKey(l.dataDir, ledger.DefaultOrigin)
			if err != nil {
				t.Fatal(err)
			}
			var some string
			for sn := range acked {
				some = sn
				break
			}
			req, _ := http.NewRequest("GET", srv.base+"/epcis/events?MATCH_epc="+url.QueryEscape("urn:epc:id:sgtin:9506000.013435."+some), nil)
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var one struct {
				EpcisBody struct {
					QueryResults struct {
						ResultsBody struct{ EventList []struct{ EventID string } }
					}
				}
			}
			json.NewDecoder(resp.Body).Decode(&one)
			resp.Body.Close()
			id := one.EpcisBody.QueryResults.ResultsBody.EventList[0].EventID
			code, out, errOut := cli(t, nil, "verify", "--vkey", vkey, srv.base+"/log/proof/event/"+url.PathEscape(id))
			if code != 0 || !strings.Contains(out, "epcis-event") {
				t.Fatalf("verify = %d %q %q", code, out, errOut)
			}
			t.Logf("%s: %d captures acknowledged across 3 SIGKILLs; %d events stored, all logged, audit clean", backend, n, total)
		})
	}
}
