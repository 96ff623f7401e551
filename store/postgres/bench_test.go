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
