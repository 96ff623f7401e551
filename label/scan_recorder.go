package label

import (
	"context"
	"log/slog"
	"slices"
	"sync"
)

// ScanWriter stores scans.
type ScanWriter interface {
	// RecordScans stores scans in one transaction.
	RecordScans(ctx context.Context, scans []ScanRecord) error
}

// ScanRecorder stores scans in group commits: every scan that arrives while
// one batch is being written goes into the next, so a busy scan page costs
// one commit per batch rather than per scan. Callers do not wait for the
// commit; until it is done, PendingFor still shows their scans. A scan that
// cannot be written is logged and dropped (it is an observation, not a
// record anyone filed).
type ScanRecorder struct {
	store    ScanWriter
	log      *slog.Logger
	mu       sync.Mutex
	pending  []ScanRecord // waiting for the next batch
	inflight []ScanRecord // being written
	flushing bool
	idle     sync.Cond // signalled when a flush ends, for Wait
}

// MaxScanBatch bounds one group commit.
const MaxScanBatch = 2000

// NewScanRecorder returns a recorder writing to w and logging the batches
// it could not write to log (nil: discarded).
func NewScanRecorder(w ScanWriter, log *slog.Logger) *ScanRecorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ScanRecorder{store: w, log: log}
}

// Record queues rec for the next group commit.
func (sr *ScanRecorder) Record(rec ScanRecord) {
	sr.mu.Lock()
	sr.pending = append(sr.pending, rec)
	if !sr.flushing {
		sr.flushing = true
		go sr.flush()
	}
	sr.mu.Unlock()
}

// PendingFor returns the scans of hash not yet committed.
func (sr *ScanRecorder) PendingFor(hash [32]byte) []Scan {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	var out []Scan
	for _, list := range [][]ScanRecord{sr.inflight, sr.pending} {
		for _, r := range list {
			if r.Hash == hash {
				out = append(out, r.Scan)
			}
		}
	}
	return out
}

// flush writes batches until none is pending.
func (sr *ScanRecorder) flush() {
	for {
		sr.mu.Lock()
		n := min(len(sr.pending), MaxScanBatch)
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

// Wait returns when no scan is pending or being written.
func (sr *ScanRecorder) Wait() {
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
func sameScan(a, b Scan) bool {
	return a.At.Equal(b.At) && a.IPPrefix == b.IPPrefix && a.Device == b.Device && a.Staff == b.Staff
}
