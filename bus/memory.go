package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ErrClosed is returned by a closed bus.
var ErrClosed = errors.New("bus: closed")

// Memory is the in-process Bus of a single node (the embedded default). It
// keeps nothing across a restart: the outbox does. Like JetStream it drops a
// message whose ID it saw within its duplicate window, keeps a durable
// subscription's messages while no subscriber of that name is connected,
// and redelivers them with backoff when a handler fails.
type Memory struct {
	// Window is how long a message ID is remembered (default 2 min).
	Window time.Duration
	Log    *slog.Logger

	mu     sync.Mutex
	closed bool
	seen   map[string]time.Time
	order  []seenID // IDs by time, to forget them
	fan    map[*memQueue]struct{}
	groups map[string]*memQueue
	wg     sync.WaitGroup
}

type seenID struct {
	id string
	at time.Time
}

var _ Bus = (*Memory)(nil)

// NewMemory returns an empty in-process bus (the zero Memory is one too).
func NewMemory() *Memory {
	b := &Memory{}
	b.init()
	return b
}

// init makes the maps of a zero Memory; the caller holds mu or owns b.
func (b *Memory) init() {
	if b.seen == nil {
		b.seen, b.fan, b.groups = map[string]time.Time{}, map[*memQueue]struct{}{}, map[string]*memQueue{}
	}
}

// memQueue is the pending messages of one fan-out subscriber or of one
// durable subscription, taken by its workers.
type memQueue struct {
	pattern  string
	durable  bool
	inOrder  bool // one message in flight at a time (Subscription.InOrder)
	inFlight bool
	cond     *sync.Cond // on Memory.mu
	pending  []memItem
	workers  int
	stopped  bool
}

type memItem struct {
	m        Message
	attempts int
}

func (b *Memory) log() *slog.Logger {
	if b.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return b.Log
}

// Publish queues m for every matching subscriber. It fails on an invalid
// subject, a message without an ID, or a closed bus.
func (b *Memory) Publish(ctx context.Context, m Message) error {
	if !validSubject(m.Subject) {
		return fmt.Errorf("bus: invalid subject %q", m.Subject)
	}
	if m.ID == "" {
		return errors.New("bus: a message needs an ID")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	b.init()
	now := time.Now()
	window := b.Window
	if window <= 0 {
		window = 2 * time.Minute
	}
	for len(b.order) > 0 && now.Sub(b.order[0].at) > window {
		if b.seen[b.order[0].id] == b.order[0].at {
			delete(b.seen, b.order[0].id)
		}
		b.order = b.order[1:]
	}
	if _, dup := b.seen[m.ID]; dup {
		return nil
	}
	b.seen[m.ID] = now
	b.order = append(b.order, seenID{m.ID, now})
	for q := range b.fan {
		if Match(q.pattern, m.Subject) {
			q.push(memItem{m: m})
		}
	}
	for _, q := range b.groups {
		if Match(q.pattern, m.Subject) {
			q.push(memItem{m: m})
		}
	}
	return nil
}

func (q *memQueue) push(it memItem) {
	q.pending = append(q.pending, it)
	q.cond.Signal()
}

// Subscribe starts a worker that hands matching messages to h. It fails on
// an invalid pattern or durable name, on a durable name already used with
// another pattern, and on a closed bus.
func (b *Memory) Subscribe(ctx context.Context, s Subscription, h Handler) (func(), error) {
	if !validPattern(s.Pattern) {
		return nil, fmt.Errorf("bus: invalid subject pattern %q", s.Pattern)
	}
	if !validDurable(s.Durable) {
		return nil, fmt.Errorf("bus: invalid durable name %q", s.Durable)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.init()
	var q *memQueue
	if s.Durable != "" {
		q = b.groups[s.Durable]
		if q == nil {
			q = &memQueue{pattern: s.Pattern, durable: true, inOrder: s.InOrder, cond: sync.NewCond(&b.mu)}
			b.groups[s.Durable] = q
		} else if q.pattern != s.Pattern || q.inOrder != s.InOrder {
			return nil, fmt.Errorf("bus: durable %q subscribes to %q (in order: %v), not %q (%v)", s.Durable, q.pattern, q.inOrder, s.Pattern, s.InOrder)
		}
	} else {
		q = &memQueue{pattern: s.Pattern, cond: sync.NewCond(&b.mu)}
		b.fan[q] = struct{}{}
	}
	q.workers++
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := make(chan struct{})
	done := make(chan struct{})
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer close(done)
		b.work(wctx, q, stop, h)
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			close(stop)
			q.workers--
			if !q.durable {
				delete(b.fan, q)
			}
			q.cond.Broadcast()
			b.mu.Unlock()
			cancel()
			<-done
		})
	}, nil
}

// work takes messages from q until stop is closed or the bus closes.
func (b *Memory) work(ctx context.Context, q *memQueue, stop chan struct{}, h Handler) {
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return b.closed
		}
	}
	b.mu.Lock()
	for {
		for (len(q.pending) == 0 || q.inFlight) && !stopped() {
			q.cond.Wait()
		}
		if stopped() {
			q.cond.Signal() // another worker of the group may take what is left
			b.mu.Unlock()
			return
		}
		it := q.pending[0]
		q.pending = q.pending[1:]
		q.inFlight = q.inOrder
		b.mu.Unlock()
		err := h(ctx, it.m)
		b.mu.Lock()
		if err == nil {
			if q.inOrder {
				q.inFlight = false
				q.cond.Broadcast()
			}
			continue
		}
		if !q.durable {
			b.log().WarnContext(ctx, "bus: subscriber failed", slog.String("subject", it.m.Subject), slog.String("id", it.m.ID), slog.Any("err", err))
			continue
		}
		it.attempts++
		wait := backoff(it.attempts)
		b.log().WarnContext(ctx, "bus: subscriber failed, redelivering", slog.String("subject", it.m.Subject), slog.String("id", it.m.ID),
			slog.Any("err", err), slog.Duration("retry_in", wait))
		time.AfterFunc(wait, func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.closed {
				return
			}
			if q.inOrder { // back at the head of the line, which it held
				q.pending = append([]memItem{it}, q.pending...)
				q.inFlight = false
				q.cond.Broadcast()
				return
			}
			q.push(it)
		})
	}
}

// Check returns nil unless the bus is closed.
func (b *Memory) Check(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	return nil
}

// Close stops every subscriber, waiting for handlers under way. It never
// fails.
func (b *Memory) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	for q := range b.fan {
		q.cond.Broadcast()
	}
	for _, q := range b.groups {
		q.cond.Broadcast()
	}
	b.mu.Unlock()
	b.wg.Wait()
	return nil
}
