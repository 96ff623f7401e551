package ledger

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	leaf, _ := testLeaf(b).Encode()
	for _, batch := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			leaves := make([][]byte, batch)
			for i := range leaves {
				leaves[i] = leaf
			}
			m := NewMemoryStore(0)
			size := int64(0)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				n, _, err := Append(ctx, m, size, leaves)
				if err != nil {
					b.Fatal(err)
				}
				size = n
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(size), "ns/leaf")
		})
	}
}

// bigTree is the tree of the proof benchmarks, built once per process:
// TRACEGATE_BENCH_LEAVES leaves (default 10,000,000) in a flat MemoryStore.
var bigTree struct {
	once sync.Once
	m    *MemoryStore
	size int64
	root tlog.Hash
	err  error
}

func loadBigTree(b *testing.B) (*MemoryStore, int64, tlog.Hash) {
	bigTree.once.Do(func() {
		size := int64(10_000_000)
		if s := os.Getenv("TRACEGATE_BENCH_LEAVES"); s != "" {
			size, bigTree.err = strconv.ParseInt(s, 10, 64)
		}
		start := time.Now()
		m := NewMemoryStore(tlog.StoredHashCount(size))
		ctx := context.Background()
		const batch = 10_000
		buf := make([]byte, 8*batch)
		leaves := make([][]byte, batch)
		for n := int64(0); n < size && bigTree.err == nil; {
			k := min(batch, size-n)
			for i := range k {
				binary.BigEndian.PutUint64(buf[8*i:], uint64(n+i))
				leaves[i] = buf[8*i : 8*i+8]
			}
			n, bigTree.root, bigTree.err = Append(ctx, m, n, leaves[:k])
		}
		bigTree.m, bigTree.size = m, size
		fmt.Fprintf(os.Stderr, "built a tree of %d leaves (%d stored hashes, %d MiB) in %v\n",
			size, tlog.StoredHashCount(size), tlog.StoredHashCount(size)*32>>20, time.Since(start).Round(time.Millisecond))
	})
	if bigTree.err != nil {
		b.Fatal(bigTree.err)
	}
	return bigTree.m, bigTree.size, bigTree.root
}

// benchIndexes are spread over the tree, so proofs are not all alike.
func benchIndexes(size int64) []int64 {
	var idx []int64
	for i := int64(0); i < 1024; i++ {
		idx = append(idx, (i*2654435761)%size)
	}
	return idx
}

func BenchmarkProveInclusion(b *testing.B) {
	m, size, _ := loadBigTree(b)
	ctx := context.Background()
	idx := benchIndexes(size)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := ProveInclusion(ctx, m, size, idx[i%len(idx)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkVerifyInclusion(b *testing.B) {
	m, size, root := loadBigTree(b)
	ctx := context.Background()
	idx := benchIndexes(size)
	proofs := make([][]tlog.Hash, len(idx))
	leafHashes := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		var err error
		if proofs[i], err = ProveInclusion(ctx, m, size, x); err != nil {
			b.Fatal(err)
		}
		leafHashes[i] = tlog.RecordHash(binary.BigEndian.AppendUint64(nil, uint64(x)))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(idx)
		if err := tlog.CheckRecord(proofs[k], size, root, idx[k], leafHashes[k]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyInclusionDocument is the offline verifier end to end:
// parse the tlog-proof text, verify the checkpoint's Ed25519 signature,
// check the proof and parse the leaf.
func BenchmarkVerifyInclusionDocument(b *testing.B) {
	m, size, root := loadBigTree(b)
	ctx := context.Background()
	s, vkey := testSigner(b, DefaultOrigin)
	signed, err := s.Sign(size, root)
	if err != nil {
		b.Fatal(err)
	}
	x := size / 3
	hashes, err := ProveInclusion(ctx, m, size, x)
	if err != nil {
		b.Fatal(err)
	}
	doc := (&InclusionProof{Index: x, Hashes: hashes, Checkpoint: signed, Extra: binary.BigEndian.AppendUint64(nil, uint64(x))}).Marshal()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyInclusion(doc, vkey); err != nil {
			b.Fatal(err)
		}
	}
}
