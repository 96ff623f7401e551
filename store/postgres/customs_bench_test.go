package postgres_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// BenchmarkCustoms: declarations screened per second against 1,000,000
// buyers' quota history on PostgreSQL, in the shapes of
// storetest.CustomsBenchCases (docs/BENCHMARKS.md). Run with -benchtime=Nx
// (N declarations).
func BenchmarkCustoms(b *testing.B) {
	for _, c := range storetest.CustomsBenchCases {
		b.Run(c.Name, func(b *testing.B) {
			storetest.BenchCustoms(b, storetest.OpenPostgres(b, tracegate.SystemClock{}), c.PerMessage, c.PerTx)
		})
	}
}
