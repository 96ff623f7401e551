package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// testLog is a MemoryStore holding real leaves, with a log key and a
// checkpoint of its current size.
type testLog struct {
	m      *MemoryStore
	signer *Signer
	vkey   string
	leaves [][]byte
}

func newTestLog(t testing.TB, n int) *testLog {
	t.Helper()
	s, vkey := testSigner(t, "example.com/log")
	l := &testLog{m: NewMemoryStore(0), signer: s, vkey: vkey}
	c, _ := NewCommitter(bytes.Repeat([]byte{9}, 32))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		leaf := Leaf{Kind: KindLabelBinding, ContentHash: "ni:///sha-256;rec" + string(rune('a'+i%26)) + strings.Repeat("x", i%7),
			Time: base.Add(time.Duration(i) * time.Minute), USCC: testUSCC, Items: [][32]byte{c.Commit("item" + string(rune(i)))}}
		data, err := leaf.Encode()
		if err != nil {
			t.Fatal(err)
		}
		l.leaves = append(l.leaves, data)
	}
	if _, _, err := l.m.AppendEntries(context.Background(), l.leaves); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *testLog) checkpoint(t testing.TB, size int64) *Checkpoint {
	t.Helper()
	root, err := TreeRoot(context.Background(), l.m, size)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := l.signer.Sign(size, root)
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := NewVerifiers(l.vkey)
	c, err := ParseCheckpoint(signed, vs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInclusionProofDocument(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 37)
	cp := l.checkpoint(t, 37)
	for _, index := range []int64{0, 1, 17, 36} {
		p, err := NewInclusionProof(ctx, l.m, cp, index, l.leaves[index])
		if err != nil {
			t.Fatalf("NewInclusionProof(%d): %v", index, err)
		}
		text := p.Marshal()
		js, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		for name, doc := range map[string][]byte{"text": text, "json": js} {
			v, err := VerifyInclusion(doc, l.vkey)
			if err != nil {
				t.Fatalf("VerifyInclusion(%s of %d): %v\n%s", name, index, err, doc)
			}
			if v.Index != index || v.Leaf == nil || !bytes.Equal(v.LeafData, l.leaves[index]) {
				t.Errorf("VerifyInclusion(%s) = %+v", name, v)
			}
			if s := v.Summary(); !strings.Contains(s, "entry ") || !strings.Contains(s, "label-binding") {
				t.Errorf("Summary() = %q", s)
			}
		}
		if !strings.HasPrefix(string(text), ProofHeader+"\nextra ") {
			t.Errorf("Marshal() = %q", text)
		}
	}
	if _, err := NewInclusionProof(ctx, l.m, cp, 3, l.leaves[4]); !tracegate.IsCode(err, tracegate.EINTERNAL) {
		t.Errorf("NewInclusionProof(wrong leaf) = %v, want EINTERNAL", err)
	}
	if _, err := NewInclusionProof(ctx, l.m, cp, 37, l.leaves[0]); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Errorf("NewInclusionProof(index = size) = %v, want ENOTFOUND", err)
	}
}

func TestVerifyInclusionRejects(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 20)
	cp := l.checkpoint(t, 20)
	p, err := NewInclusionProof(ctx, l.m, cp, 5, l.leaves[5])
	if err != nil {
		t.Fatal(err)
	}
	good := string(p.Marshal())
	_, otherVKey := testSigner(t, "example.com/log")
	mod := func(f func(q *InclusionProof)) string {
		q := *p
		q.Hashes = append([]tlog.Hash(nil), p.Hashes...)
		f(&q)
		return string(q.Marshal())
	}
	tests := []struct {
		name string
		doc  string
		vkey string
	}{
		{"other key", good, otherVKey},
		{"other leaf", mod(func(q *InclusionProof) { q.Extra = l.leaves[6] }), l.vkey},
		{"other index", mod(func(q *InclusionProof) { q.Index = 4 }), l.vkey},
		{"index beyond size", mod(func(q *InclusionProof) { q.Index = 20 }), l.vkey},
		{"flipped hash", mod(func(q *InclusionProof) { q.Hashes[1][0] ^= 1 }), l.vkey},
		{"missing hash", mod(func(q *InclusionProof) { q.Hashes = q.Hashes[1:] }), l.vkey},
		{"no leaf", mod(func(q *InclusionProof) { q.Extra = nil }), l.vkey},
		{"bad header", strings.Replace(good, "@v1", "@v2", 1), l.vkey},
		{"no index", strings.Replace(good, "index 5\n", "", 1), l.vkey},
		{"leading zero index", strings.Replace(good, "index 5\n", "index 05\n", 1), l.vkey},
		{"no checkpoint", good[:strings.Index(good, "\n\n")+2], l.vkey},
		{"tampered checkpoint", strings.Replace(good, "\n20\n", "\n21\n", 1), l.vkey},
		{"json garbage", `{"index": "x"}`, l.vkey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v, err := VerifyInclusion([]byte(tt.doc), tt.vkey); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("VerifyInclusion = %+v, %v, want EINVALID", v, err)
			}
		})
	}
}

// TestParseInclusionProofSpecExample parses the example of c2sp.org/tlog-proof
// (with its elided signatures replaced by well-formed ones).
func TestParseInclusionProofSpecExample(t *testing.T) {
	doc := "c2sp.org/tlog-proof@v1\n" +
		"extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\n" +
		"index 73894\n" +
		"gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n" +
		"B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n" +
		"EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n" +
		"RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n" +
		"AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n" +
		"\n" +
		"example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n" +
		"— example.com/fancylog hI2DJwAAAA==\n"
	p, err := ParseInclusionProof([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p.Index != 73894 || len(p.Hashes) != 5 || string(p.Extra) != "age-v1.2.1-darwin-arm64.tar.gz" ||
		!strings.HasPrefix(string(p.Checkpoint), "example.com/fancylog\n109482\n") {
		t.Errorf("ParseInclusionProof = %+v", p)
	}
	if got := string(p.Marshal()); got != doc {
		t.Errorf("Marshal() = %q, want %q", got, doc)
	}
}

func TestProveConsistency(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 300)
	sizes := []int64{1, 2, 7, 8, 100, 256, 257, 300}
	for _, a := range sizes {
		for _, b := range sizes {
			if a > b {
				continue
			}
			p, err := ProveConsistency(ctx, l.m, a, b)
			if err != nil {
				t.Fatalf("ProveConsistency(%d, %d): %v", a, b, err)
			}
			if err := VerifyConsistency(p, l.checkpoint(t, a), l.checkpoint(t, b)); err != nil {
				t.Errorf("VerifyConsistency(%d, %d): %v", a, b, err)
			}
		}
	}
	if _, err := ProveConsistency(ctx, l.m, 5, 4); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("ProveConsistency(5, 4) = %v, want EINVALID", err)
	}
	p, _ := ProveConsistency(ctx, l.m, 100, 300)
	forked := l.checkpoint(t, 300)
	forked.Root[0] ^= 1
	if err := VerifyConsistency(p, l.checkpoint(t, 100), forked); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("VerifyConsistency(forked) = %v, want EINVALID", err)
	}
	if err := VerifyConsistency(nil, l.checkpoint(t, 300), forked); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("VerifyConsistency(same size, other root) = %v, want EINVALID", err)
	}
}
