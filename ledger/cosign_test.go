package ledger

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// TestCosignatureTimeSpecExample reads the timestamp of the cosignature in
// the example of c2sp.org/tlog-cosignature, whose signed message the spec
// shows with "time 1679315147".
func TestCosignatureTimeSpecExample(t *testing.T) {
	s := note.Signature{Name: "witness.example.com/w1",
		Base64: "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="}
	got, err := CosignatureTime(s)
	if err != nil || got.Unix() != 1679315147 {
		t.Errorf("CosignatureTime(spec example) = %v (%d), %v, want 1679315147", got, got.Unix(), err)
	}
	if _, err := CosignatureTime(note.Signature{Name: "x", Base64: "AAAA"}); err == nil {
		t.Error("CosignatureTime(short) succeeded")
	}
}

// TestCosignatureLayout checks a Cosigner's line byte by byte against the
// spec, with the message and key ID built here by hand.
func TestCosignatureLayout(t *testing.T) {
	const name = "witness.example.com/w1"
	skey, vkey, err := GenerateWitnessKey(name)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Unix(1679315147, 0)
	c, err := NewCosigner(skey, fixedClock{when})
	if err != nil {
		t.Fatal(err)
	}
	text := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	signed, err := note.Sign(&note.Note{Text: text}, c)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSuffix(strings.TrimPrefix(string(signed[len(text)+1:]), "— "+name+" "), "\n")
	raw, err := base64.StdEncoding.DecodeString(line)
	if err != nil || len(raw) != 4+8+64 {
		t.Fatalf("cosignature is %d bytes, %v, want 76", len(raw), err)
	}
	pk, _ := base64.StdEncoding.DecodeString(strings.SplitN(vkey, "+", 3)[2])
	if pk[0] != 0x04 || len(pk) != 33 {
		t.Fatalf("vkey key material = %x, want 0x04 and 32 bytes", pk)
	}
	id := sha256.Sum256(append([]byte(name+"\n"), pk...))
	if string(raw[:4]) != string(id[:4]) || vkey != fmt.Sprintf("%s+%x+%s", name, id[:4], base64.StdEncoding.EncodeToString(pk)) {
		t.Errorf("key ID %x, want %x", raw[:4], id[:4])
	}
	if ts := binary.BigEndian.Uint64(raw[4:12]); ts != 1679315147 {
		t.Errorf("timestamp %d, want 1679315147", ts)
	}
	msg := "cosignature/v1\ntime 1679315147\n" + text
	if !ed25519.Verify(ed25519.PublicKey(pk[1:]), []byte(msg), raw[12:]) {
		t.Error("signature does not verify over the spec's message")
	}
	v, err := NewWitnessVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := note.Open(signed, note.VerifierList(v)); err != nil || len(n.Sigs) != 1 {
		t.Errorf("note.Open with the witness verifier = %v", err)
	}
	// The log's own key type is not a witness key, and vice versa.
	_, logVKey, _ := GenerateKey("example.com/log")
	if _, err := NewWitnessVerifier(logVKey); err == nil {
		t.Error("NewWitnessVerifier(log key) succeeded")
	}
	if _, err := NewCosigner("PRIVATE+KEY+"+logVKey, nil); err == nil {
		t.Error("NewCosigner(log key) succeeded")
	}
}
