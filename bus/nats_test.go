package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// testNATS returns the NATS URL for tests, skipping when
// TRACEGATE_TEST_NATS is unset (CI sets it).
func testNATS(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TRACEGATE_TEST_NATS")
	if u == "" {
		t.Skip("TRACEGATE_TEST_NATS not set")
	}
	return u
}

// newTestNATS connects a bus to its own stream over its own subjects
// ("t<random>.>"), deleted at the end of the test, so runs never collide.
func newTestNATS(t testing.TB) (*NATS, string) {
	t.Helper()
	url := testNATS(t)
	var r [6]byte
	rand.Read(r[:])
	prefix := "t" + hex.EncodeToString(r[:])
	b, err := NewNATS(context.Background(), NATSConfig{URL: url, Stream: "TEST_" + prefix, Subjects: []string{prefix + ".>"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(context.Background()); err != nil {
		t.Fatalf("NATS at %s: %v", url, err)
	}
	t.Cleanup(func() {
		b.js.DeleteStream(context.Background(), b.cfg.Stream)
		b.Close()
	})
	return b, prefix
}

func TestNATS(t *testing.T) {
	testBus(t, func(t *testing.T) (Bus, string) {
		b, p := newTestNATS(t)
		return b, p
	})
}

// TestNATSNamespace: two deployments on one NATS, in two namespaces, do
// not see each other's messages, and subscribers see tracegate.… subjects.
func TestNATSNamespace(t *testing.T) {
	url := testNATS(t)
	ctx := context.Background()
	var buses [2]*NATS
	var got [2]*collector
	for i := range buses {
		var r [6]byte
		rand.Read(r[:])
		ns := "t" + hex.EncodeToString(r[:])
		b, err := NewNATS(ctx, NATSConfig{URL: url, Namespace: ns})
		if err != nil {
			t.Fatal(err)
		}
		if b.cfg.Stream != strings.ToUpper(ns) {
			t.Errorf("stream = %s, want %s", b.cfg.Stream, strings.ToUpper(ns))
		}
		t.Cleanup(func() {
			b.js.DeleteStream(context.Background(), b.cfg.Stream)
			b.Close()
		})
		buses[i], got[i] = b, newCollector()
		u, err := b.Subscribe(ctx, Subscription{Pattern: "tracegate.measure.>"}, got[i].handle)
		if err != nil {
			t.Fatal(err)
		}
		defer u()
	}
	if err := buses[0].Publish(ctx, Message{ID: "ns-1", Subject: "tracegate.measure.recall.ordered", Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	got[0].waitN(t, 1)
	got[1].quiet(t, 0)
	got[0].mu.Lock()
	if s := got[0].got[0].Subject; s != "tracegate.measure.recall.ordered" {
		t.Errorf("delivered subject %q, want tracegate.measure.recall.ordered", s)
	}
	got[0].mu.Unlock()
	if _, err := NewNATS(ctx, NATSConfig{URL: url, Namespace: "a.b"}); err == nil {
		t.Error("NewNATS with a dotted namespace succeeded")
	}
}
