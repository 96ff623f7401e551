package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate/store/storetest"
)

// writeDoc writes an EPCIS JSON-LD document of about size bytes to path,
// streaming, and returns its event count.
func writeDoc(t testing.TB, path string, size int64, prefix string) int {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[`)
	var written int64
	n := 0
	for ; written < size; n++ {
		if n > 0 {
			w.WriteByte(',')
		}
		k, _ := fmt.Fprintf(w, `{"type":"ObjectEvent","eventTime":"2026-11-20T10:%02d:%02d.%03d+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.%s%d"],"action":"OBSERVE","bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizLocation":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:9520123456788:PO%d"}]}`,
			(n/60000)%60, (n/1000)%60, n%1000, prefix, n, n/100)
		written += int64(k)
	}
	w.WriteString(`]}}`)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return n
}

// enterpriseKey registers an enterprise with roles in the database db
// through the CLI and returns a new API key of it acting in role.
func enterpriseKey(b testing.TB, db, uscc, name, roles, role string) string {
	b.Helper()
	vars := map[string]string{"TRACEGATE_DB": db}
	if code, _, errOut := cliB(b, vars, "enterprise", "add", "--uscc", uscc, "--name", name, "--role", roles); code != 0 {
		b.Fatal(errOut)
	}
	code, key, errOut := cliB(b, vars, "apikey", "create", "--enterprise", uscc, "--role", role)
	if code != 0 {
		b.Fatal(errOut)
	}
	return strings.TrimSpace(key)
}

// peakRSS reads a process's peak resident set size in MiB.
func peakRSS(pid int) float64 { return procStatusMiB(pid, "VmHWM:") }

// procStatusMiB reads a size field (kB) of /proc/PID/status in MiB.
func procStatusMiB(pid int, field string) float64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkLargeDocumentMemory imports a 200 MB document into a server
// process with `tracegate epcis import` (streaming, batches), then captures
// a 40 MB document in one request, and reports the server's peak RSS.
func BenchmarkLargeDocumentMemory(b *testing.B) {
	dir := b.TempDir()
	db := "sqlite:" + filepath.Join(dir, "mem.db")
	key := enterpriseKey(b, db, storetest.USCC(91), "仓", "warehouse", "warehouse")
	big, medium := filepath.Join(dir, "big.jsonld"), filepath.Join(dir, "medium.jsonld")
	nBig := writeDoc(b, big, 200<<20, "B")
	nMed := writeDoc(b, medium, 40<<20, "M") // under the 100,000-event capture limit
	for b.Loop() {
		srv := startServerB(b, db, filepath.Join(dir, "data"))
		start := time.Now()
		if code, out, errOut := cliB(b, nil, "epcis", "import", "--server", srv.base, "--key", key, "--batch", "5000", big); code != 0 {
			b.Fatalf("import: %s %s", out, errOut)
		}
		importSecs := time.Since(start).Seconds()
		f, _ := os.Open(medium)
		req, _ := http.NewRequest("POST", srv.base+"/epcis/capture", f)
		req.Header.Set("Content-Type", "application/ld+json")
		req.Header.Set("Authorization", "Bearer "+key)
		start = time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 202 {
			b.Fatalf("capture 40 MB: %v %v", resp, err)
		}
		resp.Body.Close()
		f.Close()
		captureSecs := time.Since(start).Seconds()
		rss := peakRSS(srv.cmd.Process.Pid)
		srv.cmd.Process.Kill()
		srv.cmd.Wait()
		b.ReportMetric(rss, "server-peak-RSS-MiB")
		b.ReportMetric(float64(nBig)/importSecs, "import-events/s")
		b.ReportMetric(float64(nMed)/captureSecs, "capture-events/s")
		b.Logf("200 MB: %d events imported in %.0f s; 40 MB: %d events captured in one request in %.0f s; server peak RSS %.0f MiB", nBig, importSecs, nMed, captureSecs, rss)
	}
}
