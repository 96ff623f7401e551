package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// BenchmarkCustoms: declarations screened per second against 1,000,000
// buyers' quota history on SQLite, one document per message and 100 per
// message (docs/BENCHMARKS.md). Run with -benchtime=Nx (N declarations).
func BenchmarkCustoms(b *testing.B) {
	for _, per := range []int{1, 100} {
		b.Run(map[int]string{1: "1-per-message", 100: "100-per-message"}[per], func(b *testing.B) {
			s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchCustoms(b, s, per)
		})
	}
}
