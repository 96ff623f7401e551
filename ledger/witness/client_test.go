package witness

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/ledger"
)

const origin = "example.com/log"

type fixture struct {
	store     *ledger.MemoryStore
	signer    *ledger.Signer
	logVKey   string
	servers   []*testWitness
	witnesses []*Witness
	wkeys     []string
}

func newFixture(t *testing.T, nWitnesses int) *fixture {
	t.Helper()
	skey, vkey, err := ledger.GenerateKey(origin)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := ledger.NewSigner(skey)
	lv, _ := ledger.NewVerifier(vkey)
	f := &fixture{store: ledger.NewMemoryStore(0), signer: s, logVKey: vkey}
	for i := range nWitnesses {
		name := fmt.Sprintf("w%d.example", i+1)
		wskey, wvkey, err := ledger.GenerateWitnessKey(name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := ledger.NewCosigner(wskey, nil)
		if err != nil {
			t.Fatal(err)
		}
		tw := &testWitness{cosigner: cs, logs: map[string]note.Verifier{origin: lv}, state: map[string]tlog.Tree{}}
		srv := httptest.NewServer(tw)
		t.Cleanup(srv.Close)
		w, err := NewWitness(wvkey, srv.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		f.servers, f.witnesses, f.wkeys = append(f.servers, tw), append(f.witnesses, w), append(f.wkeys, wvkey)
	}
	return f
}

// grow appends n leaves and returns the signed checkpoint of the new tree.
func (f *fixture) grow(t *testing.T, n int) []byte {
	t.Helper()
	var leaves [][]byte
	for i := range n {
		leaves = append(leaves, fmt.Appendf(nil, "leaf %d of %d\n", i, f.store.Size()))
	}
	size, root, err := f.store.AppendEntries(context.Background(), leaves)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := f.signer.Sign(size, root)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func (f *fixture) policy(t *testing.T, quorum int) *ledger.Policy {
	t.Helper()
	p, err := ledger.NewPolicy(f.logVKey, f.wkeys, quorum)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCosign(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3)
	c := NewClient(nil)
	p := f.policy(t, 3)
	for round, n := range []int{1, 10, 300, 0, 5} {
		signed := f.grow(t, n)
		out, err := c.Cosign(ctx, f.store, signed, f.witnesses, p)
		if err != nil {
			t.Fatalf("round %d: Cosign: %v", round, err)
		}
		cp, err := p.Verify(out)
		if err != nil || len(p.Witnessed(cp)) != 3 {
			t.Fatalf("round %d: Verify(cosigned) = %v, %v", round, cp, err)
		}
		if !strings.HasPrefix(string(out), string(signed)) {
			t.Errorf("round %d: cosigned checkpoint does not extend the log's", round)
		}
		for _, w := range f.witnesses {
			if c.KnownSize(w) != cp.Size {
				t.Errorf("KnownSize(%s) = %d, want %d", w.Name(), c.KnownSize(w), cp.Size)
			}
		}
	}
	// A client that does not know the witnesses' sizes learns them from 409.
	fresh := NewClient(nil)
	signed := f.grow(t, 7)
	if _, err := fresh.Cosign(ctx, f.store, signed, f.witnesses, p); err != nil {
		t.Fatalf("Cosign with a fresh client: %v", err)
	}
}

func TestCosignQuorum(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3)
	f.servers[1].down = true
	f.servers[2].forged = true
	signed := f.grow(t, 20)
	out, err := NewClient(nil).Cosign(ctx, f.store, signed, f.witnesses, f.policy(t, 2))
	if !errors.Is(err, ledger.ErrQuorum) {
		t.Fatalf("Cosign with 1 of 3 witnesses good, quorum 2 = %v, want ErrQuorum", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusServiceUnavailable {
		t.Errorf("Cosign error %v does not carry the 503", err)
	}
	cp, err := f.policy(t, 1).Verify(out)
	if err != nil {
		t.Fatalf("Verify with quorum 1: %v", err)
	}
	if got := f.policy(t, 1).Witnessed(cp); len(got) != 1 || got[0] != "w1.example" {
		t.Errorf("Witnessed = %v, want [w1.example]", got)
	}
}

func TestAddCheckpointErrors(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	w, tw := f.witnesses[0], f.servers[0]
	c := NewClient(nil)
	signed100 := f.grow(t, 100)
	if _, err := c.AddCheckpoint(ctx, w, 0, nil, signed100); err != nil {
		t.Fatal(err)
	}
	signed150 := f.grow(t, 50)
	proof, _ := ledger.ProveConsistency(ctx, f.store, 100, 150)
	badProof := append([]tlog.Hash(nil), proof...)
	badProof[0][0] ^= 1
	otherSkey, _, _ := ledger.GenerateKey(origin)
	impostor, _ := ledger.NewSigner(otherSkey)
	root150, _ := ledger.TreeRoot(ctx, f.store, 150)
	byImpostor, _ := impostor.Sign(150, root150)
	unknownSkey, _, _ := ledger.GenerateKey("example.com/other")
	unknown, _ := ledger.NewSigner(unknownSkey)
	byUnknown, _ := unknown.Sign(150, root150)
	fork100, _ := f.signer.Sign(100, tlog.RecordHash([]byte("fork")))

	tests := []struct {
		name   string
		old    int64
		proof  []tlog.Hash
		signed []byte
		status int // 0: a ConflictError
		size   int64
	}{
		{"stale old size", 0, nil, signed150, 0, 100},
		{"old size ahead", 120, proof, signed150, 0, 100},
		{"old larger than checkpoint", 200, proof, signed150, http.StatusBadRequest, 0},
		{"bad proof", 100, badProof, signed150, http.StatusUnprocessableEntity, 0},
		{"not signed by the log", 100, proof, byImpostor, http.StatusForbidden, 0},
		{"unknown origin", 100, proof, byUnknown, http.StatusNotFound, 0},
		{"same size, other root", 100, nil, fork100, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := c.AddCheckpoint(ctx, w, tt.old, tt.proof, tt.signed)
			if tt.status == 0 {
				var ce *ConflictError
				if !errors.As(err, &ce) || ce.Size != tt.size {
					t.Errorf("AddCheckpoint = %q, %v, want ConflictError{Size: %d}", lines, err, tt.size)
				}
				return
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Status != tt.status {
				t.Errorf("AddCheckpoint = %q, %v, want HTTP %d", lines, err, tt.status)
			}
		})
	}
	// The witness kept its state through the failures.
	if _, err := c.AddCheckpoint(ctx, w, 100, proof, signed150); err != nil {
		t.Errorf("AddCheckpoint(100 -> 150) after the failures: %v", err)
	}
	// A cosignature by an unexpected key is not accepted.
	tw.forged = true
	signed160 := f.grow(t, 10)
	p2, _ := ledger.ProveConsistency(ctx, f.store, 150, 160)
	if _, err := c.AddCheckpoint(ctx, w, 150, p2, signed160); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("AddCheckpoint with a forged cosignature = %v, want EINVALID", err)
	}
	if _, err := NewWitness(f.logVKey, "https://w.example"); err == nil {
		t.Error("NewWitness(log key) succeeded")
	}
	if _, err := NewWitness(f.wkeys[0], "ftp://w.example"); err == nil {
		t.Error("NewWitness(ftp URL) succeeded")
	}
}
