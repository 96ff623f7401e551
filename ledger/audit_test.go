package ledger

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func seqOf(leaves [][]byte) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for _, l := range leaves {
			if !yield(l, nil) {
				return
			}
		}
	}
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	const n = 100
	l := newTestLog(t, n)
	cps := []*Checkpoint{l.checkpoint(t, 10), l.checkpoint(t, 50), l.checkpoint(t, n)}

	// A forked checkpoint at 60: signed over a tree whose leaf 55 differs.
	forkLeaves := slices.Clone(l.leaves[:60])
	forkLeaves[55] = l.leaves[0]
	fm := NewMemoryStore(0)
	_, forkRoot, _ := Append(ctx, fm, 0, forkLeaves)
	forkSigned, _ := l.signer.Sign(60, forkRoot)
	vs, _ := NewVerifiers(l.vkey)
	forked, err := ParseCheckpoint(forkSigned, vs)
	if err != nil {
		t.Fatal(err)
	}
	beyond := l.checkpoint(t, n)
	beyond.Size = n + 5

	type want struct {
		kind  FindingKind
		index int64
	}
	without := func(i int) [][]byte { return slices.Delete(slices.Clone(l.leaves), i, i+1) }
	tests := []struct {
		name   string
		leaves [][]byte
		cps    []*Checkpoint
		tamper func(m *MemoryStore)
		want   []want
	}{
		{name: "clean", leaves: l.leaves, cps: cps},
		{name: "changed leaf", leaves: func() [][]byte {
			ls := slices.Clone(l.leaves)
			ls[42] = []byte(strings.Replace(string(ls[42]), "label-binding", "label-issuance", 1))
			return ls
		}(), cps: cps, want: []want{{FindingLeafMismatch, 42}, {FindingRootMismatch, 50}, {FindingRootMismatch, n}}},
		{name: "deleted leaf", leaves: without(30), cps: cps,
			want: []want{{FindingLeafMissing, 30}, {FindingRootMismatch, 50}, {FindingRootMismatch, n}}},
		{name: "deleted last leaf", leaves: without(n - 1), cps: cps,
			want: []want{{FindingLeafMissing, n - 1}, {FindingRootMismatch, n}}},
		{name: "inserted leaf", leaves: slices.Insert(slices.Clone(l.leaves), 7, []byte("forged\n")), cps: cps,
			want: []want{{FindingLeafExtra, 7}, {FindingRootMismatch, 10}, {FindingRootMismatch, 50}, {FindingRootMismatch, n}}},
		{name: "appended record", leaves: append(slices.Clone(l.leaves), []byte("late\n")), cps: cps,
			want: []want{{FindingLeafExtra, n}}},
		{name: "swapped leaves", leaves: func() [][]byte {
			ls := slices.Clone(l.leaves)
			ls[60], ls[61] = ls[61], ls[60]
			return ls
		}(), cps: cps, want: []want{{FindingLeafMismatch, 60}, {FindingLeafMismatch, 61}, {FindingRootMismatch, n}}},
		{name: "forked checkpoint", leaves: l.leaves, cps: append(slices.Clone(cps), forked),
			want: []want{{FindingRootMismatch, 60}, {FindingRootMismatch, 60}, {FindingInconsistent, 60}, {FindingInconsistent, n}}},
		{name: "checkpoint beyond tree", leaves: l.leaves, cps: append(slices.Clone(cps), beyond),
			want: []want{{FindingBeyondTree, n + 5}, {FindingRootMismatch, n + 5}}},
		{name: "stored leaf hash changed", leaves: l.leaves, cps: cps, tamper: func(m *MemoryStore) {
			m.WriteHashes(ctx, []int64{tlog.StoredHashIndex(0, 20)}, []tlog.Hash{tlog.RecordHash([]byte("x"))})
		}, want: []want{{FindingHashMismatch, 21}, {FindingLeafMismatch, 20}}},
		{name: "stored interior hash changed", leaves: l.leaves, cps: cps, tamper: func(m *MemoryStore) {
			m.WriteHashes(ctx, []int64{tlog.StoredHashIndex(3, 2)}, []tlog.Hash{{1}})
		}, want: []want{{FindingHashMismatch, 23}, {FindingHashMismatch, 31}}},
		{name: "stored root-level hash changed", leaves: l.leaves, cps: cps, tamper: func(m *MemoryStore) {
			m.WriteHashes(ctx, []int64{tlog.StoredHashIndex(5, 0)}, []tlog.Hash{{1}})
		}, want: []want{{FindingHashMismatch, 31}, {FindingHashMismatch, 63}, {FindingRootMismatch, 50}, {FindingInconsistent, n}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestLog(t, 0).m
			if _, _, err := m.AppendEntries(ctx, l.leaves); err != nil {
				t.Fatal(err)
			}
			if tt.tamper != nil {
				tt.tamper(m)
			}
			fs, err := Audit(ctx, AuditInput{Hashes: m, Size: n, Leaves: seqOf(tt.leaves), Checkpoints: tt.cps})
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, f := range fs {
				got = append(got, want{f.Kind, f.Index})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Audit findings:\n%s\nwant %v", strings.Join(strs(fs), "\n"), tt.want)
			}
		})
	}
}

func strs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

func TestAuditTruncatesAndFails(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 50)
	fs, err := Audit(ctx, AuditInput{Hashes: l.m, Size: 50, Leaves: seqOf(nil), MaxFindings: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 11 || fs[10].Kind != FindingTruncated {
		t.Errorf("Audit of 50 missing leaves with MaxFindings 10 = %v", strs(fs))
	}
	boom := errors.New("boom")
	bad := func(yield func([]byte, error) bool) { yield(l.leaves[0], nil); yield(nil, boom) }
	if _, err := Audit(ctx, AuditInput{Hashes: l.m, Size: 50, Leaves: bad}); !errors.Is(err, boom) {
		t.Errorf("Audit with a failing record reader = %v, want %v", err, boom)
	}
	if _, err := Audit(ctx, AuditInput{Hashes: NewMemoryStore(0), Size: 50, Leaves: seqOf(l.leaves)}); err == nil {
		t.Error("Audit of a store without hashes succeeded")
	}
}
