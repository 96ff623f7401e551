package postgres_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// BenchmarkCustoms: declarations screened per second against 1,000,000
// buyers' quota history on PostgreSQL, one document per message and 100 per
// message (docs/BENCHMARKS.md). Run with -benchtime=Nx (N declarations).
func BenchmarkCustoms(b *testing.B) {
	for _, per := range []int{1, 100} {
		b.Run(map[int]string{1: "1-per-message", 100: "100-per-message"}[per], func(b *testing.B) {
			storetest.BenchCustoms(b, storetest.OpenPostgres(b, tracegate.SystemClock{}), per)
		})
	}
}
