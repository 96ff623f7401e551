// Package ledgertest is a conformance suite for implementations of
// ledger.HashWriter, such as the SQL stores' transactions: call TestHashWriter
// from the store's tests.
//
// SPEC: https://pkg.go.dev/golang.org/x/mod/sumdb/tlog
package ledgertest

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate/ledger"
)

// TestHashWriter checks a HashWriter: trees built with ledger.Append in
// batches have the right roots and proofs, ReadHashes returns hashes in the
// order asked (duplicates included) and fails on indexes never written, and
// WriteHashes refuses to overwrite a stored hash. open must return an empty
// store each time it is called (the suite calls it once per subtest).
func TestHashWriter(t *testing.T, open func(t *testing.T) ledger.HashWriter) {
	ctx := context.Background()
	t.Run("append", func(t *testing.T) {
		w := open(t)
		var leaves [][]byte
		size := int64(0)
		for _, b := range []int{1, 2, 5, 0, 256, 1, 300} {
			batch := make([][]byte, b)
			for i := range batch {
				batch[i] = fmt.Appendf(nil, "leaf %d\n", len(leaves)+i)
			}
			n, root, err := ledger.Append(ctx, w, size, batch)
			if err != nil {
				t.Fatalf("Append(%d, %d leaves): %v", size, b, err)
			}
			leaves, size = append(leaves, batch...), n
			if want := refRoot(leaves); size > 0 && root != want {
				t.Fatalf("Append root at %d = %v, want %v", size, root, want)
			}
		}
		for _, s := range []int64{1, 8, 9, 264, size} {
			got, err := ledger.TreeRoot(ctx, w, s)
			if err != nil || got != refRoot(leaves[:s]) {
				t.Errorf("TreeRoot(%d) = %v, %v, want %v", s, got, err, refRoot(leaves[:s]))
			}
		}
		proof, err := ledger.ProveInclusion(ctx, w, size, 100)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(proof, size, refRoot(leaves), 100, tlog.RecordHash(leaves[100])); err != nil {
			t.Errorf("inclusion proof of leaf 100: %v", err)
		}
	})
	t.Run("read order", func(t *testing.T) {
		w := open(t)
		leaves := [][]byte{[]byte("a"), []byte("b"), []byte("c")}
		if _, _, err := ledger.Append(ctx, w, 0, leaves); err != nil {
			t.Fatal(err)
		}
		idx := []int64{tlog.StoredHashIndex(0, 2), tlog.StoredHashIndex(0, 0), tlog.StoredHashIndex(0, 2), tlog.StoredHashIndex(1, 0)}
		want := []tlog.Hash{tlog.RecordHash(leaves[2]), tlog.RecordHash(leaves[0]), tlog.RecordHash(leaves[2]),
			tlog.NodeHash(tlog.RecordHash(leaves[0]), tlog.RecordHash(leaves[1]))}
		got, err := w.ReadHashes(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ReadHashes(%v) = %v, want %v", idx, got, want)
		}
		if hs, err := w.ReadHashes(ctx, []int64{tlog.StoredHashCount(3)}); err == nil {
			t.Errorf("ReadHashes(unwritten index) = %v, want an error", hs)
		}
	})
	t.Run("no overwrite", func(t *testing.T) {
		w := open(t)
		if _, _, err := ledger.Append(ctx, w, 0, [][]byte{[]byte("a"), []byte("b")}); err != nil {
			t.Fatal(err)
		}
		// A caller with a stale size appends again at 1.
		if _, _, err := ledger.Append(ctx, w, 1, [][]byte{[]byte("x")}); err == nil {
			t.Error("Append over stored hashes succeeded; WriteHashes must refuse to overwrite")
		}
	})
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
