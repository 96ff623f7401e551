package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tracegate/store/storetest"
)

// scanBenchItems is how many bound labels the scan benchmark resolves
// among (issue 6: 1,000,000); TRACEGATE_BENCH_SCAN_ITEMS overrides it for
// quicker runs.
func scanBenchItems() int {
	if n, err := strconv.Atoi(os.Getenv("TRACEGATE_BENCH_SCAN_ITEMS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkScan measures scan resolution over HTTP against a `tracegate
// serve` process whose store holds scanBenchItems() labels bound at intake:
// the throughput of GET /l/{code} as JSON and as HTML (each scan recorded)
// with 16 concurrent clients, as a ratio to a hello-world handler measured
// the same way in the same run; latency at a fixed 1,000 requests/s; and the
// server's peak RSS. Setting up issues the labels and binds them over the
// API (100,000 per call), which also times those.
func BenchmarkScan(b *testing.B) {
	n := scanBenchItems()
	dir := b.TempDir()
	db := "sqlite:" + filepath.Join(dir, "scan.db")
	key := enterpriseKey(b, db, storetest.USCC(92), "优链保税仓", "warehouse,ecommerce", "ecommerce")
	srv := startServerB(b, db, filepath.Join(dir, "data"))
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	post := func(path, body string) *http.Response {
		req, _ := http.NewRequest("POST", srv.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		return resp
	}
	if resp := post("/api/products", `{"gtin":"09421902960031","name":"a2 Platinum Stage 1","nameZh":"a2 白金版婴儿配方奶粉 1段","brand":"a2","specification":"900g","hsCode":"1901101000","originCountry":"NZ","manufacturer":"Synlait"}`); resp.StatusCode != 201 {
		b.Fatalf("file product: %s", resp.Status)
	}
	start := time.Now()
	resp := post("/api/labels/requests", fmt.Sprintf(`{"count":%d}`, n))
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) != n+1 {
		b.Fatalf("labels: %d rows, %v", len(rows), err)
	}
	issueSecs := time.Since(start).Seconds()
	codes := make([]string, n)
	for i, r := range rows[1:] {
		codes[i] = strings.ReplaceAll(r[0], "-", "")
	}
	rows = nil
	start = time.Now()
	for lo := 0; lo < n; lo += 100_000 {
		body, _ := json.Marshal(map[string]any{"codes": codes[lo:min(n, lo+100_000)], "gtin": "09421902960031", "batch": "LNZ2609",
			"productionDate": "2026-09-01", "expiryDate": "2028-08-31"})
		resp := post("/api/labels/intake", string(body))
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("intake: %s", resp.Status)
		}
	}
	bindSecs := time.Since(start).Seconds()
	b.Logf("issued %d labels in %.1f s over HTTP (CSV answer included); bound them at intake in %.1f s (%.1f s per 100,000)",
		n, issueSecs, bindSecs, bindSecs*100_000/float64(n))

	hello := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") }))
	defer hello.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(url, accept string) (time.Duration, error) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Accept", accept)
		req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return time.Since(t0), nil
	}
	scanURL := func(rnd *rand.Rand) string { return srv.base + "/l/" + codes[rnd.IntN(n)] }
	// closed loop: 16 clients for d, requests per second.
	closed := func(d time.Duration, url func(*rand.Rand) string, accept string) float64 {
		var count atomic.Int64
		var wg sync.WaitGroup
		stop := time.Now().Add(d)
		for w := range 16 {
			wg.Go(func() {
				rnd := rand.New(rand.NewPCG(uint64(w), 7))
				for time.Now().Before(stop) {
					if _, err := get(url(rnd), accept); err != nil {
						b.Error(err)
						return
					}
					count.Add(1)
				}
			})
		}
		wg.Wait()
		return float64(count.Load()) / d.Seconds()
	}
	// open loop: rate requests/s for d, latencies of all.
	open := func(rate int, d time.Duration, accept string) []time.Duration {
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		rnd := rand.New(rand.NewPCG(1, 2))
		for end := time.Now().Add(d); time.Now().Before(end); {
			<-tick.C
			url := scanURL(rnd)
			wg.Go(func() {
				l, err := get(url, accept)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				lat = append(lat, l)
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(lat)
		return lat
	}
	pct := func(lat []time.Duration, p float64) float64 {
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000
	}
	setupPeak := peakRSS(srv.cmd.Process.Pid)
	for b.Loop() {
		helloRPS := closed(5*time.Second, func(*rand.Rand) string { return hello.URL }, "text/plain")
		jsonRPS := closed(10*time.Second, scanURL, "application/json")
		htmlRPS := closed(10*time.Second, scanURL, "text/html")
		lat := open(1000, 10*time.Second, "application/json")
		rss := procStatusMiB(srv.cmd.Process.Pid, "VmRSS:") // after the scan load
		peak := peakRSS(srv.cmd.Process.Pid)
		b.ReportMetric(jsonRPS, "json-req/s")
		b.ReportMetric(htmlRPS, "html-req/s")
		b.ReportMetric(jsonRPS/helloRPS, "json/hello")
		b.ReportMetric(htmlRPS/helloRPS, "html/hello")
		b.ReportMetric(pct(lat, 0.99), "p99-ms@1000/s")
		if resp, err := http.Get(srv.base + "/metrics"); err == nil {
			m, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, line := range strings.Split(string(m), "\n") {
				for _, name := range []string{"go_memstats_heap_inuse_bytes ", "go_memstats_sys_bytes ", "process_resident_memory_bytes "} {
					if strings.HasPrefix(line, name) {
						v, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
						b.Logf("server %s%.0f MiB", name, v/(1<<20))
					}
				}
			}
		}
		b.ReportMetric(rss, "server-RSS-MiB")
		b.ReportMetric(peak, "server-peak-RSS-MiB")
		b.Logf("%d bound labels: hello %.0f req/s; scan JSON %.0f req/s (%.2f), HTML %.0f req/s (%.2f); at 1,000 req/s (%d sent) p50 %.2f ms p99 %.2f ms; server RSS after the scans %.0f MiB, peak %.0f MiB (%.0f MiB by the end of the set-up: issuing and binding)",
			n, helloRPS, jsonRPS, jsonRPS/helloRPS, htmlRPS, htmlRPS/helloRPS, len(lat), pct(lat, 0.5), pct(lat, 0.99), rss, peak, setupPeak)
	}
}
