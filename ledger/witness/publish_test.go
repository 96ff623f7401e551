package witness

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/ledger"
)

// memLog is a ledger.Store over a MemoryStore, for the publisher.
type memLog struct {
	*ledger.MemoryStore
	cps [][]byte
}

func (m *memLog) LedgerSize(ctx context.Context) (int64, error) { return m.Size(), nil }

func (m *memLog) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	m.cps = append(m.cps, signed)
	return nil
}

func (m *memLog) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	if len(m.cps) == 0 {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "none")
	}
	return m.cps[len(m.cps)-1], nil
}

func (m *memLog) Checkpoints(ctx context.Context) ([][]byte, error) { return m.cps, nil }

// TestPublisherWithWitnesses publishes through ledger.Publisher with the
// witness client as its cosigner, as `tracegate serve --witness` does: the
// stored checkpoint carries the quorum's cosignatures, and a checkpoint the
// witnesses do not cosign in quorum is not published.
func TestPublisherWithWitnesses(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3)
	log := &memLog{MemoryStore: f.store}
	lv, err := ledger.NewVerifier(f.logVKey)
	if err != nil {
		t.Fatal(err)
	}
	client := NewClient(nil)
	policy := f.policy(t, 2)
	pub := &ledger.Publisher{Store: log, Signer: f.signer, Verifiers: note.VerifierList(lv),
		Cosign: func(ctx context.Context, signed []byte) ([]byte, error) {
			return client.Cosign(ctx, log, signed, f.witnesses, policy)
		}}
	for round, n := range []int{5, 40, 1} {
		f.grow(t, n)
		size, err := pub.PublishOnce(ctx)
		if err != nil || size != f.store.Size() {
			t.Fatalf("round %d: PublishOnce() = %d, %v; want %d", round, size, err, f.store.Size())
		}
		latest, _ := log.LatestCheckpoint(ctx)
		cp, err := policy.Verify(latest)
		if err != nil || len(policy.Witnessed(cp)) < 2 {
			t.Fatalf("round %d: published checkpoint %q: %v", round, latest, err)
		}
	}
	if size, err := pub.PublishOnce(ctx); err != nil || size != 0 {
		t.Fatalf("PublishOnce() with nothing new = %d, %v; want 0", size, err)
	}
	// Two of three witnesses are down: below quorum,
	// nothing is published.
	before := len(log.cps)
	f.servers[0].down, f.servers[1].down = true, true
	f.grow(t, 3)
	if _, err := pub.PublishOnce(ctx); !errors.Is(err, ledger.ErrQuorum) {
		t.Fatalf("PublishOnce() below quorum = %v, want ErrQuorum", err)
	}
	if len(log.cps) != before {
		t.Fatal("a checkpoint without its quorum was published")
	}
}
