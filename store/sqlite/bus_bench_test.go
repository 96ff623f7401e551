package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// BenchmarkBusDelivery: commit into the outbox to delivery on another
// subscriber, Memory and NATS (docs/BENCHMARKS.md).
func BenchmarkBusDelivery(b *testing.B) {
	for _, kind := range []string{"memory", "nats"} {
		b.Run(kind, func(b *testing.B) {
			s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "bus.db")})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			pub, sub, prefix := storetest.BusPair(b, kind)
			storetest.BenchBusDelivery(b, s, pub, sub, prefix)
		})
	}
}
