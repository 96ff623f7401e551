package postgres_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// BenchmarkBusDelivery: commit into the outbox to delivery on another
// subscriber, Memory and NATS (docs/BENCHMARKS.md).
func BenchmarkBusDelivery(b *testing.B) {
	for _, kind := range []string{"memory", "nats"} {
		b.Run(kind, func(b *testing.B) {
			s := storetest.OpenPostgres(b, tracegate.SystemClock{})
			pub, sub, prefix := storetest.BusPair(b, kind)
			storetest.BenchBusDelivery(b, s, pub, sub, prefix)
		})
	}
}
