package postgres_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// BenchmarkCapture: a 10,000-event document on PostgreSQL (docs/BENCHMARKS.md).
func BenchmarkCapture(b *testing.B) {
	storetest.BenchCapture(b, storetest.OpenPostgres(b, tracegate.SystemClock{}))
}

// BenchmarkMatchEPC: MATCH_epc on 1,000,000 events (docs/BENCHMARKS.md).
func BenchmarkMatchEPC(b *testing.B) {
	storetest.BenchMatchEPC(b, storetest.OpenPostgres(b, tracegate.SystemClock{}), 1_000_000)
}

// BenchmarkLabels: issuing 1,000,000 codes and binding 100,000 (docs/BENCHMARKS.md).
func BenchmarkLabels(b *testing.B) {
	storetest.BenchLabels(b, storetest.OpenPostgres(b, tracegate.SystemClock{}))
}
