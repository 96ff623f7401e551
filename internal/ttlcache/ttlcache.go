// Package ttlcache keeps values for a short time: what the scan page reads
// on every scan but changes rarely (a product's filings and holds, a
// batch's events, the names of enterprises).
package ttlcache

import (
	"sync"
	"time"
)

// Cache keeps values for at most ttl; Purge drops everything at once (a new
// hold on this node). It holds at most max entries, starting afresh when
// full, which is cheaper than tracking use. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	entries map[K]entry[V]
	gen     uint64 // incremented by Purge: a load begun before it is not kept
}

type entry[V any] struct {
	v  V
	at time.Time
}

// New returns an empty cache of values at most ttl old, max entries.
func New[K comparable, V any](ttl time.Duration, max int) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, max: max}
}

// Get returns the cached value of k, or loads, caches and returns it.
// Errors are not cached.
func (c *Cache[K, V]) Get(k K, load func() (V, error)) (V, error) {
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
		c.entries = make(map[K]entry[V])
	}
	c.entries[k] = entry[V]{v, now}
	return v, nil
}

// Purge drops every entry.
func (c *Cache[K, V]) Purge() {
	c.mu.Lock()
	c.entries = nil
	c.gen++
	c.mu.Unlock()
}
