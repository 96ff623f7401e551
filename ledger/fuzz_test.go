package ledger

import (
	"context"
	"testing"
)

// FuzzInclusionProof feeds the tlog-proof reader (text and JSON forms) and
// the verifier anything: neither panics; a document that parses marshals to
// a text form that parses to the same proof; and nothing but the genuine
// proofs of the seed log verifies against its key.
func FuzzInclusionProof(f *testing.F) {
	l := newTestLog(f, 37)
	cp := l.checkpoint(f, 37)
	genuine := map[string]bool{}
	for _, index := range []int64{0, 5, 36} {
		p, err := NewInclusionProof(context.Background(), l.m, cp, index, l.leaves[index])
		if err != nil {
			f.Fatal(err)
		}
		text := p.Marshal()
		genuine[string(text)] = true
		f.Add(text)
		if j, err := p.MarshalJSON(); err == nil {
			f.Add(j)
		}
	}
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 1\n\nexample.com/log\n1\n\n"))
	f.Add([]byte(`{"index":1,"hashes":[],"checkpoint":"x"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := ParseInclusionProof(doc)
		if err == nil {
			again, err := ParseInclusionProof(p.Marshal())
			if err != nil {
				t.Fatalf("ParseInclusionProof(%q) ok, but its text form %q fails: %v", doc, p.Marshal(), err)
			}
			if string(again.Marshal()) != string(p.Marshal()) {
				t.Fatalf("text form of %q is not stable: %q then %q", doc, p.Marshal(), again.Marshal())
			}
		}
		v, err := VerifyInclusion(doc, l.vkey)
		if err == nil && (v == nil || p == nil || !genuine[string(p.Marshal())]) {
			t.Fatalf("VerifyInclusion(%q) accepted a proof the log never made", doc)
		}
	})
}
