package main

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tracegate/bus"
	"tracegate/internal/natstest"
)

// TestOutboxSurvivesKill: a measure message is committed while the node's
// NATS is down, so its relay cannot publish it; the node is killed
// (SIGKILL) before it could. After NATS and the node come back, the message
// is published once, and the outbox marks it published.
func TestOutboxSurvivesKill(t *testing.T) {
	nsrv := natstest.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	t.Setenv("TRACEGATE_NATS", nsrv.URL()) // the binary reads it
	node := startServer(t, db, dir)

	s, _, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := bus.NewMessage("tracegate.measure.recall.ordered", map[string]string{"id": "M9", "owner": "91350100M000100Y43"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendOutbox(ctx, m); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // the relay tries at its poll, and fails
	node.cmd.Process.Kill()
	node.cmd.Wait()

	nsrv.Start()
	sub, err := bus.NewNATS(ctx, bus.NATSConfig{URL: nsrv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for deadline := time.Now().Add(10 * time.Second); sub.Check(ctx) != nil; {
		if time.Now().After(deadline) {
			t.Fatal("the private NATS did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var mu sync.Mutex
	got := map[string]int{}
	unsub, err := sub.Subscribe(ctx, bus.Subscription{Pattern: "tracegate.measure.>"}, func(ctx context.Context, d bus.Message) error {
		mu.Lock()
		got[d.ID]++
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer unsub()

	node = startServer(t, db, dir)
	defer func() { node.cmd.Process.Kill(); node.cmd.Wait() }()
	for deadline := time.Now().Add(15 * time.Second); ; {
		mu.Lock()
		n := got[m.ID]
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // a second publication would arrive by now
	mu.Lock()
	if got[m.ID] != 1 || len(got) != 1 {
		t.Errorf("after the restart the bus delivered %v, want %s once", got, m.ID)
	}
	mu.Unlock()
	left := 0
	if _, err := s.RelayOutbox(ctx, 10, func(ctx context.Context, msgs []bus.Message) (int, error) {
		left = len(msgs)
		return 0, nil
	}); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d messages still unpublished in the outbox, want 0", left)
	}
}
