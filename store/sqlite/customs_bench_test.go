package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// BenchmarkCustoms: declarations screened per second against 1,000,000
// buyers' quota history on SQLite, in the shapes of
// storetest.CustomsBenchCases (docs/BENCHMARKS.md). Run with -benchtime=Nx
// (N declarations).
func BenchmarkCustoms(b *testing.B) {
	for _, c := range storetest.CustomsBenchCases {
		b.Run(c.Name, func(b *testing.B) {
			s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchCustoms(b, s, c.PerMessage, c.PerTx)
		})
	}
}
