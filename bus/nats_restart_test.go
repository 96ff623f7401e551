package bus

import (
	"context"
	"testing"
	"time"

	"tracegate/internal/natstest"
)

// waitReady waits until b.Check passes, or fails the test after 15 s.
func waitReady(t *testing.T, b Bus) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := b.Check(context.Background())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bus did not become ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNATSRestart starts the bus before its server, then kills the server
// and starts it again: the bus connects, makes its stream and
// subscriptions when the server comes, refuses to publish while it is down
// (the outbox keeps the message), and both kinds of subscription carry on
// after the restart.
func TestNATSRestart(t *testing.T) {
	srv := natstest.New(t)
	ctx := context.Background()
	b, err := NewNATS(ctx, NATSConfig{URL: srv.URL()})
	if err != nil {
		t.Fatalf("NewNATS with the server down = %v, want a bus that keeps trying", err)
	}
	defer b.Close()
	if err := b.Check(ctx); err == nil {
		t.Fatal("Check with the server down = nil")
	}
	durable, fan := newCollector(), newCollector()
	ud, err := b.Subscribe(ctx, Subscription{Pattern: "tracegate.measure.>", Durable: "restart"}, durable.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer ud()
	uf, err := b.Subscribe(ctx, Subscription{Pattern: "tracegate.>"}, fan.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer uf()

	srv.Start()
	waitReady(t, b)
	m := func(id string) Message {
		return Message{ID: id, Subject: "tracegate.measure.recall.status", Payload: []byte(`{}`), At: time.Now()}
	}
	publish := func(id string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := b.Publish(ctx, m(id))
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("Publish(%s) = %v", id, err)
			}
			time.Sleep(100 * time.Millisecond) // the subscriptions are being made
		}
	}
	// The subscriptions are made within a second of the server coming up.
	time.Sleep(1500 * time.Millisecond)
	publish("before")
	durable.waitN(t, 1)
	fan.waitN(t, 1)

	srv.Stop()
	if err := b.Publish(ctx, m("while-down")); err == nil {
		t.Fatal("Publish with the server down = nil, want an error (the outbox keeps the message)")
	}
	if err := b.Check(ctx); err == nil {
		t.Fatal("Check with the server down = nil")
	}
	srv.Start()
	waitReady(t, b)
	publish("after")
	durable.waitN(t, 2)
	fan.waitN(t, 2)
	durable.quiet(t, 2)
	if got := durable.ids(); got[0] != "before" || got[1] != "after" {
		t.Errorf("the durable subscriber got %v, want [before after]", got)
	}
}
