package ledger

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// HashReader reads stored hashes of the tree by their stored-hash index
// (see tlog.StoredHashIndex). A SQL store implements it with a query on its
// ledger_hashes table, inside its transaction when it writes.
//
// ReadHashes returns one hash per index, in the order of indexes. It fails
// when an index is not stored (an ENOTFOUND *tracegate.Error is preferred)
// or when the store cannot be read.
type HashReader interface {
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// HashWriter is a HashReader that can also store hashes. A SQL store
// implements it on its write transaction, so that the hashes commit together
// with the records they commit to.
//
// WriteHashes stores hashes[i] at indexes[i]. Append only ever writes new,
// consecutive indexes, in increasing order. It fails when the store cannot
// be written. A store should refuse to overwrite an index (a plain INSERT
// does), so that a caller passing a stale tree size fails instead of
// rewriting the tree.
type HashWriter interface {
	HashReader
	WriteHashes(ctx context.Context, indexes []int64, hashes []tlog.Hash) error
}

// EntryReader reads the leaf data (entries) of the log, for entry bundles
// and audits. ReadEntries returns the entries with indexes start..end-1 in
// order. It fails when any of them is not stored or the store cannot be read.
type EntryReader interface {
	ReadEntries(ctx context.Context, start, end int64) ([][]byte, error)
}

// MaxBatch is the largest number of leaves one call of Append accepts.
const MaxBatch = 100_000

// Append adds leaves to the tree of oldSize leaves stored in w: it computes
// the RFC 6962 stored hashes of each leaf (tlog.StoredHashes), writes them
// with one WriteHashes call, and returns the new tree size and root hash.
//
// The caller passes the tree size it read in the same transaction (the store
// records it, e.g. as the count of leaves) and owns group commit: many leaves
// per call are cheaper than one each. Append reads at most log2(oldSize)
// hashes, once, and keeps the hashes it computes in memory for the batch.
// An empty batch returns the root of the tree as it is.
//
// Append fails with EINVALID when oldSize is negative, with ETOOLARGE when
// there are more than MaxBatch leaves, and with the store's error when
// reading the existing hashes or writing the new ones fails; after an error
// the caller must roll back its transaction.
func Append(ctx context.Context, w HashWriter, oldSize int64, leaves [][]byte) (newSize int64, root tlog.Hash, err error) {
	if oldSize < 0 {
		return 0, tlog.Hash{}, tracegate.Errorf(tracegate.EINVALID, "ledger: negative tree size %d", oldSize)
	}
	if len(leaves) > MaxBatch {
		return 0, tlog.Hash{}, tracegate.Errorf(tracegate.ETOOLARGE, "ledger: %d leaves in one batch, at most %d", len(leaves), MaxBatch)
	}
	b, err := newBatch(ctx, w, oldSize)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	for i, leaf := range leaves {
		hs, err := tlog.StoredHashes(oldSize+int64(i), leaf, b)
		if err != nil {
			return 0, tlog.Hash{}, fmt.Errorf("ledger: hash leaf %d: %w", oldSize+int64(i), err)
		}
		b.added = append(b.added, hs...)
	}
	newSize = oldSize + int64(len(leaves))
	root, err = treeHash(newSize, b)
	if err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: tree hash %d: %w", newSize, err)
	}
	if len(b.added) == 0 {
		return newSize, root, nil
	}
	indexes := make([]int64, len(b.added))
	for i := range indexes {
		indexes[i] = b.base + int64(i)
	}
	if err := w.WriteHashes(ctx, indexes, b.added); err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("ledger: write hashes: %w", err)
	}
	return newSize, root, nil
}

// batch is the tlog.HashReader Append computes with: the frontier of the old
// tree (the roots of its complete subtrees, the only old hashes any new leaf
// needs) and the hashes computed so far, which start at stored index base.
type batch struct {
	frontier map[int64]tlog.Hash
	base     int64
	added    []tlog.Hash
}

func newBatch(ctx context.Context, r HashReader, size int64) (*batch, error) {
	idx := frontierIndexes(size)
	b := &batch{frontier: make(map[int64]tlog.Hash, len(idx)), base: tlog.StoredHashCount(size)}
	if len(idx) == 0 {
		return b, nil
	}
	hs, err := r.ReadHashes(ctx, idx)
	if err != nil {
		return nil, fmt.Errorf("ledger: read frontier of tree %d: %w", size, err)
	}
	if len(hs) != len(idx) {
		return nil, fmt.Errorf("ledger: read %d hashes, want %d", len(hs), len(idx))
	}
	for i, x := range idx {
		b.frontier[x] = hs[i]
	}
	return b, nil
}

// frontierIndexes returns the stored indexes of the roots of the complete
// subtrees that make up a tree of size leaves, largest first.
func frontierIndexes(size int64) []int64 {
	var idx []int64
	for l := 63 - bits.LeadingZeros64(uint64(size)); l >= 0; l-- {
		if size>>uint(l)&1 == 1 {
			idx = append(idx, tlog.StoredHashIndex(l, size>>uint(l)-1))
		}
	}
	return idx
}

func (b *batch) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= b.base {
			if x-b.base >= int64(len(b.added)) {
				return nil, fmt.Errorf("ledger: hash %d not yet computed", x)
			}
			out[i] = b.added[x-b.base]
			continue
		}
		h, ok := b.frontier[x]
		if !ok {
			return nil, fmt.Errorf("ledger: hash %d is not on the frontier", x)
		}
		out[i] = h
	}
	return out, nil
}

// TreeRoot returns the root hash of the tree of size leaves stored in r
// (SHA-256 of no bytes for size 0, as RFC 6962 defines).
// It fails when size is negative or r cannot supply the hashes.
func TreeRoot(ctx context.Context, r HashReader, size int64) (tlog.Hash, error) {
	if size < 0 {
		return tlog.Hash{}, tracegate.Errorf(tracegate.EINVALID, "ledger: negative tree size %d", size)
	}
	h, err := treeHash(size, tlogReader(ctx, r))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("ledger: tree hash %d: %w", size, err)
	}
	return h, nil
}

// emptyRoot is the root hash of the empty tree, SHA-256 of no bytes
// (RFC 6962, section 2.1).
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// treeHash is tlog.TreeHash, but with RFC 6962's root of the empty tree.
func treeHash(n int64, r tlog.HashReader) (tlog.Hash, error) {
	if n == 0 {
		return emptyRoot, nil
	}
	return tlog.TreeHash(n, r)
}

// tlogReader adapts a HashReader to tlog.HashReader, binding ctx.
func tlogReader(ctx context.Context, r HashReader) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hs, err := r.ReadHashes(ctx, indexes)
		if err == nil && len(hs) != len(indexes) {
			err = fmt.Errorf("ledger: read %d hashes, want %d", len(hs), len(indexes))
		}
		return hs, err
	})
}
