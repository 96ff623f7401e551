package ledger

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func testLeaves(lo, hi int) [][]byte {
	var out [][]byte
	for i := lo; i < hi; i++ {
		out = append(out, fmt.Appendf(nil, "leaf %d\n", i))
	}
	return out
}

// refRoot is the RFC 6962 root computed recursively from leaf data.
func refRoot(leaves [][]byte) tlog.Hash {
	if len(leaves) == 1 {
		return tlog.RecordHash(leaves[0])
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return tlog.NodeHash(refRoot(leaves[:k]), refRoot(leaves[k:]))
}

func TestAppendBatches(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		batches []int
	}{
		{"one", []int{1}},
		{"ones", []int{1, 1, 1, 1, 1, 1, 1}},
		{"one batch", []int{1000}},
		{"mixed", []int{3, 0, 5, 1, 256, 255, 17, 2}},
		{"after power of two", []int{256, 1, 511}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemoryStore(0)
			n := 0
			for _, b := range tt.batches {
				leaves := testLeaves(n, n+b)
				size, root, err := Append(ctx, m, int64(n), leaves)
				if err != nil {
					t.Fatalf("Append(%d, %d leaves): %v", n, b, err)
				}
				n += b
				if size != int64(n) {
					t.Fatalf("Append size = %d, want %d", size, n)
				}
				if n > 0 {
					if want := refRoot(testLeaves(0, n)); root != want {
						t.Fatalf("Append root at %d = %v, want %v", n, root, want)
					}
				}
				if got := int64(len(m.hashes)); got != tlog.StoredHashCount(int64(n)) {
					t.Fatalf("stored %d hashes, want %d", got, tlog.StoredHashCount(int64(n)))
				}
			}
			for s := int64(1); s <= int64(n); s = s*3 + 1 {
				got, err := TreeRoot(ctx, m, s)
				if err != nil {
					t.Fatal(err)
				}
				if want := refRoot(testLeaves(0, int(s))); got != want {
					t.Errorf("TreeRoot(%d) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

func TestAppendErrors(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore(0)
	if _, _, err := Append(ctx, m, -1, nil); err == nil {
		t.Error("Append(-1) succeeded")
	}
	if _, _, err := Append(ctx, m, 5, testLeaves(0, 1)); err == nil {
		t.Error("Append to a tree the store does not hold succeeded")
	}
	if _, _, err := Append(ctx, m, 0, make([][]byte, MaxBatch+1)); err == nil {
		t.Error("Append of too many leaves succeeded")
	}
}

func TestFrontierIndexes(t *testing.T) {
	for _, size := range []int64{0, 1, 2, 3, 7, 8, 13, 1 << 20, 1<<20 + 5} {
		var want []int64
		lo := int64(0)
		for l := 62; l >= 0; l-- {
			if size&(1<<l) != 0 {
				want = append(want, tlog.StoredHashIndex(l, lo>>l))
				lo += 1 << l
			}
		}
		got := frontierIndexes(size)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("frontierIndexes(%d) = %v, want %v", size, got, want)
		}
	}
}
