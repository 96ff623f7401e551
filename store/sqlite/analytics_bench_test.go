package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// TestAnalyticsBench is barcode analytics over TRACEGATE_BENCH_ANALYTICS
// generated lines beside a bare GROUP BY (storetest.AnalyticsBench), in
// TRACEGATE_BENCH_DIR or a temporary directory.
func TestAnalyticsBench(t *testing.T) {
	n := storetest.AnalyticsBenchLines(t)
	dir := os.Getenv("TRACEGATE_BENCH_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "analytics-bench.db")
	os.Remove(path)
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.AnalyticsBench(t, s, n)
}
