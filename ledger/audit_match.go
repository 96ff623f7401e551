package ledger

import (
	"context"
	"fmt"
	"iter"

	"golang.org/x/mod/sumdb/tlog"
)

// derivedLeaves pulls the re-derived leaves with a lookahead of two,
// hashing them and recording the roots of the re-derived tree at the sizes
// of the checkpoints.
type derivedLeaves struct {
	ctx   context.Context
	next  func() ([]byte, error, bool)
	buf   []tlog.Hash
	done  bool
	rh    rangeHasher
	want  map[int64]bool
	roots map[int64]tlog.Hash
}

// peek returns the k-th leaf hash not yet popped.
func (d *derivedLeaves) peek(k int) (tlog.Hash, bool, error) {
	for len(d.buf) <= k && !d.done {
		if err := d.ctx.Err(); err != nil {
			return tlog.Hash{}, false, err
		}
		leaf, err, ok := d.next()
		if !ok {
			d.done = true
			break
		}
		if err != nil {
			return tlog.Hash{}, false, fmt.Errorf("ledger: audit: read record %d: %w", d.rh.n, err)
		}
		h := tlog.RecordHash(leaf)
		d.buf = append(d.buf, h)
		d.rh.push(h, nil)
		if d.want[d.rh.n] {
			d.roots[d.rh.n] = d.rh.root()
		}
	}
	if len(d.buf) <= k {
		return tlog.Hash{}, false, nil
	}
	return d.buf[k], true, nil
}

func (d *derivedLeaves) pop(n int) { d.buf = d.buf[n:] }

// storedLeaves reads stored leaf hashes by leaf index, a chunk at a time.
type storedLeaves struct {
	ctx   context.Context
	r     HashReader
	size  int64
	start int64
	buf   []tlog.Hash
}

func (s *storedLeaves) get(i int64) (tlog.Hash, bool, error) {
	if i >= s.size {
		return tlog.Hash{}, false, nil
	}
	if i < s.start || i >= s.start+int64(len(s.buf)) {
		s.start = i
		n := min(int64(auditChunk), s.size-i)
		idx := make([]int64, n)
		for k := range idx {
			idx[k] = tlog.StoredHashIndex(0, i+int64(k))
		}
		hs, err := s.r.ReadHashes(s.ctx, idx)
		if err == nil && len(hs) != len(idx) {
			err = fmt.Errorf("read %d hashes, want %d", len(hs), len(idx))
		}
		if err != nil {
			return tlog.Hash{}, false, fmt.Errorf("ledger: audit: read leaf hashes from %d: %w", i, err)
		}
		s.buf = hs
	}
	return s.buf[i-s.start], true, nil
}

// matchLeaves walks the stored leaves and the re-derived ones side by side
// and reports the differences. It returns the roots of the re-derived tree
// at the sizes in want.
func (a *auditor) matchLeaves(ctx context.Context, in AuditInput, want map[int64]bool) (map[int64]tlog.Hash, error) {
	seq := in.Leaves
	if seq == nil {
		seq = func(func([]byte, error) bool) {}
	}
	next, stop := iter.Pull2(seq)
	defer stop()
	d := &derivedLeaves{ctx: ctx, next: next, want: want, roots: map[int64]tlog.Hash{}}
	if want[0] {
		d.roots[0] = emptyRoot
	}
	s := &storedLeaves{ctx: ctx, r: in.Hashes, size: in.Size}
	i := int64(0)
	for {
		dj, okD, err := d.peek(0)
		if err != nil {
			return nil, err
		}
		si, okS, err := s.get(i)
		if err != nil {
			return nil, err
		}
		if !okD || !okS {
			break
		}
		if dj == si {
			i++
			d.pop(1)
			continue
		}
		si1, okS1, err := s.get(i + 1)
		if err != nil {
			return nil, err
		}
		dj1, okD1, err := d.peek(1)
		if err != nil {
			return nil, err
		}
		switch {
		case okS1 && okD1 && dj == si1 && dj1 == si:
			a.add(FindingLeafMismatch, i, "the records of leaves %d and %d are swapped", i, i+1)
			a.add(FindingLeafMismatch, i+1, "the records of leaves %d and %d are swapped", i, i+1)
			i += 2
			d.pop(2)
		case okS1 && dj == si1:
			a.add(FindingLeafMissing, i, "no record re-derives leaf %d (deleted?)", i)
			i++
		case okD1 && dj1 == si:
			a.add(FindingLeafExtra, i, "a record before leaf %d has no leaf in the tree (inserted?)", i)
			d.pop(1)
		default:
			a.add(FindingLeafMismatch, i, "the record re-derives a leaf that differs from stored leaf %d", i)
			i++
			d.pop(1)
		}
	}
	for ; i < in.Size; i++ {
		a.add(FindingLeafMissing, i, "no record re-derives leaf %d", i)
	}
	for k := int64(0); ; k++ {
		_, ok, err := d.peek(0)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		a.add(FindingLeafExtra, in.Size+k, "a record after the last leaf has no leaf in the tree")
		d.pop(1)
	}
	return d.roots, nil
}
