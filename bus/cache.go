package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// CachePrefix is the subject prefix of cache invalidations:
// tracegate.cache.<kind>, e.g. tracegate.cache.apikey.
const CachePrefix = "tracegate.cache"

// Invalidation is the payload of a cache message: the keys of Kind every
// node must drop (an API key's hash, a measure's id, a filing's GTIN).
type Invalidation struct {
	Kind string   `json:"kind"`
	Keys []string `json:"keys"`
}

// InvalidationMessage returns a new message telling every node to drop keys
// of kind. It fails when kind is not a single subject token (letters,
// digits, '-' and '_').
func InvalidationMessage(kind string, keys ...string) (Message, error) {
	if kind == "" || !validDurable(kind) {
		return Message{}, fmt.Errorf("bus: cache kind %q is not a subject token", kind)
	}
	return NewMessage(CachePrefix+"."+kind, Invalidation{Kind: kind, Keys: keys})
}

// Invalidate writes an invalidation of keys of kind to the outbox, in its
// own transaction: the relay publishes it to every node. A change that has
// its own transaction should write the message in it instead (the store's
// appendOutbox), so the invalidation is committed with the change; this is
// for a change already committed, where a crash in between leaves the other
// nodes' caches to expire by time.
func Invalidate(ctx context.Context, o Outbox, kind string, keys ...string) error {
	m, err := InvalidationMessage(kind, keys...)
	if err != nil {
		return err
	}
	return o.AppendOutbox(ctx, m)
}

// SubscribeInvalidations calls drop with the keys of every invalidation of
// kind (every kind when kind is empty) published from now on, on this node:
// a fan-out subscription, so each node drops its own copy. It fails like
// Subscribe.
func SubscribeInvalidations(ctx context.Context, b Bus, kind string, drop func(inv Invalidation)) (func(), error) {
	pattern := CachePrefix + ".>"
	if kind != "" {
		if !validDurable(kind) {
			return nil, fmt.Errorf("bus: cache kind %q is not a subject token", kind)
		}
		pattern = CachePrefix + "." + kind
	}
	return b.Subscribe(ctx, Subscription{Pattern: pattern}, func(ctx context.Context, m Message) error {
		var inv Invalidation
		if err := json.Unmarshal(m.Payload, &inv); err != nil {
			return fmt.Errorf("bus: invalidation %s: %w", m.ID, err)
		}
		if inv.Kind == "" {
			inv.Kind = strings.TrimPrefix(m.Subject, CachePrefix+".")
		}
		drop(inv)
		return nil
	})
}
