package web

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"tracegate/label"
	"tracegate/ledger"
)

// scanRecorder stores scans in group commits: every scan that arrives while
// one batch is being written goes into the next, so a busy scan page costs
// one commit per batch rather than per scan. Requests do not wait for the
// commit; until it is done, pendingFor still shows their scans. A scan that
// cannot be written is logged and dropped (it is an observation, not a
// record anyone filed).
type scanRecorder struct {
	store    label.Store
	log      *slog.Logger
	mu       sync.Mutex
	pending  []label.ScanRecord // waiting for the next batch
	inflight []label.ScanRecord // being written
	flushing bool
	idle     sync.Cond // signalled when a flush ends, for close
}

// maxScanBatch bounds one group commit.
const maxScanBatch = 2000

func (sr *scanRecorder) record(rec label.ScanRecord) {
	sr.mu.Lock()
	sr.pending = append(sr.pending, rec)
	if !sr.flushing {
		sr.flushing = true
		go sr.flush()
	}
	sr.mu.Unlock()
}

// pendingFor returns the scans of hash not yet committed.
func (sr *scanRecorder) pendingFor(hash [32]byte) []label.Scan {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	var out []label.Scan
	for _, list := range [][]label.ScanRecord{sr.inflight, sr.pending} {
		for _, r := range list {
			if r.Hash == hash {
				out = append(out, r.Scan)
			}
		}
	}
	return out
}

// flush writes batches until none is pending.
func (sr *scanRecorder) flush() {
	for {
		sr.mu.Lock()
		n := min(len(sr.pending), maxScanBatch)
		if n == 0 {
			sr.flushing = false
			sr.inflight = nil
			if sr.idle.L != nil {
				sr.idle.Broadcast()
			}
			sr.mu.Unlock()
			return
		}
		sr.inflight = slices.Clone(sr.pending[:n])
		sr.pending = slices.Delete(sr.pending, 0, n)
		batch := sr.inflight
		sr.mu.Unlock()
		if err := sr.store.RecordScans(context.Background(), batch); err != nil {
			sr.log.Error("scans not recorded", "count", len(batch), "err", err)
		}
	}
}

// wait returns when no scan is pending or being written.
func (sr *scanRecorder) wait() {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if sr.idle.L == nil {
		sr.idle.L = &sr.mu
	}
	for sr.flushing {
		sr.idle.Wait()
	}
}

// sameScan reports whether a and b are one recorded scan.
func sameScan(a, b label.Scan) bool {
	return a.At.Equal(b.At) && a.IPPrefix == b.IPPrefix && a.Device == b.Device && a.Staff == b.Staff
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
