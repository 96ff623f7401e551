package ledger

import (
	"context"
	"os"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

func TestLastSeen(t *testing.T) {
	ctx := context.Background()
	skey, vkey, err := GenerateKey("tracegate.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := NewSigner(skey)
	v, _ := NewVerifier(vkey)
	ls := NewLastSeen(t.TempDir(), note.VerifierList(v))
	if _, err := ls.Read(); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("Read() of a new directory = %v, want not found", err)
	}
	m := NewMemoryStore(0)
	var leaves [][]byte
	for i := range 5 {
		leaves = append(leaves, []byte{byte(i), '\n'})
	}
	if _, _, err := Append(ctx, m, 0, leaves); err != nil {
		t.Fatal(err)
	}
	sign := func(n int64) []byte {
		root, err := TreeRoot(ctx, m, n)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := signer.Sign(n, root)
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	for _, tt := range []struct {
		observe  int64
		wantSize int64
	}{{3, 3}, {5, 5}, {4, 5}} { // a smaller checkpoint never replaces a larger one
		if err := ls.Observe(sign(tt.observe)); err != nil {
			t.Fatalf("Observe(%d) = %v", tt.observe, err)
		}
		if cp, err := ls.Read(); err != nil || cp.Size != tt.wantSize {
			t.Fatalf("Read() after Observe(%d) = %v, %v; want size %d", tt.observe, cp, err, tt.wantSize)
		}
	}
	forged, _ := signer.Sign(9, tlog.Hash{1})
	forged[len(forged)-20] ^= 1 // inside the signature's base64 (the last character's low bits may be padding)
	if err := ls.Observe(forged); err == nil {
		t.Fatal("Observe(a checkpoint whose signature fails) succeeded")
	}
	cp, _ := ls.Read()
	if err := CheckTree(ctx, m, 5, cp); err != nil {
		t.Fatalf("CheckTree(the tree it was signed from) = %v", err)
	}
	if err := CheckTree(ctx, m, 4, cp); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("CheckTree(a tree rolled back below it) = %v, want conflict", err)
	}
	other := NewMemoryStore(0)
	if _, _, err := Append(ctx, other, 0, append(leaves[:4:4], []byte("forked\n"))); err != nil {
		t.Fatal(err)
	}
	if err := CheckTree(ctx, other, 5, cp); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("CheckTree(a rewritten tree) = %v, want conflict", err)
	}
	// A file changed behind the node's back does not verify.
	if err := os.WriteFile(ls.Path, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.Read(); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("Read() of a forged file = %v, want invalid", err)
	}
}
