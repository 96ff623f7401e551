package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"tracegate"
)

// Outbox is the store's side of the relay: the outbox table, written in the
// transaction of each change and read back by the Relay. Both stores
// implement it (store/storetest checks them).
type Outbox interface {
	// AppendOutbox writes msgs to the outbox in one transaction: all or
	// none. A message without an ID gets a new one, without a time the
	// transaction's; a message whose ID is there already is left as it
	// is (appending is idempotent). It fails with EINVALID on a message
	// whose subject is not a publishable subject.
	AppendOutbox(ctx context.Context, msgs ...Message) error
	// RelayOutbox takes up to limit committed, unpublished messages in
	// outbox order that no other relay holds, hands them to publish, and
	// marks the first sent of them published (publish returns how many it
	// published before an error). It returns how many it marked, and
	// publish's error. Messages held by a relay that stops before marking
	// them are taken again later: at least once.
	RelayOutbox(ctx context.Context, limit int, publish func(ctx context.Context, msgs []Message) (sent int, err error)) (int, error)
	// PruneOutbox deletes the messages published before t (never an
	// unpublished one) and returns how many it deleted.
	PruneOutbox(ctx context.Context, before time.Time) (int64, error)
	// OnOutboxCommit sets fn to be called after every commit that wrote to
	// the outbox (the Relay's Notify), so the writing node publishes at
	// once instead of at the next poll.
	OnOutboxCommit(fn func())
}

// NewID returns a new message ID: 128 random bits in hex.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// NewMessage returns a message with a new ID of v as JSON on subject. It
// fails on an invalid subject or a value JSON cannot encode.
func NewMessage(subject string, v any) (Message, error) {
	if !validSubject(subject) {
		return Message{}, fmt.Errorf("bus: invalid subject %q", subject)
	}
	p, err := json.Marshal(v)
	if err != nil {
		return Message{}, fmt.Errorf("bus: payload of %s: %w", subject, err)
	}
	return Message{ID: NewID(), Subject: subject, Payload: p}, nil
}

// ForOutbox checks msgs before a store writes them to the outbox and
// returns them completed as the outbox keeps them: a message without an ID
// gets a new one, one without a time gets now. It fails with EINVALID,
// pointing at /i/subject, on a subject that cannot be published
// (dot-separated non-empty tokens without wildcards or spaces).
func ForOutbox(msgs []Message, now time.Time) ([]Message, error) {
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		if !validSubject(m.Subject) {
			return nil, tracegate.Invalidf(fmt.Sprintf("/%d/subject", i), "%q is not a publishable subject", m.Subject)
		}
		if m.ID == "" {
			m.ID = NewID()
		}
		if m.At.IsZero() {
			m.At = now
		}
		out[i] = m
	}
	return out, nil
}

// Relay publishes the outbox on a bus: every committed message at least
// once, in outbox order, marking each published after the bus took it. It
// runs on every node: the store hands a message to one relay at a time
// (PostgreSQL's FOR UPDATE SKIP LOCKED, SQLite's single writer) and the
// bus drops a message republished after a crash by its ID.
type Relay struct {
	Store Outbox
	Bus   Bus
	Log   *slog.Logger
	// Batch is the most messages per store transaction (default 100).
	Batch int
	// Poll is how often the outbox is read without a Notify (default 1 s):
	// other nodes' messages left by a relay that stopped, and messages
	// the bus refused while it was down.
	Poll time.Duration
	// Retention is how long published messages stay in the outbox
	// (default 7 days); they are pruned every hour.
	Retention time.Duration

	wake chan struct{}
}

func (r *Relay) defaults() {
	if r.Batch <= 0 {
		r.Batch = 100
	}
	if r.Poll <= 0 {
		r.Poll = time.Second
	}
	if r.Retention <= 0 {
		r.Retention = 7 * 24 * time.Hour
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.wake == nil {
		r.wake = make(chan struct{}, 1)
	}
}

// NewRelay returns a relay of store's outbox to b, woken by every commit
// that writes to the outbox.
func NewRelay(store Outbox, b Bus, log *slog.Logger) *Relay {
	r := &Relay{Store: store, Bus: b, Log: log}
	r.defaults()
	store.OnOutboxCommit(r.Notify)
	return r
}

// Notify wakes the relay; it never blocks.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// RunOnce publishes the outbox until it is empty (or holds only messages
// other relays have) and returns how many messages it published. It fails
// when the store fails or the bus refuses a message; what it published
// before stays marked.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	r.defaults()
	total := 0
	for {
		n, err := r.Store.RelayOutbox(ctx, r.Batch, r.publish)
		total += n
		if err != nil {
			return total, err
		}
		if n < r.Batch {
			return total, nil
		}
	}
}

func (r *Relay) publish(ctx context.Context, msgs []Message) (int, error) {
	for i, m := range msgs {
		if err := r.Bus.Publish(ctx, m); err != nil {
			return i, err
		}
	}
	return len(msgs), nil
}

// Run relays at every Notify and every Poll, and prunes published messages
// past Retention every hour, until ctx is done. A bus that is down is
// retried at each poll; the outbox keeps the messages meanwhile.
func (r *Relay) Run(ctx context.Context) {
	r.defaults()
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	var pruned time.Time
	failing := false
	for {
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
			if !failing {
				r.Log.WarnContext(ctx, "outbox relay: the bus refused, retrying at each poll", slog.Any("err", err))
			}
			failing = true
		} else if err == nil && failing {
			r.Log.InfoContext(ctx, "outbox relay: caught up")
			failing = false
		}
		if time.Since(pruned) > time.Hour {
			if n, err := r.Store.PruneOutbox(ctx, time.Now().Add(-r.Retention)); err != nil && ctx.Err() == nil {
				r.Log.WarnContext(ctx, "outbox relay: prune", slog.Any("err", err))
			} else if n > 0 {
				r.Log.InfoContext(ctx, "outbox relay: pruned published messages", slog.Int64("messages", n))
			}
			pruned = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-t.C:
		}
	}
}
