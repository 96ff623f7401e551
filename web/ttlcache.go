package web

import (
	"sync"
	"time"
)

// ttlCache keeps values for a short time, for what the scan page reads on
// every scan but changes rarely (a product's filings and holds, a batch's
// events). A value is at most ttl old; purge drops everything at once (a
// new hold on this node). It holds at most max entries, starting afresh when
// full, which is cheaper than tracking use.
type ttlCache[K comparable, V any] struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	entries map[K]ttlEntry[V]
	gen     uint64 // incremented by purge: a load begun before it is not kept
}

type ttlEntry[V any] struct {
	v  V
	at time.Time
}

func newTTLCache[K comparable, V any](ttl time.Duration, max int) *ttlCache[K, V] {
	return &ttlCache[K, V]{ttl: ttl, max: max}
}

// get returns the cached value of k, or loads, caches and returns it.
// Errors are not cached.
func (c *ttlCache[K, V]) get(k K, load func() (V, error)) (V, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[k]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return v, nil // purged meanwhile: v may predate what the purge was for
	}
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = make(map[K]ttlEntry[V])
	}
	c.entries[k] = ttlEntry[V]{v, now}
	return v, nil
}

// purge drops every entry.
func (c *ttlCache[K, V]) purge() {
	c.mu.Lock()
	c.entries = nil
	c.gen++
	c.mu.Unlock()
}
