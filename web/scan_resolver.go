package web

import (
	"context"
	"sync"
	"time"

	"tracegate/customs"
	"tracegate/label"
	"tracegate/ledger"
)

// newResolver is the scan page's resolver over cfg's store: the label key
// of the label service, the releases of the customs intake (or, without
// one, of the store's declarations) and the ledger's latest checkpoint.
func (s *Server) newResolver(cfg Config) *label.Resolver {
	rc := label.ResolverConfig{Reader: cfg.Store, Recorder: s.scans, Hash: func(c label.Code) [32]byte { return s.labels.Hash(c) }}
	if cfg.Customs != nil {
		rc.Releases = cfg.Customs
	} else {
		rc.Releases = customs.Releases{Store: cfg.Store}
	}
	if s.ledger != nil {
		rc.Checkpoint = func(ctx context.Context) *ledger.Checkpoint { return s.checkpoints.latest(ctx, s) }
	}
	return label.NewResolver(rc)
}

// checkpointCache keeps the latest verified checkpoint for a second, so a
// busy scan page does not verify a signature per request.
type checkpointCache struct {
	mu sync.Mutex
	at time.Time
	cp *ledger.Checkpoint
}

// latest returns the latest checkpoint, or nil when there is none (or no
// ledger).
func (c *checkpointCache) latest(ctx context.Context, s *Server) *ledger.Checkpoint {
	if s.ledger == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.cp != nil && now.Sub(c.at) < time.Second {
		return c.cp
	}
	if cp, err := s.latestCheckpoint(ctx); err == nil {
		c.cp, c.at = cp, now
	}
	return c.cp
}
