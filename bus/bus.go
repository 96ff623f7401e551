// Package bus carries events between tracegate's parts and nodes: measures
// ordered and changed, caches to drop. Writers never publish directly: they
// write a Message into the outbox table in the transaction of the change,
// and a relay publishes the outbox on the Bus (in-process by default, NATS
// JetStream when configured) and marks each message published, so a crash
// neither loses nor invents a message. Delivery is at least once: a
// subscriber deduplicates by Message.ID.
package bus

import (
	"context"
	"encoding/json"
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

// Handler receives a message; an error asks for redelivery.
type Handler func(ctx context.Context, m Message) error

// Bus publishes messages and delivers them to subscribers of a subject
// pattern ("tracegate.measure.>" as NATS writes wildcards).
type Bus interface {
	Publish(ctx context.Context, m Message) error
	Subscribe(ctx context.Context, pattern string, h Handler) (unsubscribe func(), err error)
	Close() error
}
