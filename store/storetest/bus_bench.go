package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"tracegate/bus"
)

// BusPair returns two buses that share messages, as two nodes would: one the
// relay publishes on, one another subscriber listens on, and the first
// token of the subjects they carry. kind "memory" is one in-process bus
// twice; "nats" is two connections to TRACEGATE_TEST_NATS over a stream of
// the test's own, deleted afterwards (skipped when the variable is unset).
func BusPair(tb testing.TB, kind string) (pub, sub bus.Bus, prefix string) {
	tb.Helper()
	if kind == "memory" {
		m := bus.NewMemory()
		tb.Cleanup(func() { m.Close() })
		return m, m, "tracegate"
	}
	url := os.Getenv("TRACEGATE_TEST_NATS")
	if url == "" {
		tb.Skip("TRACEGATE_TEST_NATS not set")
	}
	var r [6]byte
	rand.Read(r[:])
	prefix = "t" + hex.EncodeToString(r[:])
	cfg := bus.NATSConfig{URL: url, Stream: "TEST_" + prefix, Subjects: []string{prefix + ".>"}}
	ctx := context.Background()
	a, err := bus.NewNATS(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := bus.NewNATS(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		a.Close()
		b.Close()
		if nc, err := nats.Connect(url); err == nil {
			if js, err := jetstream.New(nc); err == nil {
				js.DeleteStream(context.Background(), cfg.Stream)
			}
			nc.Close()
		}
	})
	for _, x := range []bus.Bus{a, b} {
		if err := x.Check(ctx); err != nil {
			tb.Fatalf("NATS at %s: %v", url, err)
		}
	}
	return a, b, prefix
}

// BenchBusDelivery measures the time from the commit of a message into the
// outbox to its delivery to a subscriber on another bus connection (another
// node on NATS), through the relay woken by the commit: one message at a
// time, b.N times. The reference measured in the same run is the commit
// alone (AppendOutbox returning). It reports the p50 and p99 of both.
func BenchBusDelivery(b *testing.B, o bus.Outbox, pub, sub bus.Bus, prefix string) {
	ctx := context.Background()
	got := make(chan string, 1)
	unsub, err := sub.Subscribe(ctx, bus.Subscription{Pattern: prefix + ".cache.>"}, func(ctx context.Context, m bus.Message) error {
		got <- m.ID
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	defer unsub()
	r := bus.NewRelay(o, pub, nil)
	r.Poll = time.Hour // the commit's notify alone wakes it
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { r.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(50 * time.Millisecond)
	commit := make([]time.Duration, 0, b.N)
	deliver := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		m := bus.Message{ID: fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i), Subject: prefix + ".cache.apikey", Payload: []byte(`{"kind":"apikey","keys":["k"]}`)}
		start := time.Now()
		if err := o.AppendOutbox(ctx, m); err != nil {
			b.Fatal(err)
		}
		commit = append(commit, time.Since(start))
		select {
		case id := <-got:
			if id != m.ID {
				b.Fatalf("delivered %s, want %s", id, m.ID)
			}
		case <-time.After(5 * time.Second):
			b.Fatalf("message %d not delivered within 5 s", i)
		}
		deliver = append(deliver, time.Since(start))
	}
	b.StopTimer()
	q := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(commit, 0.5), "commit-p50-ms")
	b.ReportMetric(q(commit, 0.99), "commit-p99-ms")
	b.ReportMetric(q(deliver, 0.5), "deliver-p50-ms")
	b.ReportMetric(q(deliver, 0.99), "deliver-p99-ms")
}
