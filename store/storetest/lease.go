package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"tracegate/lease"
	"tracegate/ledger"
)

// testLeases checks the singleton leases: one holder at a time, a token that
// grows at each change of holder, takeover after expiry or release, and
// fencing: a write under a stale token is refused and stores nothing.
func testLeases(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := NewClock()
	s := open(t, clock)
	ls, ok := s.(lease.Store)
	if !ok {
		t.Fatalf("%T does not implement lease.Store", s)
	}
	cps, ok := s.(ledger.Store)
	if !ok {
		t.Fatalf("%T does not implement ledger.Store", s)
	}
	const ttl = 300 * time.Millisecond
	// expire lets ttl pass on the database's clock (PostgreSQL) and on the
	// store's clock (SQLite).
	expire := func() { time.Sleep(ttl + 50*time.Millisecond); clock.Advance(ttl + 50*time.Millisecond) }

	t1, err := ls.AcquireLease(ctx, "checkpoint", "node-a", ttl)
	if err != nil || t1 < 1 {
		t.Fatalf("AcquireLease(a) = %d, %v; want a token", t1, err)
	}
	if _, err := ls.AcquireLease(ctx, "checkpoint", "node-b", ttl); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("AcquireLease(b) while a holds = %v, want ErrHeld", err)
	}
	if _, err := ls.AcquireLease(ctx, "checkpoint", "node-a", ttl); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("AcquireLease(a) twice = %v, want ErrHeld (a holder renews)", err)
	}
	if tok, err := ls.AcquireLease(ctx, "sweep", "node-b", ttl); err != nil || tok < 1 {
		t.Fatalf("AcquireLease(other name) = %d, %v", tok, err)
	}
	if err := ls.RenewLease(ctx, "checkpoint", "node-a", t1, ttl); err != nil {
		t.Fatalf("RenewLease(a) = %v", err)
	}
	if err := ls.RenewLease(ctx, "checkpoint", "node-b", t1, ttl); !errors.Is(err, lease.ErrStale) {
		t.Fatalf("RenewLease(b, a's token) = %v, want ErrStale", err)
	}
	// A fenced write under the current token goes through.
	fa := lease.WithFence(ctx, lease.Fence{Name: "checkpoint", Token: t1})
	if err := cps.SaveCheckpoint(fa, 1, []byte("checkpoint of size 1\n")); err != nil {
		t.Fatalf("SaveCheckpoint under the current token = %v", err)
	}

	expire()
	if err := ls.RenewLease(ctx, "checkpoint", "node-a", t1, ttl); !errors.Is(err, lease.ErrStale) {
		t.Fatalf("RenewLease after expiry = %v, want ErrStale", err)
	}
	t2, err := ls.AcquireLease(ctx, "checkpoint", "node-b", ttl)
	if err != nil || t2 <= t1 {
		t.Fatalf("AcquireLease(b) after expiry = %d, %v; want a token > %d", t2, err, t1)
	}
	// The stale holder's write is refused and stores nothing.
	if err := cps.SaveCheckpoint(fa, 2, []byte("stale checkpoint\n")); !errors.Is(err, lease.ErrStale) {
		t.Fatalf("SaveCheckpoint under a stale token = %v, want ErrStale", err)
	}
	all, err := cps.Checkpoints(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("Checkpoints = %d, %v; want only the one written under the current token", len(all), err)
	}
	fb := lease.WithFence(ctx, lease.Fence{Name: "checkpoint", Token: t2})
	if err := cps.SaveCheckpoint(fb, 2, []byte("checkpoint of size 2\n")); err != nil {
		t.Fatalf("SaveCheckpoint under the new token = %v", err)
	}

	// Release hands over at once, with a larger token again.
	if err := ls.ReleaseLease(ctx, "checkpoint", "node-a", t1); err != nil {
		t.Fatalf("ReleaseLease by a stale holder = %v, want a no-op", err)
	}
	if _, err := ls.AcquireLease(ctx, "checkpoint", "node-a", ttl); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("a stale holder's release freed the lease: %v", err)
	}
	if err := ls.ReleaseLease(ctx, "checkpoint", "node-b", t2); err != nil {
		t.Fatalf("ReleaseLease = %v", err)
	}
	t3, err := ls.AcquireLease(ctx, "checkpoint", "node-a", ttl)
	if err != nil || t3 <= t2 {
		t.Fatalf("AcquireLease after release = %d, %v; want a token > %d", t3, err, t2)
	}
	list, err := ls.Leases(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "checkpoint" || list[0].Holder != "node-a" || list[0].Token != t3 || !list[0].Held {
		t.Fatalf("Leases = %+v, %v", list, err)
	}
}
