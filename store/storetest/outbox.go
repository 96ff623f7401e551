package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"tracegate"
	"tracegate/bus"
)

// testOutbox checks the outbox and its relay: committed messages published
// once, in order, after a crash, by concurrent relays; uncommitted ones
// never; published ones pruned.
func testOutbox(t *testing.T, open Opener) {
	ctx := context.Background()
	outbox := func(t *testing.T) (bus.Outbox, *FixedClock) {
		clock := NewClock()
		s := open(t, clock)
		o, ok := s.(bus.Outbox)
		if !ok {
			t.Fatalf("%T does not implement bus.Outbox", s)
		}
		return o, clock
	}
	msg := func(i int) bus.Message {
		return bus.Message{ID: fmt.Sprintf("msg-%03d", i), Subject: "tracegate.measure.recall.ordered", Payload: []byte(fmt.Sprintf(`{"n":%d}`, i))}
	}
	// drain relays everything and returns what publish was given.
	drain := func(t *testing.T, o bus.Outbox) []bus.Message {
		t.Helper()
		var got []bus.Message
		for {
			n, err := o.RelayOutbox(ctx, 3, func(ctx context.Context, msgs []bus.Message) (int, error) {
				got = append(got, msgs...)
				return len(msgs), nil
			})
			if err != nil {
				t.Fatalf("RelayOutbox = %v", err)
			}
			if n == 0 {
				return got
			}
		}
	}

	t.Run("order and idempotence", func(t *testing.T) {
		o, clock := outbox(t)
		woken := 0
		o.OnOutboxCommit(func() { woken++ })
		if err := o.AppendOutbox(ctx, msg(1), msg(2)); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
		m3 := msg(3)
		m3.At = at
		if err := o.AppendOutbox(ctx, m3, msg(1)); err != nil { // msg 1 again: kept once
			t.Fatal(err)
		}
		if err := o.AppendOutbox(ctx, bus.Message{Subject: "tracegate.cache.key", Payload: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if woken != 3 {
			t.Errorf("OnOutboxCommit's function ran %d times, want 3 (once per commit)", woken)
		}
		got := drain(t, o)
		if len(got) != 4 {
			t.Fatalf("relayed %d messages, want 4", len(got))
		}
		for i, want := range []string{"msg-001", "msg-002", "msg-003"} {
			if got[i].ID != want {
				t.Errorf("message %d = %s, want %s (outbox order)", i, got[i].ID, want)
			}
		}
		if got[0].Subject != "tracegate.measure.recall.ordered" || string(got[0].Payload) != `{"n":1}` || !got[0].At.Equal(clock.Now().Truncate(time.Microsecond)) {
			t.Errorf("relayed %+v, want the subject, payload and the write's time", got[0])
		}
		if !got[2].At.Equal(at) {
			t.Errorf("message 3's time = %v, want %v as given", got[2].At, at)
		}
		if got[3].ID == "" || got[3].Subject != "tracegate.cache.key" {
			t.Errorf("a message appended without an ID relayed as %+v, want a new ID", got[3])
		}
		if again := drain(t, o); len(again) != 0 {
			t.Errorf("after marking, relayed %d more messages, want none", len(again))
		}
		// A message published once stays published when appended again.
		if err := o.AppendOutbox(ctx, msg(2)); err != nil {
			t.Fatal(err)
		}
		if again := drain(t, o); len(again) != 0 {
			t.Errorf("re-appending a published message relayed it again: %v", again)
		}
	})

	t.Run("uncommitted never published", func(t *testing.T) {
		o, _ := outbox(t)
		woken := 0
		o.OnOutboxCommit(func() { woken++ })
		err := o.AppendOutbox(ctx, msg(1), bus.Message{ID: "bad", Subject: "tracegate.measure.>"})
		if tracegate.ErrorCode(err) != tracegate.EINVALID {
			t.Fatalf("AppendOutbox with a wildcard subject = %v, want EINVALID", err)
		}
		if got := drain(t, o); len(got) != 0 {
			t.Errorf("a rolled-back transaction's messages were relayed: %v", got)
		}
		if woken != 0 {
			t.Errorf("OnOutboxCommit's function ran after a rollback")
		}
	})

	t.Run("crash between publish and mark", func(t *testing.T) {
		o, _ := outbox(t)
		b := bus.NewMemory()
		defer b.Close()
		var mu sync.Mutex
		delivered := map[string]int{}
		unsub, err := b.Subscribe(ctx, bus.Subscription{Pattern: "tracegate.>"}, func(ctx context.Context, m bus.Message) error {
			mu.Lock()
			delivered[m.ID]++
			mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer unsub()
		for i := range 5 {
			if err := o.AppendOutbox(ctx, msg(i)); err != nil {
				t.Fatal(err)
			}
		}
		// The relay publishes the first three and dies before its store
		// marks anything.
		errCrash := errors.New("killed")
		n, err := o.RelayOutbox(ctx, 10, func(ctx context.Context, msgs []bus.Message) (int, error) {
			for _, m := range msgs[:3] {
				if err := b.Publish(ctx, m); err != nil {
					return 0, err
				}
			}
			return 0, errCrash
		})
		if n != 0 || !errors.Is(err, errCrash) {
			t.Fatalf("RelayOutbox = %d, %v; want 0, the publisher's error", n, err)
		}
		// After a failure half-way, the sent part is marked.
		n, err = o.RelayOutbox(ctx, 10, func(ctx context.Context, msgs []bus.Message) (int, error) {
			return 1, b.Publish(ctx, msgs[0]) // msg 0 again, then "the bus went down"
		})
		if n != 1 || err != nil {
			t.Fatalf("RelayOutbox = %d, %v; want 1, nil", n, err)
		}
		// The restarted relay publishes the rest; the bus drops what it had.
		r := bus.NewRelay(o, b, nil)
		if n, err := r.RunOnce(ctx); n != 4 || err != nil {
			t.Fatalf("RunOnce after the restart = %d, %v; want 4, nil", n, err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			k := len(delivered)
			mu.Unlock()
			if k == 5 || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		for i := range 5 {
			if id := msg(i).ID; delivered[id] != 1 {
				t.Errorf("message %s delivered %d times, want once", id, delivered[id])
			}
		}
	})

	t.Run("concurrent relays", func(t *testing.T) {
		o, _ := outbox(t)
		const n = 120
		var mu sync.Mutex
		published := map[string]int{}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					_, err := o.RelayOutbox(ctx, 7, func(ctx context.Context, msgs []bus.Message) (int, error) {
						mu.Lock()
						for _, m := range msgs {
							published[m.ID]++
						}
						mu.Unlock()
						time.Sleep(time.Millisecond) // as a network round trip would
						return len(msgs), nil
					})
					if err != nil {
						t.Errorf("RelayOutbox = %v", err)
						return
					}
					select {
					case <-stop:
						return
					default:
					}
				}
			}()
		}
		for i := range n {
			if err := o.AppendOutbox(ctx, msg(i)); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(100 * time.Millisecond)
		close(stop)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, m := range drain(t, o) { // anything appended after the relays' last look
			published[m.ID]++
		}
		for i := range n {
			if id := msg(i).ID; published[id] != 1 {
				t.Errorf("message %s published %d times by concurrent relays, want once", id, published[id])
			}
		}
	})

	t.Run("prune", func(t *testing.T) {
		o, clock := outbox(t)
		if err := o.AppendOutbox(ctx, msg(1), msg(2)); err != nil {
			t.Fatal(err)
		}
		drain(t, o) // published at clock.Now()
		clock.Advance(time.Hour)
		if err := o.AppendOutbox(ctx, msg(3)); err != nil {
			t.Fatal(err)
		}
		if n, err := o.PruneOutbox(ctx, clock.Now().Add(-30*time.Minute)); n != 2 || err != nil {
			t.Fatalf("PruneOutbox = %d, %v; want 2, nil", n, err)
		}
		if n, err := o.PruneOutbox(ctx, clock.Now().Add(time.Hour)); n != 0 || err != nil {
			t.Fatalf("PruneOutbox over an unpublished message = %d, %v; want 0, nil", n, err)
		}
		if got := drain(t, o); len(got) != 1 || got[0].ID != "msg-003" {
			t.Errorf("after pruning, relayed %v, want msg-003", got)
		}
	})

	t.Run("relay woken by the commit", func(t *testing.T) {
		o, _ := outbox(t)
		b := bus.NewMemory()
		defer b.Close()
		got := make(chan bus.Message, 1)
		unsub, err := b.Subscribe(ctx, bus.Subscription{Pattern: "tracegate.cache.>"}, func(ctx context.Context, m bus.Message) error {
			got <- m
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		defer unsub()
		r := bus.NewRelay(o, b, nil)
		r.Poll = time.Hour // only the commit's notify can wake it
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { r.Run(rctx); close(done) }()
		defer func() { cancel(); <-done }()
		time.Sleep(20 * time.Millisecond) // the first, empty round
		m, err := bus.NewMessage("tracegate.cache.apikey", map[string]string{"key": "k1"})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := o.AppendOutbox(ctx, m); err != nil {
			t.Fatal(err)
		}
		select {
		case d := <-got:
			if d.ID != m.ID {
				t.Errorf("delivered %s, want %s", d.ID, m.ID)
			}
			t.Logf("commit to delivery: %v", time.Since(start))
		case <-time.After(2 * time.Second):
			t.Fatal("the relay was not woken by the commit")
		}
	})
}
