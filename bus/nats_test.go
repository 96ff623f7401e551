package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
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
