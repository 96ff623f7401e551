package ledger

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"golang.org/x/mod/sumdb/tlog"
)

// FindingKind says what an audit found wrong.
type FindingKind string

// The kinds of findings.
const (
	// FindingLeafMismatch: the leaf re-derived from the record at Index does
	// not hash to the stored leaf hash (a record or a hash was changed).
	FindingLeafMismatch FindingKind = "leaf-mismatch"
	// FindingLeafMissing: the tree has a leaf at Index but no record
	// re-derives to it (a record was deleted).
	FindingLeafMissing FindingKind = "leaf-missing"
	// FindingLeafExtra: a record re-derives to a leaf the tree does not have
	// at Index (a record was inserted, or was never logged).
	FindingLeafExtra FindingKind = "leaf-extra"
	// FindingHashMismatch: the stored interior hash completed by leaf Index
	// is not the hash of its children (the stored tree was altered).
	FindingHashMismatch FindingKind = "hash-mismatch"
	// FindingRootMismatch: the checkpoint of size Index does not have the
	// root of the re-derived records, or of the stored hashes, at its size.
	FindingRootMismatch FindingKind = "root-mismatch"
	// FindingInconsistent: the checkpoint of size Index is not consistent
	// with the previous (smaller or equal) checkpoint: the log forked.
	FindingInconsistent FindingKind = "checkpoint-inconsistent"
	// FindingBeyondTree: the checkpoint of size Index is larger than the
	// stored tree (the store lost leaves, or was rolled back).
	FindingBeyondTree FindingKind = "checkpoint-beyond-tree"
	// FindingTruncated: more findings were found than reported.
	FindingTruncated FindingKind = "truncated"
)

// Finding is one problem found by Audit. Index is a leaf index for leaf and
// hash findings and a checkpoint's tree size for checkpoint findings.
type Finding struct {
	Kind    FindingKind `json:"kind"`
	Index   int64       `json:"index"`
	Message string      `json:"message"`
}

// String returns the finding as one line.
func (f Finding) String() string { return fmt.Sprintf("%s at %d: %s", f.Kind, f.Index, f.Message) }

// AuditInput is what Audit checks against each other.
type AuditInput struct {
	// Hashes reads the stored hashes of the tree of Size leaves.
	Hashes HashReader
	Size   int64
	// Leaves yields, in log order, the leaf re-derived from each record in
	// the database (Leaf.Encode of the record's fields), or an error that
	// stops the audit.
	Leaves iter.Seq2[[]byte, error]
	// Checkpoints are the stored checkpoints, parsed and verified with the
	// log's key by the caller.
	Checkpoints []*Checkpoint
	// MaxFindings caps the findings reported (0 means 1000); past it one
	// FindingTruncated finding says how many more there were.
	MaxFindings int
}

// Audit re-derives the tree from the records and checks it against the
// stored hashes and checkpoints. It reports, in order: stored interior
// hashes that are not the hash of their children; leaves that differ from
// the stored ones, are missing or extra (matching with one leaf of
// lookahead, so a deleted, inserted or swapped record is named as such
// rather than as a run of mismatches); checkpoints whose root is not the
// root of the re-derived records or of the stored hashes at their size, or
// that are beyond the stored tree; and checkpoints that are not consistent
// with the previous one (by size), per a consistency proof from the stored
// hashes. No findings means the records, the tree and the checkpoints agree.
// When stored hashes are altered (hash-mismatch findings), root and
// consistency findings computed from them may blame checkpoints that are in
// fact fine; the re-derived root checks do not depend on stored hashes.
//
// Audit reads every stored hash once and the records once, keeping
// O(log Size + len(Checkpoints)) hashes in memory. It fails only when the
// stored hashes or the records cannot be read, or ctx is done.
func Audit(ctx context.Context, in AuditInput) ([]Finding, error) {
	a := &auditor{max: in.MaxFindings}
	if a.max <= 0 {
		a.max = 1000
	}
	if err := a.checkStoredTree(ctx, in.Hashes, in.Size); err != nil {
		return nil, err
	}
	cps := slices.Clone(in.Checkpoints)
	slices.SortStableFunc(cps, func(x, y *Checkpoint) int { return int(min(max(x.Size-y.Size, -1), 1)) })
	wantRoots := make(map[int64]bool, len(cps))
	for _, c := range cps {
		wantRoots[c.Size] = true
	}
	derived, err := a.matchLeaves(ctx, in, wantRoots)
	if err != nil {
		return nil, err
	}
	var prev *Checkpoint
	for _, c := range cps {
		if err := a.checkCheckpoint(ctx, in, c, derived, prev); err != nil {
			return nil, err
		}
		prev = c
	}
	if a.dropped > 0 {
		a.findings = append(a.findings, Finding{FindingTruncated, -1, fmt.Sprintf("%d more findings not reported", a.dropped)})
	}
	return a.findings, nil
}

type auditor struct {
	findings []Finding
	max      int
	dropped  int
}

func (a *auditor) add(kind FindingKind, index int64, format string, args ...any) {
	if len(a.findings) >= a.max {
		a.dropped++
		return
	}
	a.findings = append(a.findings, Finding{kind, index, fmt.Sprintf(format, args...)})
}

// checkStoredTree reads all stored hashes in order and recomputes every
// interior hash from the stored leaf hashes.
func (a *auditor) checkStoredTree(ctx context.Context, r HashReader, size int64) error {
	cur := &hashCursor{ctx: ctx, r: r, end: tlog.StoredHashCount(size)}
	var rh rangeHasher
	for i := int64(0); i < size; i++ {
		leaf, err := cur.next()
		if err != nil {
			return err
		}
		var nodeErr error
		// Each stored node is checked against its stored children, and
		// the stored value is kept, so one altered hash is reported where
		// it is (and at its parent), not all the way up.
		rh.push(leaf, func(level int, n int64, h tlog.Hash) tlog.Hash {
			stored, err := cur.next()
			if err != nil {
				nodeErr = err
			} else if stored != h {
				a.add(FindingHashMismatch, i, "stored hash of node %d at level %d is not the hash of its children", n, level)
			}
			return stored
		})
		if nodeErr != nil {
			return nodeErr
		}
	}
	return nil
}

// checkCheckpoint checks c against the re-derived roots, the stored
// hashes, and the previous checkpoint.
func (a *auditor) checkCheckpoint(ctx context.Context, in AuditInput, c *Checkpoint, derived map[int64]tlog.Hash, prev *Checkpoint) error {
	if c.Size > in.Size {
		a.add(FindingBeyondTree, c.Size, "checkpoint of %d leaves, but the stored tree has %d", c.Size, in.Size)
	} else {
		stored, err := TreeRoot(ctx, in.Hashes, c.Size)
		if err != nil {
			return err
		}
		if stored != c.Root {
			a.add(FindingRootMismatch, c.Size, "the stored hashes give root %v at size %d, the checkpoint %v", stored, c.Size, c.Root)
		}
	}
	if d, ok := derived[c.Size]; !ok {
		a.add(FindingRootMismatch, c.Size, "the records re-derive fewer than the checkpoint's %d leaves", c.Size)
	} else if d != c.Root {
		a.add(FindingRootMismatch, c.Size, "the records re-derive root %v at size %d, the checkpoint %v", d, c.Size, c.Root)
	}
	if prev == nil || prev.Size > in.Size || c.Size > in.Size {
		return nil
	}
	var proof []tlog.Hash
	if prev.Size > 0 && prev.Size < c.Size {
		var err error
		if proof, err = ProveConsistency(ctx, in.Hashes, prev.Size, c.Size); err != nil {
			return err
		}
	}
	if err := checkConsistency(proof, prev.Size, prev.Root, c.Size, c.Root); err != nil {
		a.add(FindingInconsistent, c.Size, "checkpoint %d is not consistent with checkpoint %d: %v", c.Size, prev.Size, err)
	}
	return nil
}

// hashCursor reads consecutive stored hashes in chunks.
type hashCursor struct {
	ctx  context.Context
	r    HashReader
	pos  int64 // index of buf[0]
	buf  []tlog.Hash
	end  int64
	used int
}

const auditChunk = 4096

func (c *hashCursor) next() (tlog.Hash, error) {
	if c.used == len(c.buf) {
		c.pos += int64(len(c.buf))
		n := min(int64(auditChunk), c.end-c.pos)
		if n <= 0 {
			return tlog.Hash{}, fmt.Errorf("ledger: audit: read past stored hash %d", c.end)
		}
		idx := make([]int64, n)
		for i := range idx {
			idx[i] = c.pos + int64(i)
		}
		hs, err := c.r.ReadHashes(c.ctx, idx)
		if err != nil {
			return tlog.Hash{}, fmt.Errorf("ledger: audit: read stored hashes from %d: %w", c.pos, err)
		}
		if len(hs) != len(idx) {
			return tlog.Hash{}, fmt.Errorf("ledger: audit: read %d hashes, want %d", len(hs), len(idx))
		}
		c.buf, c.used = hs, 0
	}
	h := c.buf[c.used]
	c.used++
	return h, nil
}

// rangeHasher computes RFC 6962 roots of a growing list of leaf hashes,
// keeping only the roots of its complete subtrees (a compact range).
type rangeHasher struct {
	hashes []tlog.Hash
	levels []int
	n      int64
}

// push adds the leaf hash h and calls node for each subtree it completes,
// from level 1 up, with the node's level, index and hash; the hash node
// returns is the one kept for that subtree.
func (r *rangeHasher) push(h tlog.Hash, node func(level int, n int64, h tlog.Hash) tlog.Hash) {
	r.hashes, r.levels = append(r.hashes, h), append(r.levels, 0)
	for k := len(r.hashes); k >= 2 && r.levels[k-1] == r.levels[k-2]; k-- {
		h := tlog.NodeHash(r.hashes[k-2], r.hashes[k-1])
		level := r.levels[k-1] + 1
		if node != nil {
			h = node(level, r.n>>uint(level), h)
		}
		r.hashes, r.levels = append(r.hashes[:k-2], h), append(r.levels[:k-2], level)
	}
	r.n++
}

// root returns the root of the leaves pushed so far.
func (r *rangeHasher) root() tlog.Hash {
	if len(r.hashes) == 0 {
		return emptyRoot
	}
	h := r.hashes[len(r.hashes)-1]
	for i := len(r.hashes) - 2; i >= 0; i-- {
		h = tlog.NodeHash(r.hashes[i], h)
	}
	return h
}
