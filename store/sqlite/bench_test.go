package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// BenchmarkCapture: a 10,000-event document on SQLite (docs/BENCHMARKS.md).
func BenchmarkCapture(b *testing.B) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCapture(b, s)
}

// BenchmarkMatchEPC: MATCH_epc on 1,000,000 events (docs/BENCHMARKS.md).
func BenchmarkMatchEPC(b *testing.B) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "million.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchMatchEPC(b, s, 1_000_000)
}

// BenchmarkLabels: issuing 1,000,000 codes and binding 100,000 (docs/BENCHMARKS.md).
func BenchmarkLabels(b *testing.B) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "labels.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchLabels(b, s)
}
