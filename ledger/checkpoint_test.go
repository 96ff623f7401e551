package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func testSigner(t testing.TB, origin string) (*Signer, string) {
	t.Helper()
	skey, vkey, err := GenerateKey(origin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if s.VerifierKey() != vkey {
		t.Fatalf("VerifierKey() = %q, want %q", s.VerifierKey(), vkey)
	}
	return s, vkey
}

func TestCheckpointRoundTrip(t *testing.T) {
	s, vkey := testSigner(t, DefaultOrigin)
	root := tlog.RecordHash([]byte("x"))
	signed, err := s.Sign(20852163, root)
	if err != nil {
		t.Fatal(err)
	}
	wantText := DefaultOrigin + "\n20852163\n" + root.String() + "\n\n— " + DefaultOrigin + " "
	if !strings.HasPrefix(string(signed), wantText) {
		t.Fatalf("Sign() = %q, want prefix %q", signed, wantText)
	}
	vs, err := NewVerifiers(vkey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCheckpoint(signed, vs)
	if err != nil {
		t.Fatalf("ParseCheckpoint: %v", err)
	}
	if c.Origin != DefaultOrigin || c.Size != 20852163 || c.Root != root || len(c.Sigs) != 1 {
		t.Errorf("ParseCheckpoint = %+v", c)
	}
	if string(c.Text()) != strings.SplitAfter(string(signed), "\n\n")[0][:len(c.Text())] {
		t.Errorf("Text() = %q", c.Text())
	}
}

func TestParseCheckpointRejects(t *testing.T) {
	s, vkey := testSigner(t, "example.com/log")
	other, otherVKey := testSigner(t, "example.com/other")
	vs, _ := NewVerifiers(vkey, otherVKey)
	sign := func(text string) []byte {
		b, err := note.Sign(&note.Note{Text: text}, s.signer)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good, _ := s.Sign(5, tlog.Hash{})
	byOther, _ := other.Sign(5, tlog.Hash{})
	root := tlog.Hash{}.String()
	impostor, _ := testSigner(t, "example.com/log")
	sameNameOtherKey, _ := impostor.Sign(5, tlog.Hash{})
	tests := []struct {
		name   string
		signed []byte
	}{
		{"unsigned", []byte("example.com/log\n5\n" + root + "\n")},
		{"tampered size", []byte(strings.Replace(string(good), "\n5\n", "\n6\n", 1))},
		{"unknown key only", sameNameOtherKey},
		{"two lines", sign("example.com/log\n5\n")},
		{"leading zero", sign("example.com/log\n05\n" + root + "\n")},
		{"negative", sign("example.com/log\n-5\n" + root + "\n")},
		{"short root", sign("example.com/log\n5\nAAAA\n")},
		{"empty extension", sign("example.com/log\n5\n" + root + "\n\n")},
		{"origin not the key", sign("example.com/other\n5\n" + root + "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := ParseCheckpoint(tt.signed, vs); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("ParseCheckpoint(%q) = %+v, %v, want EINVALID", tt.signed, c, err)
			}
		})
	}
	// Another log's checkpoint is valid, but not for this log's policy.
	if _, err := ParseCheckpoint(byOther, vs); err != nil {
		t.Errorf("ParseCheckpoint(other log) = %v", err)
	}
	p, _ := NewPolicy(vkey, nil, 0)
	if _, err := p.Verify(byOther); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("Policy.Verify(other log) = %v, want EINVALID", err)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	skey, vkey, err := LoadOrCreateKey(dir, "example.com/log")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v, want 0600", fi.Mode().Perm(), err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode = %v, want 0700", di.Mode().Perm())
	}
	skey2, vkey2, err := LoadOrCreateKey(dir, "example.com/log")
	if err != nil || skey2 != skey || vkey2 != vkey {
		t.Fatalf("second LoadOrCreateKey = %q, %q, %v; want the same key", skey2, vkey2, err)
	}
	if _, _, err := LoadOrCreateKey(dir, "example.com/other"); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Errorf("LoadOrCreateKey(other origin) = %v, want ECONFLICT", err)
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	if _, _, err := LoadOrCreateKey(dir, "example.com/log"); !tracegate.IsCode(err, tracegate.EFORBIDDEN) {
		t.Errorf("LoadOrCreateKey(0644 file) = %v, want EFORBIDDEN", err)
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o600)
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("garbage"), 0o600)
	if _, _, err := LoadOrCreateKey(dir, "example.com/log"); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("LoadOrCreateKey(garbage) = %v, want EINVALID", err)
	}
	if _, _, err := GenerateKey("bad name"); err == nil {
		t.Error("GenerateKey(bad name) succeeded")
	}
}

func TestCosignAndPolicy(t *testing.T) {
	s, logVKey := testSigner(t, "example.com/log")
	clock := fixedClock{time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	var cosigners []*Cosigner
	var wkeys []string
	for _, name := range []string{"w1.example", "w2.example", "w3.example"} {
		skey, vkey, err := GenerateWitnessKey(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := NewCosigner(skey, clock)
		if err != nil {
			t.Fatal(err)
		}
		cosigners = append(cosigners, c)
		wkeys = append(wkeys, vkey)
	}
	signed, _ := s.Sign(10, tlog.RecordHash([]byte("r")))
	cosign := func(signed []byte, cs ...*Cosigner) []byte {
		text := signed[:strings.Index(string(signed), "\n\n")+1]
		for _, c := range cs {
			b, err := note.Sign(&note.Note{Text: string(text)}, c)
			if err != nil {
				t.Fatal(err)
			}
			line := b[len(text)+1:]
			if signed, err = AddSignatures(signed, line); err != nil {
				t.Fatal(err)
			}
		}
		return signed
	}
	_, strangerVKey, _ := GenerateWitnessKey("w1.example") // same name, other key
	stranger, _ := NewPolicy(logVKey, []string{strangerVKey}, 1)
	tests := []struct {
		name      string
		signed    []byte
		quorum    int
		wantErr   bool
		witnessed int
	}{
		{"log only, quorum 0", signed, 0, false, 0},
		{"log only, quorum 1", signed, 1, true, 0},
		{"2 of 3", cosign(signed, cosigners[0], cosigners[2]), 2, false, 2},
		{"2 of 3, need 3", cosign(signed, cosigners[0], cosigners[2]), 3, true, 2},
		{"same witness twice", cosign(signed, cosigners[1], cosigners[1]), 2, true, 1},
		{"3 of 3", cosign(signed, cosigners...), 3, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPolicy(logVKey, wkeys, tt.quorum)
			if err != nil {
				t.Fatal(err)
			}
			c, err := p.Verify(tt.signed)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Verify = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrQuorum) {
				t.Errorf("Verify error %v does not wrap ErrQuorum", err)
			}
			if err == nil && len(p.Witnessed(c)) != tt.witnessed {
				t.Errorf("Witnessed = %v, want %d", p.Witnessed(c), tt.witnessed)
			}
			if c, err := stranger.Verify(tt.signed); err == nil && tt.witnessed > 0 {
				t.Errorf("a policy with another key for w1.example accepted %v", c.Sigs)
			}
		})
	}
	// A cosignature is bound to the checkpoint it signed.
	other, _ := s.Sign(11, tlog.RecordHash([]byte("r")))
	cs := cosign(other, cosigners[0])
	moved, _ := AddSignatures(signed, []byte(cs[strings.LastIndex(string(cs[:len(cs)-1]), "\n")+1:]))
	p, _ := NewPolicy(logVKey, wkeys, 1)
	if _, err := p.Verify(moved); err == nil {
		t.Error("a cosignature moved to another checkpoint verified")
	}
	// The timestamp is signed and readable.
	c, err := p.Verify(cosign(signed, cosigners[0]))
	if err != nil {
		t.Fatal(err)
	}
	if ts, err := CosignatureTime(c.Sigs[1]); err != nil || !ts.Equal(clock.t) {
		t.Errorf("CosignatureTime = %v, %v, want %v", ts, err, clock.t)
	}
}

func TestNewPolicyErrors(t *testing.T) {
	_, logVKey := testSigner(t, "example.com/log")
	_, w1, _ := GenerateWitnessKey("w1.example")
	_, w1b, _ := GenerateWitnessKey("w1.example")
	tests := []struct {
		name   string
		log    string
		wits   []string
		quorum int
	}{
		{"bad log key", "nope", nil, 0},
		{"witness key as log key", w1, nil, 0},
		{"log key as witness key", logVKey, []string{logVKey}, 1},
		{"duplicate witness", logVKey, []string{w1, w1b}, 1},
		{"quorum too big", logVKey, []string{w1}, 2},
		{"negative quorum", logVKey, []string{w1}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewPolicy(tt.log, tt.wits, tt.quorum); !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("NewPolicy = %v, want EINVALID", err)
			}
		})
	}
}
