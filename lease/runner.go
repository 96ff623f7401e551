package lease

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Runner runs singleton jobs under leases of Store for Holder.
type Runner struct {
	Store  Store
	Holder string
	// TTL is how long a lease lasts without renewal: the longest a dead
	// holder keeps it. 0 means 5 s.
	TTL time.Duration
	// Retry is how often a node that does not hold a lease tries to take
	// it. 0 means 1 s.
	Retry time.Duration
	Log   *slog.Logger

	mu   sync.Mutex
	held map[string]int64 // the leases this runner holds now, by name
}

func (r *Runner) ttl() time.Duration {
	if r.TTL > 0 {
		return r.TTL
	}
	return 5 * time.Second
}

func (r *Runner) retry() time.Duration {
	if r.Retry > 0 {
		return r.Retry
	}
	return time.Second
}

// Holding returns the token under which this runner holds name, if it does.
func (r *Runner) Holding(name string) (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.held[name]
	return t, ok
}

func (r *Runner) setHeld(name string, token int64, held bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held == nil {
		r.held = map[string]int64{}
	}
	if held {
		r.held[name] = token
	} else {
		delete(r.held, name)
	}
}

// Run keeps trying to hold the lease name until ctx is done; whenever it
// holds it, it calls fn with a context that carries the lease's fence
// (WithFence) and is cancelled as soon as the lease may be lost: a renewal
// refused, or none confirmed within the TTL (the database unreachable). When
// fn returns while the lease is held, the lease is released and Run tries
// again after Retry. Run returns when ctx is done, after fn has returned.
func (r *Runner) Run(ctx context.Context, name string, fn func(ctx context.Context) error) {
	for ctx.Err() == nil {
		token, err := r.Store.AcquireLease(ctx, name, r.Holder, r.ttl())
		if err != nil {
			if !errors.Is(err, ErrHeld) && ctx.Err() == nil && r.Log != nil {
				r.Log.WarnContext(ctx, "lease: acquire", slog.String("lease", name), slog.Any("err", err))
			}
			sleep(ctx, r.retry())
			continue
		}
		acquired := time.Now()
		if r.Log != nil {
			r.Log.InfoContext(ctx, "lease: acquired", slog.String("lease", name), slog.Int64("token", token), slog.String("holder", r.Holder))
		}
		r.hold(ctx, name, token, acquired, fn)
		sleep(ctx, r.retry())
	}
}

// hold runs fn while the lease (name, token), acquired at sent, is renewed.
func (r *Runner) hold(ctx context.Context, name string, token int64, sent time.Time, fn func(ctx context.Context) error) {
	ttl := r.ttl()
	jobCtx, cancel := context.WithCancel(WithFence(ctx, Fence{Name: name, Token: token}))
	defer cancel()
	r.setHeld(name, token, true)
	defer r.setHeld(name, token, false)
	done := make(chan error, 1)
	go func() { done <- fn(jobCtx) }()
	// The lease certainly lasts until sent+ttl by the database's clock; a
	// margin covers the clocks' rates and the cancellation's delay.
	deadline := sent.Add(ttl - ttl/5)
	tick := time.NewTicker(ttl / 5)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil && ctx.Err() == nil && r.Log != nil {
				r.Log.ErrorContext(ctx, "lease: job", slog.String("lease", name), slog.Any("err", err))
			}
			rctx, c := context.WithTimeout(context.WithoutCancel(ctx), ttl)
			r.Store.ReleaseLease(rctx, name, r.Holder, token)
			c()
			return
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			r.lost(ctx, name, token, "not renewed within the TTL", cancel, done)
			return
		}
		at := time.Now()
		rctx, c := context.WithDeadline(ctx, deadline)
		err := r.Store.RenewLease(rctx, name, r.Holder, token, ttl)
		c()
		switch {
		case err == nil:
			deadline = at.Add(ttl - ttl/5)
		case errors.Is(err, ErrStale):
			r.lost(ctx, name, token, "taken over", cancel, done)
			return
		case ctx.Err() != nil:
			cancel()
			<-done
			return
		}
	}
}

// lost cancels the job of a lease no longer certainly held and waits for it.
func (r *Runner) lost(ctx context.Context, name string, token int64, why string, cancel func(), done chan error) {
	if r.Log != nil && ctx.Err() == nil {
		r.Log.WarnContext(ctx, "lease: lost", slog.String("lease", name), slog.Int64("token", token), slog.String("why", why))
	}
	cancel()
	<-done
}

// Every runs fn every interval on the node holding the lease name, the first
// time as soon as the lease is taken when now is set, else one interval
// later; fn's errors are logged and the next run comes as usual. It returns
// when ctx is done.
func (r *Runner) Every(ctx context.Context, name string, interval time.Duration, now bool, fn func(ctx context.Context) error) {
	r.Run(ctx, name, func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for first := now; ; first = false {
			if !first {
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
			if err := fn(ctx); err != nil && ctx.Err() == nil && r.Log != nil {
				r.Log.ErrorContext(ctx, "lease: job", slog.String("lease", name), slog.Any("err", err))
			}
		}
	})
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
