package lease

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memStore is a lease.Store in memory with its own clock, which can be made
// to fail like an unreachable database for one holder.
type memStore struct {
	mu     sync.Mutex
	leases map[string]Lease
	down   map[string]bool // holders whose calls fail
}

var errDown = errors.New("database unreachable")

func (m *memStore) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[holder] {
		return 0, errDown
	}
	l, ok := m.leases[name]
	if ok && l.Expires.After(time.Now()) {
		return 0, Held(name)
	}
	l = Lease{Name: name, Holder: holder, Token: l.Token + 1, Expires: time.Now().Add(ttl)}
	m.leases[name] = l
	return l.Token, nil
}

func (m *memStore) RenewLease(ctx context.Context, name, holder string, token int64, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down[holder] {
		return errDown
	}
	l := m.leases[name]
	if l.Holder != holder || l.Token != token || !l.Expires.After(time.Now()) {
		return Stale(name, token)
	}
	l.Expires = time.Now().Add(ttl)
	m.leases[name] = l
	return nil
}

func (m *memStore) ReleaseLease(ctx context.Context, name, holder string, token int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l := m.leases[name]; l.Holder == holder && l.Token == token {
		l.Expires = time.Now()
		m.leases[name] = l
	}
	return nil
}

func (m *memStore) Leases(ctx context.Context) ([]Lease, error) { return nil, nil }

func (m *memStore) setDown(holder string, down bool) {
	m.mu.Lock()
	m.down[holder] = down
	m.mu.Unlock()
}

// TestRunnerTakeover: of three runners one runs the job; when its holder
// can no longer reach the store, it stops the job before its lease expires
// and another takes over within TTL + Retry; never two at once, and the
// tokens grow.
func TestRunnerTakeover(t *testing.T) {
	st := &memStore{leases: map[string]Lease{}, down: map[string]bool{}}
	const ttl, retry = 250 * time.Millisecond, 50 * time.Millisecond
	var running atomic.Int32
	var overlap atomic.Bool
	var mu sync.Mutex
	var tokens []int64
	var holders []string
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for _, h := range []string{"a", "b", "c"} {
		r := &Runner{Store: st, Holder: h, TTL: ttl, Retry: retry}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Run(ctx, "job", func(ctx context.Context) error {
				if running.Add(1) > 1 {
					overlap.Store(true)
				}
				defer running.Add(-1)
				f, ok := FenceFrom(ctx)
				if !ok || f.Name != "job" {
					t.Errorf("job context carries no fence of its lease: %+v", f)
				}
				mu.Lock()
				tokens = append(tokens, f.Token)
				holders = append(holders, h)
				mu.Unlock()
				<-ctx.Done()
				return nil
			})
		}()
	}
	waitFor := func(n int) time.Duration {
		start := time.Now()
		for time.Since(start) < 5*time.Second {
			mu.Lock()
			got := len(tokens)
			mu.Unlock()
			if got >= n {
				return time.Since(start)
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no holder %d within 5 s", n)
		return 0
	}
	waitFor(1)
	for i := 1; i <= 2; i++ {
		mu.Lock()
		h := holders[len(holders)-1]
		mu.Unlock()
		st.setDown(h, true)
		if took := waitFor(i + 1); took > 2*(ttl+retry)+200*time.Millisecond { // slack for a loaded machine
			t.Errorf("takeover %d took %v, want ≤ TTL+Retry (%v)", i, took, ttl+retry)
		}
		st.setDown(h, false)
	}
	cancel()
	wg.Wait()
	if overlap.Load() {
		t.Error("two runners ran the job at once")
	}
	for i := 1; i < len(tokens); i++ {
		if tokens[i] <= tokens[i-1] {
			t.Errorf("tokens = %v, want increasing", tokens)
		}
	}
}

// TestEveryRuns: Every runs the job at once (now) and then every interval
// while the lease is held.
func TestEveryRuns(t *testing.T) {
	st := &memStore{leases: map[string]Lease{}, down: map[string]bool{}}
	r := &Runner{Store: st, Holder: "a", TTL: time.Second, Retry: 10 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var runs atomic.Int32
	go r.Every(ctx, "sweep", 20*time.Millisecond, true, func(ctx context.Context) error {
		if _, ok := r.Holding("sweep"); !ok {
			t.Error("Holding(sweep) = false while its job runs")
		}
		if runs.Add(1) == 3 {
			cancel()
		}
		return nil
	})
	<-ctx.Done()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Every ran the job %d times in 2 s, want 3 every 20 ms", runs.Load())
	}
}
