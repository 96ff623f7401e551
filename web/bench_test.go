package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"tracegate"
	"tracegate/label"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// BenchmarkMe measures an authenticated GET /api/me through the full
// middleware stack (request ID, access log to a JSON handler, metrics,
// bearer-key authentication, policy, store lookup of the enterprise, JSON
// encoding) against a bare net/http handler that writes a similar JSON body,
// both over real loopback HTTP in the same run. docs/BENCHMARKS.md records
// the ratio bare ns/op ÷ full ns/op (target ≥ 0.7).
func BenchmarkMe(b *testing.B) {
	body := []byte(`{"enterprise":{"id":1,"uscc":"91310000MA0000001X","name":"企业","roles":["platform"],"status":"active"},"role":"platform","keyId":1}` + "\n")
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	b.Run("bare", func(b *testing.B) { benchGet(b, bare, "") })

	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	e := &tracegate.Enterprise{USCC: storetest.USCC(1), Name: "企业", Roles: []tracegate.Role{tracegate.RolePlatform}}
	if err := s.CreateEnterprise(ctx, e); err != nil {
		b.Fatal(err)
	}
	_, secret, err := tracegate.IssueAPIKey(ctx, s, e, tracegate.RolePlatform, "")
	if err != nil {
		b.Fatal(err)
	}
	full := New(Config{Store: s, Logger: slog.New(LogHandler{slog.NewJSONHandler(io.Discard, nil)})})
	b.Run("full", func(b *testing.B) { benchGet(b, full, secret) })
}

func benchGet(b *testing.B, h http.Handler, key string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	url := srv.URL + "/api/me"
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", url, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		for pb.Next() {
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkScanHandler measures GET /l/{code} (JSON, anonymous, the scan
// recorded) in process on SQLite with 20,000 labels bound at intake: the
// per-scan cost without HTTP, for profiling. The HTTP benchmark with a
// million labels is cmd/tracegate's BenchmarkScan.
func BenchmarkScanHandler(b *testing.B) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "scan.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	svc, p, prod := storetest.LabelService(b, s, tracegate.SystemClock{}, 1, "9421902960031")
	_, codes, err := svc.Issue(ctx, p, 20_000, "", false)
	if err != nil {
		b.Fatal(err)
	}
	req := &label.IntakeRequest{GTIN: prod.GTIN, Batch: "B1", ProductionDate: "2026-08-01", ExpiryDate: "2028-07-31"}
	for _, c := range codes {
		req.Codes = append(req.Codes, c.String())
	}
	if _, err := svc.Intake(ctx, p, req, nil); err != nil {
		b.Fatal(err)
	}
	// one client network looks up every code: no network limit
	srv := New(Config{Store: s, Labels: svc, Logger: slog.New(LogHandler{slog.NewJSONHandler(io.Discard, nil)}), ScanNetworkLimit: 1 << 30, UnknownCodeLimit: 1 << 30})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r := httptest.NewRequest("GET", "/l/"+codes[i%len(codes)].Compact(), nil)
			r.Header.Set("Accept", "application/json")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("status %d", w.Code)
			}
			i += 7919
		}
	})
}
