package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSConfig configures the JetStream bus.
type NATSConfig struct {
	// URL is the server list, "nats://127.0.0.1:4222" (comma-separated for
	// a cluster).
	URL string
	// Name is the connection's name as the server shows it (default
	// "tracegate").
	Name string
	// Namespace replaces the first token "tracegate" of every subject on
	// the wire (default "tracegate"), so deployments (or tests) sharing one
	// NATS keep apart: subscribers still see tracegate.… subjects. The
	// stream's default name is the namespace in capitals.
	Namespace string
	// Stream is the JetStream stream tracegate creates or updates at start
	// (default "TRACEGATE"), over Subjects (default "tracegate.>").
	Stream   string
	Subjects []string
	// Duplicates is the stream's deduplication window (default 2 min):
	// a message published again with the same ID within it is stored once.
	Duplicates time.Duration
	// MaxAge is how long the stream keeps a message (default 7 days).
	MaxAge time.Duration
	// Replicas is the stream's replica count in a NATS cluster (default 1).
	Replicas int
	// AckWait is how long a durable subscriber has to handle a message
	// before it is redelivered (default 1 min).
	AckWait time.Duration
	Log     *slog.Logger
}

func (c *NATSConfig) defaults() {
	if c.Name == "" {
		c.Name = "tracegate"
	}
	if c.Namespace == "" {
		c.Namespace = "tracegate"
	}
	if c.Stream == "" {
		c.Stream = strings.ToUpper(c.Namespace)
	}
	if len(c.Subjects) == 0 {
		c.Subjects = []string{c.Namespace + ".>"}
	}
	if c.Duplicates <= 0 {
		c.Duplicates = 2 * time.Minute
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 7 * 24 * time.Hour
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.AckWait <= 0 {
		c.AckWait = time.Minute
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Headers tracegate sets on a published message besides Nats-Msg-Id.
const headerAt = "Tracegate-At" // RFC 3339 with nanoseconds: Message.At

// NATS is the Bus over NATS JetStream. Messages go to one stream; a durable
// subscription is a durable pull consumer shared by the nodes (explicit
// acks, redelivery with backoff), a fan-out subscription an ordered consumer
// of the node's own. The connection reconnects by itself, forever; while it
// is down Publish fails (the outbox keeps the messages) and subscriptions
// resume when it returns.
type NATS struct {
	cfg NATSConfig
	nc  *nats.Conn
	js  jetstream.JetStream

	mu       sync.Mutex
	streamOK bool
	closed   bool
	subs     map[*natsSub]struct{}
}

var _ Bus = (*NATS)(nil)

// NewNATS connects to cfg.URL and creates or updates the stream. When the
// server cannot be reached it still returns the bus, which keeps trying to
// connect (and creates the stream then); it fails only on a bad
// configuration.
func NewNATS(ctx context.Context, cfg NATSConfig) (*NATS, error) {
	if cfg.Namespace != "" && !validDurable(cfg.Namespace) {
		return nil, fmt.Errorf("bus: NATS namespace %q is not one subject token (letters, digits, '-', '_')", cfg.Namespace)
	}
	cfg.defaults()
	b := &NATS{cfg: cfg, subs: map[*natsSub]struct{}{}}
	nc, err := nats.Connect(cfg.URL, nats.Name(cfg.Name), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1), // publishes while down fail at once, not buffered
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			cfg.Log.Warn("bus: NATS disconnected", slog.Any("err", err))
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			cfg.Log.Info("bus: NATS reconnected")
			b.mu.Lock()
			b.streamOK = false // the server may have lost it
			b.mu.Unlock()
		}))
	if err != nil {
		return nil, fmt.Errorf("bus: nats %s: %w", cfg.URL, err)
	}
	b.nc = nc
	b.js, err = jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	if err := b.ensureStream(ctx); err != nil {
		cfg.Log.WarnContext(ctx, "bus: NATS stream not ready yet", slog.Any("err", err))
	}
	return b, nil
}

// ensureStream creates or updates the stream once per connection.
func (b *NATS) ensureStream(ctx context.Context) error {
	b.mu.Lock()
	ok := b.streamOK
	b.mu.Unlock()
	if ok {
		return nil
	}
	if !b.nc.IsConnected() {
		return fmt.Errorf("bus: not connected to NATS (%s)", b.nc.Status())
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        b.cfg.Stream,
		Description: "tracegate events (published from the outbox)",
		Subjects:    b.cfg.Subjects,
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      b.cfg.MaxAge,
		Duplicates:  b.cfg.Duplicates,
		Replicas:    b.cfg.Replicas,
	})
	if err != nil {
		return fmt.Errorf("bus: stream %s: %w", b.cfg.Stream, err)
	}
	b.mu.Lock()
	b.streamOK = true
	b.mu.Unlock()
	return nil
}

// Publish stores m in the stream with m.ID as Nats-Msg-Id, so JetStream
// keeps one copy of a message published twice within the duplicate window,
// and waits for the stream's acknowledgement. It fails when NATS is
// unreachable or does not acknowledge within 5 s (or ctx's deadline).
func (b *NATS) Publish(ctx context.Context, m Message) error {
	if !validSubject(m.Subject) {
		return fmt.Errorf("bus: invalid subject %q", m.Subject)
	}
	if m.ID == "" {
		return errors.New("bus: a message needs an ID")
	}
	if err := b.ensureStream(ctx); err != nil {
		return err
	}
	msg := nats.NewMsg(b.wire(m.Subject))
	msg.Data = m.Payload
	if !m.At.IsZero() {
		msg.Header.Set(headerAt, m.At.UTC().Format(time.RFC3339Nano))
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := b.js.PublishMsg(ctx, msg, jetstream.WithMsgID(m.ID)); err != nil {
		if errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders) {
			b.mu.Lock()
			b.streamOK = false
			b.mu.Unlock()
		}
		return fmt.Errorf("bus: publish %s: %w", m.Subject, err)
	}
	return nil
}

// wire is subject as it travels: in the namespace.
func (b *NATS) wire(subject string) string {
	if b.cfg.Namespace != "tracegate" && (subject == "tracegate" || strings.HasPrefix(subject, "tracegate.")) {
		return b.cfg.Namespace + strings.TrimPrefix(subject, "tracegate")
	}
	return subject
}

// unwire is a subject from the wire as subscribers see it.
func (b *NATS) unwire(subject string) string {
	if b.cfg.Namespace != "tracegate" && strings.HasPrefix(subject, b.cfg.Namespace+".") {
		return "tracegate" + strings.TrimPrefix(subject, b.cfg.Namespace)
	}
	return subject
}

// message turns a delivered JetStream message back into a Message.
func (b *NATS) message(msg jetstream.Msg) Message {
	m := Message{Subject: b.unwire(msg.Subject()), Payload: msg.Data()}
	if h := msg.Headers(); h != nil {
		m.ID = h.Get(jetstream.MsgIDHeader)
		m.At, _ = time.Parse(time.RFC3339Nano, h.Get(headerAt))
	}
	return m
}

// natsSub is one subscription's consumer, re-created when it is lost.
type natsSub struct {
	s      Subscription
	h      Handler
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	lost   chan struct{}  // signalled when the consumer must be made again
	wg     sync.WaitGroup // handlers under way
}

// Subscribe makes a durable pull consumer (Durable set: filter Pattern,
// explicit acks, on first creation every message the stream holds, at most
// one unacknowledged message when InOrder) or an ordered
// consumer delivering messages published from now on (Durable empty), and
// hands each message to h. A durable message is acknowledged when h returns
// nil and redelivered with backoff otherwise. When NATS cannot be reached
// now, the subscription is made in the background when it can. It fails
// only on an invalid pattern or durable name, or a closed bus.
func (b *NATS) Subscribe(ctx context.Context, s Subscription, h Handler) (func(), error) {
	if !validPattern(s.Pattern) {
		return nil, fmt.Errorf("bus: invalid subject pattern %q", s.Pattern)
	}
	if !validDurable(s.Durable) {
		return nil, fmt.Errorf("bus: invalid durable name %q", s.Durable)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	sub := &natsSub{s: s, h: h, ctx: sctx, cancel: cancel, done: make(chan struct{}), lost: make(chan struct{}, 1)}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		cancel()
		return nil, ErrClosed
	}
	b.subs[sub] = struct{}{}
	b.mu.Unlock()
	first, err := b.consume(ctx, sub) // the first attempt in the caller's time, so a live bus delivers from now
	if err != nil {
		b.cfg.Log.WarnContext(ctx, "bus: subscription not ready yet, retrying", slog.String("pattern", s.Pattern), slog.Any("err", err))
	}
	go b.keep(sub, first)
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-sub.done
			b.mu.Lock()
			delete(b.subs, sub)
			b.mu.Unlock()
		})
	}, nil
}

// keep holds sub's consumer up until sub is cancelled: it makes it again
// when it is lost or could not be made.
func (b *NATS) keep(sub *natsSub, cc jetstream.ConsumeContext) {
	defer close(sub.done)
	defer sub.wg.Wait()
	for {
		if cc == nil {
			select {
			case <-sub.ctx.Done():
				return
			case <-time.After(time.Second):
			}
			var err error
			if cc, err = b.consume(sub.ctx, sub); err != nil {
				b.cfg.Log.Debug("bus: subscription not ready", slog.String("pattern", sub.s.Pattern), slog.Any("err", err))
				continue
			}
			b.cfg.Log.Info("bus: subscription ready", slog.String("pattern", sub.s.Pattern), slog.String("durable", sub.s.Durable))
		}
		select {
		case <-sub.ctx.Done():
			cc.Stop()
			<-cc.Closed()
			return
		case <-sub.lost:
			cc.Stop()
			<-cc.Closed()
			cc = nil
		}
	}
}

// consume makes sub's consumer and starts taking its messages.
func (b *NATS) consume(ctx context.Context, sub *natsSub) (jetstream.ConsumeContext, error) {
	if err := b.ensureStream(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var cons jetstream.Consumer
	var err error
	if sub.s.Durable != "" {
		cfg := jetstream.ConsumerConfig{
			Durable:       sub.s.Durable,
			FilterSubject: b.wire(sub.s.Pattern),
			DeliverPolicy: jetstream.DeliverAllPolicy, // on first creation: what the stream holds, so nothing published before is missed
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       b.cfg.AckWait,
			MaxDeliver:    -1,
		}
		if sub.s.InOrder {
			cfg.MaxAckPending = 1 // the next message only after this one's ack
		}
		cons, err = b.js.CreateOrUpdateConsumer(ctx, b.cfg.Stream, cfg)
	} else {
		cons, err = b.js.OrderedConsumer(ctx, b.cfg.Stream, jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{b.wire(sub.s.Pattern)},
			DeliverPolicy:  jetstream.DeliverNewPolicy,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("bus: consumer for %q: %w", sub.s.Pattern, err)
	}
	return cons.Consume(func(msg jetstream.Msg) { b.handle(sub, msg) },
		jetstream.PullExpiry(5*time.Second),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
				select {
				case sub.lost <- struct{}{}:
				default:
				}
			}
		}))
}

// handle runs the handler for one message and acknowledges it.
func (b *NATS) handle(sub *natsSub, msg jetstream.Msg) {
	sub.wg.Add(1)
	defer sub.wg.Done()
	m := b.message(msg)
	err := sub.h(sub.ctx, m)
	if sub.s.Durable == "" {
		if err != nil {
			b.cfg.Log.Warn("bus: subscriber failed", slog.String("subject", m.Subject), slog.String("id", m.ID), slog.Any("err", err))
		}
		return
	}
	if err == nil {
		if err := msg.Ack(); err != nil {
			b.cfg.Log.Warn("bus: ack", slog.String("id", m.ID), slog.Any("err", err))
		}
		return
	}
	n := 1
	if md, mdErr := msg.Metadata(); mdErr == nil {
		n = int(md.NumDelivered)
	}
	wait := backoff(n)
	b.cfg.Log.Warn("bus: subscriber failed, redelivering", slog.String("subject", m.Subject), slog.String("id", m.ID),
		slog.Any("err", err), slog.Duration("retry_in", wait))
	msg.NakWithDelay(wait)
}

// Check returns nil when the connection is up and JetStream answers for the
// stream within ctx's deadline.
func (b *NATS) Check(ctx context.Context) error {
	if !b.nc.IsConnected() {
		return fmt.Errorf("bus: NATS %s", b.nc.Status())
	}
	if err := b.ensureStream(ctx); err != nil {
		return err
	}
	if _, err := b.js.Stream(ctx, b.cfg.Stream); err != nil {
		return fmt.Errorf("bus: stream %s: %w", b.cfg.Stream, err)
	}
	return nil
}

// Close stops every subscription, waiting for handlers under way, and closes
// the connection. It never fails.
func (b *NATS) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	subs := make([]*natsSub, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.Unlock()
	for _, s := range subs {
		s.cancel()
		<-s.done
	}
	b.nc.Close()
	return nil
}
