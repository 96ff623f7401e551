// Package bus carries events between tracegate's parts and nodes: measures
// ordered and changed, caches to drop. Writers never publish directly: they
// write a Message into the outbox table in the transaction of the change,
// and a Relay publishes the outbox on the Bus (Memory in-process by default,
// NATS JetStream when configured) and marks each message published, so a
// crash neither loses nor invents a message. Delivery is at least once: a
// subscriber deduplicates by Message.ID.
//
// SPEC: https://docs.nats.io/nats-concepts/jetstream (streams, consumers,
// message deduplication by Nats-Msg-Id)
package bus

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Message is one event on the bus.
type Message struct {
	// ID is stable across redeliveries (the outbox's msg_id).
	ID string `json:"id"`
	// Subject is dot-separated, e.g. "tracegate.measure.recall.ordered".
	Subject string          `json:"subject"`
	Payload json.RawMessage `json:"payload"`
	At      time.Time       `json:"at"`
}

// Handler receives a message; an error asks for redelivery (on a durable
// subscription; see Subscription).
type Handler func(ctx context.Context, m Message) error

// Subscription says which messages a subscriber receives and how.
type Subscription struct {
	// Pattern is a subject pattern as NATS writes wildcards:
	// "tracegate.measure.>" (">" matches one or more trailing tokens, "*"
	// exactly one).
	Pattern string
	// Durable, when set, names a subscription shared by every subscriber
	// of that name on every node: each message goes to one of them, is kept
	// while none is connected, and is redelivered with backoff until a
	// handler returns nil (a work queue: webhook notifications). Made for
	// the first time, it starts with the messages the bus still holds
	// (NATS: the stream's; Memory: none). When
	// empty, the subscriber receives its own copy of every message
	// published from the time it subscribed (fan-out to every node: cache
	// invalidation); a handler's error is logged, not redelivered.
	Durable string
	// InOrder makes a durable subscription hand out one message at a time
	// across all its subscribers, in stream order: the next is delivered
	// only after a handler returned nil for this one (a failure holds the
	// line until its redelivery succeeds). Fan-out subscriptions are always
	// in order.
	InOrder bool
}

// Bus publishes messages and delivers them to subscribers.
type Bus interface {
	// Publish sends m. A message whose ID was published recently (within
	// the bus's duplicate window) is accepted and not delivered again.
	// It fails when the bus cannot take the message now; the outbox keeps
	// it for the next attempt.
	Publish(ctx context.Context, m Message) error
	// Subscribe delivers matching messages to h until unsubscribe is called
	// or the bus is closed. It fails on an invalid pattern or durable name;
	// a bus that is unreachable is retried in the background.
	Subscribe(ctx context.Context, s Subscription, h Handler) (unsubscribe func(), err error)
	// Check returns nil when the bus can publish now (for /readyz).
	Check(ctx context.Context) error
	// Close stops every subscription and releases the connection.
	Close() error
}

// Match reports whether subject matches pattern in NATS's syntax: tokens
// separated by dots, "*" matching one token, ">" as the last token matching
// one or more.
func Match(pattern, subject string) bool {
	p, s := strings.Split(pattern, "."), strings.Split(subject, ".")
	for i, t := range p {
		if t == ">" && i == len(p)-1 {
			return len(s) > i
		}
		if i >= len(s) || t != "*" && t != s[i] {
			return false
		}
	}
	return len(p) == len(s)
}

// validPattern reports whether pattern is a usable subject pattern: non-empty
// tokens, ">" only last, no spaces.
func validPattern(pattern string) bool {
	if pattern == "" || strings.ContainsAny(pattern, " \t\r\n") {
		return false
	}
	toks := strings.Split(pattern, ".")
	for i, t := range toks {
		if t == "" || t == ">" && i != len(toks)-1 || len(t) > 1 && strings.ContainsAny(t, "*>") {
			return false
		}
	}
	return true
}

// validSubject reports whether subject is a publishable subject (a pattern
// without wildcards).
func validSubject(subject string) bool {
	return validPattern(subject) && !strings.ContainsAny(subject, "*>")
}

// validDurable reports whether a durable name is usable as a JetStream
// consumer name: letters, digits, '-' and '_'.
func validDurable(name string) bool {
	if len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// backoff is the delay before the n-th redelivery (n ≥ 1): 100 ms doubling,
// capped at 30 s.
func backoff(n int) time.Duration {
	return min(100*time.Millisecond<<min(n-1, 20), 30*time.Second)
}
