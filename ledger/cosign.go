package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
)

// Signature algorithm bytes of signed-note keys.
const (
	algEd25519     = 0x01 // note signatures (the log's own)
	algCosignature = 0x04 // c2sp.org/tlog-cosignature, Ed25519, timestamped
)

// cosignatureHeader is the domain-separation line of a v1 cosignature.
const cosignatureHeader = "cosignature/v1\n"

// GenerateWitnessKey returns a new Ed25519 cosignature key pair named name
// (a witness's schema-less URL): skey is private ("PRIVATE+KEY+<name>+...",
// tracegate's own encoding) and vkey the public verifier key with signature
// type 0x04 as tlog-cosignature specifies. It fails with EINVALID when name
// is not a valid key name, or when the random source fails.
func GenerateWitnessKey(name string) (skey, vkey string, err error) {
	if !validName(name) {
		return "", "", tracegate.Errorf(tracegate.EINVALID, "ledger: invalid witness name %q", name)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("ledger: generate witness key: %w", err)
	}
	pk := append([]byte{algCosignature}, pub...)
	sk := append([]byte{algCosignature}, priv.Seed()...)
	h := keyHash(name, pk)
	skey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, h, base64.StdEncoding.EncodeToString(sk))
	vkey = fmt.Sprintf("%s+%08x+%s", name, h, base64.StdEncoding.EncodeToString(pk))
	return skey, vkey, nil
}

// keyHash is the signed-note key ID: SHA-256(name || "\n" || alg || key)[:4].
func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// parseKey splits a vkey or the part of an skey after "PRIVATE+KEY+" into
// name, key hash and key material (algorithm byte first), checking the hash
// only for public keys.
func parseKey(k string, public bool) (name string, hash uint32, key []byte, ok bool) {
	parts := strings.SplitN(k, "+", 3)
	if len(parts) != 3 || !validName(parts[0]) || len(parts[1]) != 8 {
		return "", 0, nil, false
	}
	h, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil {
		return "", 0, nil, false
	}
	key, err = base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 33 {
		return "", 0, nil, false
	}
	if public && keyHash(parts[0], key) != uint32(h) {
		return "", 0, nil, false
	}
	return parts[0], uint32(h), key, true
}

// cosigVerifier verifies Ed25519 v1 cosignatures.
type cosigVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

func (v *cosigVerifier) Name() string    { return v.name }
func (v *cosigVerifier) KeyHash() uint32 { return v.hash }
func (v *cosigVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	ts := binary.BigEndian.Uint64(sig)
	if ts > 1<<63-1 {
		return false
	}
	return ed25519.Verify(v.pub, cosignedMessage(ts, msg), sig[8:])
}

func cosignedMessage(ts uint64, text []byte) []byte {
	var b bytes.Buffer
	b.WriteString(cosignatureHeader)
	fmt.Fprintf(&b, "time %d\n", ts)
	b.Write(text)
	return b.Bytes()
}

// NewVerifier returns the note.Verifier of vkey: a log key (type 0x01, an
// Ed25519 signed-note key) or a witness key (type 0x04, an Ed25519
// tlog-cosignature key). It fails with EINVALID for any other key or a
// malformed one.
func NewVerifier(vkey string) (note.Verifier, error) {
	name, hash, key, ok := parseKey(vkey, true)
	if !ok {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: malformed verifier key %.60q", vkey)
	}
	switch key[0] {
	case algEd25519:
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: "ledger: invalid verifier key", Err: err}
		}
		return v, nil
	case algCosignature:
		return &cosigVerifier{name: name, hash: hash, pub: ed25519.PublicKey(key[1:])}, nil
	}
	return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: verifier key %q has unsupported type 0x%02x", name, key[0])
}

// NewWitnessVerifier returns the note.Verifier of a witness's cosignature
// key vkey (type 0x04). It fails with EINVALID for a malformed key or a key
// of another type.
func NewWitnessVerifier(vkey string) (note.Verifier, error) {
	v, err := NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	if _, ok := v.(*cosigVerifier); !ok {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: witness key %q is not a cosignature (type 0x04) key", v.Name())
	}
	return v, nil
}

// NewVerifiers returns the note.Verifiers of the given vkeys (see
// NewVerifier). It fails as NewVerifier does, on the first bad key.
func NewVerifiers(vkeys ...string) (note.Verifiers, error) {
	vs := make([]note.Verifier, 0, len(vkeys))
	for _, k := range vkeys {
		v, err := NewVerifier(k)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return note.VerifierList(vs...), nil
}

// Cosigner signs tlog-cosignature v1 cosignatures with a witness key. It is
// a note.Signer: note.Sign(&note.Note{Text: checkpointText}, cosigner)
// yields the checkpoint with the cosignature line. Safe for concurrent use.
type Cosigner struct {
	name  string
	hash  uint32
	priv  ed25519.PrivateKey
	clock tracegate.Clock
}

var _ note.Signer = (*Cosigner)(nil)

// NewCosigner returns the Cosigner of a witness skey made by
// GenerateWitnessKey; clock stamps the cosignatures (nil means the system
// clock). It fails with EINVALID when skey is not such a key.
func NewCosigner(skey string, clock tracegate.Clock) (*Cosigner, error) {
	rest, ok := strings.CutPrefix(skey, "PRIVATE+KEY+")
	name, hash, key, ok2 := parseKey(rest, false)
	if !ok || !ok2 || key[0] != algCosignature {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: not a witness cosignature private key")
	}
	priv := ed25519.NewKeyFromSeed(key[1:])
	pk := append([]byte{algCosignature}, priv.Public().(ed25519.PublicKey)...)
	if keyHash(name, pk) != hash {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: witness private key has a wrong key hash")
	}
	if clock == nil {
		clock = tracegate.SystemClock{}
	}
	return &Cosigner{name: name, hash: hash, priv: priv, clock: clock}, nil
}

// Name returns the witness name.
func (c *Cosigner) Name() string { return c.name }

// KeyHash returns the cosignature key ID.
func (c *Cosigner) KeyHash() uint32 { return c.hash }

// Sign returns the timestamped signature (8-byte big-endian POSIX time and
// the Ed25519 signature) of the checkpoint text msg. It fails when the
// clock is before 1970.
func (c *Cosigner) Sign(msg []byte) ([]byte, error) {
	now := c.clock.Now().Unix()
	if now < 0 {
		return nil, fmt.Errorf("ledger: cosign: clock before 1970")
	}
	sig := make([]byte, 8, 8+ed25519.SignatureSize)
	binary.BigEndian.PutUint64(sig, uint64(now))
	return append(sig, ed25519.Sign(c.priv, cosignedMessage(uint64(now), msg))...), nil
}

// CosignatureTime returns the timestamp of a cosignature. It fails with
// EINVALID when s is not a well-formed Ed25519 cosignature.
func CosignatureTime(s note.Signature) (time.Time, error) {
	sig, err := base64.StdEncoding.DecodeString(s.Base64)
	if err != nil || len(sig) != 4+8+ed25519.SignatureSize {
		return time.Time{}, tracegate.Errorf(tracegate.EINVALID, "ledger: signature by %q is not a cosignature", s.Name)
	}
	return time.Unix(int64(binary.BigEndian.Uint64(sig[4:])), 0).UTC(), nil
}
