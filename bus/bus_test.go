package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, subject string
		want             bool
	}{
		{"tracegate.measure.>", "tracegate.measure.recall.ordered", true},
		{"tracegate.measure.>", "tracegate.measure", false},
		{"tracegate.measure.*.ordered", "tracegate.measure.recall.ordered", true},
		{"tracegate.measure.*.ordered", "tracegate.measure.recall.status", false},
		{"tracegate.cache.key", "tracegate.cache.key", true},
		{"tracegate.cache.key", "tracegate.cache.keys", false},
		{"tracegate.>", "tracegate.cache.key", true},
		{"tracegate.*", "tracegate.cache.key", false},
		{">", "a", true},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.subject); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.subject, got, tt.want)
		}
	}
}

func TestValidPattern(t *testing.T) {
	for _, p := range []string{"a.b", "a.*", "a.>", ">", "a.*.c"} {
		if !validPattern(p) {
			t.Errorf("validPattern(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"", "a..b", "a.>.c", "a b", "a.b*", "a.>x", "."} {
		if validPattern(p) {
			t.Errorf("validPattern(%q) = true, want false", p)
		}
	}
}

func TestMemory(t *testing.T) {
	testBus(t, func(t *testing.T) (Bus, string) {
		b := &Memory{} // the zero Memory is ready for use
		t.Cleanup(func() { b.Close() })
		return b, "tracegate"
	})
}

// collector records the messages a handler received.
type collector struct {
	mu   sync.Mutex
	got  []Message
	wake chan struct{}
}

func newCollector() *collector { return &collector{wake: make(chan struct{}, 1000)} }

func (c *collector) handle(ctx context.Context, m Message) error {
	c.mu.Lock()
	c.got = append(c.got, m)
	c.mu.Unlock()
	c.wake <- struct{}{}
	return nil
}

func (c *collector) ids() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.got))
	for i, m := range c.got {
		out[i] = m.ID
	}
	return out
}

// waitN waits until c holds n messages, or fails t after 5 s.
func (c *collector) waitN(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		have := len(c.got)
		c.mu.Unlock()
		if have >= n {
			return
		}
		select {
		case <-c.wake:
		case <-deadline:
			t.Fatalf("received %d messages (%v), want %d", have, c.ids(), n)
		}
	}
}

// quiet asserts c receives nothing more than n in the next moment.
func (c *collector) quiet(t *testing.T, n int) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	if got := c.ids(); len(got) != n {
		t.Fatalf("received %v, want %d messages", got, n)
	}
}

// testBus is the behaviour every Bus shares. newBus returns a fresh bus and
// the first token of the subjects it carries.
func testBus(t *testing.T, newBus func(t *testing.T) (Bus, string)) {
	ctx := context.Background()
	msg := func(prefix, rest, id string) Message {
		return Message{ID: id, Subject: prefix + "." + rest, Payload: []byte(`{"id":"` + id + `"}`), At: time.Now().UTC().Truncate(time.Millisecond)}
	}

	t.Run("fan-out", func(t *testing.T) {
		b, p := newBus(t)
		a, c := newCollector(), newCollector()
		ua, err := b.Subscribe(ctx, Subscription{Pattern: p + ".measure.>"}, a.handle)
		if err != nil {
			t.Fatal(err)
		}
		defer ua()
		uc, err := b.Subscribe(ctx, Subscription{Pattern: p + ".measure.*.ordered"}, c.handle)
		if err != nil {
			t.Fatal(err)
		}
		defer uc()
		for i, rest := range []string{"measure.recall.ordered", "measure.recall.status", "cache.key", "measure.stop_sale.ordered"} {
			if err := b.Publish(ctx, msg(p, rest, fmt.Sprint("m", i))); err != nil {
				t.Fatal(err)
			}
		}
		a.waitN(t, 3)
		c.waitN(t, 2)
		a.quiet(t, 3)
		c.quiet(t, 2)
		if got := fmt.Sprint(c.ids()); got != "[m0 m3]" {
			t.Errorf("ordered subscriber got %s, want [m0 m3]", got)
		}
		a.mu.Lock()
		m := a.got[0]
		a.mu.Unlock()
		if m.Subject != p+".measure.recall.ordered" || string(m.Payload) != `{"id":"m0"}` || m.At.IsZero() {
			t.Errorf("delivered %+v, want subject, payload and time as published", m)
		}
	})

	t.Run("duplicates", func(t *testing.T) {
		b, p := newBus(t)
		c := newCollector()
		u, err := b.Subscribe(ctx, Subscription{Pattern: p + ".>"}, c.handle)
		if err != nil {
			t.Fatal(err)
		}
		defer u()
		for range 3 {
			if err := b.Publish(ctx, msg(p, "cache.key", "same")); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Publish(ctx, msg(p, "cache.key", "other")); err != nil {
			t.Fatal(err)
		}
		c.waitN(t, 2)
		c.quiet(t, 2)
	})

	t.Run("durable shared and kept", func(t *testing.T) {
		b, p := newBus(t)
		s := Subscription{Pattern: p + ".measure.>", Durable: "notify"}
		c1, c2 := newCollector(), newCollector()
		u1, err := b.Subscribe(ctx, s, c1.handle)
		if err != nil {
			t.Fatal(err)
		}
		u2, err := b.Subscribe(ctx, s, c2.handle)
		if err != nil {
			t.Fatal(err)
		}
		const n = 20
		for i := range n {
			if err := b.Publish(ctx, msg(p, "measure.recall.progress", fmt.Sprint("d", i))); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(c1.ids())+len(c2.ids()) < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		seen := map[string]int{}
		for _, id := range append(c1.ids(), c2.ids()...) {
			seen[id]++
		}
		if len(seen) != n {
			t.Fatalf("the durable's subscribers received %d distinct messages, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("message %s delivered %d times, want once", id, k)
			}
		}
		// While nobody listens, the durable keeps what is published.
		u1()
		u2()
		if err := b.Publish(ctx, msg(p, "measure.recall.status", "while-away")); err != nil {
			t.Fatal(err)
		}
		c3 := newCollector()
		u3, err := b.Subscribe(ctx, s, c3.handle)
		if err != nil {
			t.Fatal(err)
		}
		defer u3()
		c3.waitN(t, 1)
		if got := c3.ids()[0]; got != "while-away" {
			t.Errorf("the returning subscriber got %s, want while-away", got)
		}
	})

	t.Run("durable redelivers on error", func(t *testing.T) {
		b, p := newBus(t)
		var mu sync.Mutex
		tries := 0
		done := make(chan Message, 1)
		u, err := b.Subscribe(ctx, Subscription{Pattern: p + ".measure.>", Durable: "flaky"}, func(ctx context.Context, m Message) error {
			mu.Lock()
			defer mu.Unlock()
			tries++
			if tries < 3 {
				return errors.New("not now")
			}
			done <- m
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer u()
		if err := b.Publish(ctx, msg(p, "measure.recall.ordered", "retry-me")); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-done:
			if m.ID != "retry-me" {
				t.Errorf("redelivered %s, want retry-me", m.ID)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the failed message was not redelivered")
		}
		mu.Lock()
		if tries != 3 {
			t.Errorf("handled %d times, want 3", tries)
		}
		mu.Unlock()
	})

	t.Run("durable in order", func(t *testing.T) {
		b, p := newBus(t)
		s := Subscription{Pattern: p + ".measure.>", Durable: "inorder", InOrder: true}
		var mu sync.Mutex
		var order []string
		busy, failed := false, false
		h := func(ctx context.Context, m Message) error {
			mu.Lock()
			if busy {
				order = append(order, "overlap")
			}
			busy = true
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			busy = false
			if m.ID == "o1" && !failed {
				failed = true
				return errors.New("once")
			}
			order = append(order, m.ID)
			return nil
		}
		for range 2 {
			u, err := b.Subscribe(ctx, s, h)
			if err != nil {
				t.Fatal(err)
			}
			defer u()
		}
		for i := range 4 {
			if err := b.Publish(ctx, msg(p, "measure.recall.status", fmt.Sprint("o", i))); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			n := len(order)
			mu.Unlock()
			if n >= 4 || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		if got := fmt.Sprint(order); got != "[o0 o1 o2 o3]" {
			t.Errorf("an in-order durable handled %s, want [o0 o1 o2 o3] one at a time, o1 retried before o2", got)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		b, p := newBus(t)
		if _, err := b.Subscribe(ctx, Subscription{Pattern: p + "..x"}, newCollector().handle); err == nil {
			t.Error("Subscribe with an empty token succeeded")
		}
		if _, err := b.Subscribe(ctx, Subscription{Pattern: p + ".>", Durable: "a.b"}, newCollector().handle); err == nil {
			t.Error("Subscribe with a dotted durable name succeeded")
		}
		if err := b.Publish(ctx, Message{ID: "x", Subject: p + ".*"}); err == nil {
			t.Error("Publish to a wildcard succeeded")
		}
		if err := b.Publish(ctx, Message{Subject: p + ".cache.key"}); err == nil {
			t.Error("Publish without an ID succeeded")
		}
		if err := b.Check(ctx); err != nil {
			t.Errorf("Check = %v, want nil", err)
		}
	})

	t.Run("closed", func(t *testing.T) {
		b, p := newBus(t)
		b.Close()
		if err := b.Publish(ctx, msg(p, "cache.key", "late")); err == nil {
			t.Error("Publish on a closed bus succeeded")
		}
		if err := b.Check(ctx); err == nil {
			t.Error("Check on a closed bus = nil")
		}
	})
}
