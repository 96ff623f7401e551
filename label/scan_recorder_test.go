package label

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// blockingScans holds RecordScans until release is closed.
type blockingScans struct {
	release chan struct{}
	mu      sync.Mutex
	got     []ScanRecord
	fail    bool
}

func (b *blockingScans) RecordScans(ctx context.Context, scans []ScanRecord) error {
	<-b.release
	if b.fail {
		return errors.New("disk full")
	}
	b.mu.Lock()
	b.got = append(b.got, scans...)
	b.mu.Unlock()
	return nil
}

func TestScanRecorder(t *testing.T) {
	w := &blockingScans{release: make(chan struct{})}
	sr := NewScanRecorder(w, nil)
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	a, b := [32]byte{1}, [32]byte{2}
	sr.Record(ScanRecord{Hash: a, Scan: Scan{At: at, IPPrefix: "198.51.100.0/24"}})
	sr.Record(ScanRecord{Hash: b, Scan: Scan{At: at}})
	sr.Record(ScanRecord{Hash: a, Scan: Scan{At: at.Add(time.Second)}})
	if got := sr.PendingFor(a); len(got) != 2 || !sameScan(got[0], Scan{At: at, IPPrefix: "198.51.100.0/24"}) {
		t.Fatalf("PendingFor(a) = %+v; want both scans of a while none is written", got)
	}
	close(w.release)
	sr.Wait()
	if got := sr.PendingFor(a); len(got) != 0 {
		t.Errorf("PendingFor(a) after Wait = %+v; want none", got)
	}
	if len(w.got) != 3 {
		t.Errorf("the store got %d scans, want 3", len(w.got))
	}

	failing := &blockingScans{release: make(chan struct{}), fail: true}
	close(failing.release)
	sr = NewScanRecorder(failing, nil)
	sr.Record(ScanRecord{Hash: a, Scan: Scan{At: at}})
	sr.Wait()
	if got := sr.PendingFor(a); len(got) != 0 {
		t.Errorf("a batch that could not be written is still pending: %+v", got)
	}
}
