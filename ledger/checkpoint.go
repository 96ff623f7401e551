package ledger

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// DefaultOrigin is the checkpoint origin (and log key name) used when the
// configuration names none. A deployment should use its own URL prefix
// without the scheme, e.g. "trace.example.cn/log".
const DefaultOrigin = "tracegate.example/log"

// Checkpoint is a C2SP tlog-checkpoint: the origin, size and root hash of the
// tree, as signed by the log and possibly cosigned by witnesses.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	// Extensions are the optional extension lines; tracegate writes none.
	Extensions []string
	// Signed is the whole signed note, signature lines included.
	Signed []byte
	// Sigs are the signatures that were verified: the log's first, then
	// any cosignatures by known witnesses. Unknown signatures are ignored.
	Sigs []note.Signature
}

// FormatCheckpoint returns the note text of a checkpoint: the origin, the
// size in decimal and the base64 root, each on its own line. It fails with
// EINVALID when origin is not a valid key name (empty, spaces, '+') or size
// is negative.
func FormatCheckpoint(origin string, size int64, root tlog.Hash) ([]byte, error) {
	if !validName(origin) {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: invalid checkpoint origin %q", origin)
	}
	if size < 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: negative tree size %d", size)
	}
	return fmt.Appendf(nil, "%s\n%d\n%s\n", origin, size, root), nil
}

func validName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, func(r rune) bool {
		return r == '+' || unicode.IsSpace(r) || unicode.IsControl(r)
	}) < 0
}

// Signer signs checkpoints with the log's Ed25519 key. Its origin is the
// key's name. A Signer is safe for concurrent use.
type Signer struct {
	signer note.Signer
	vkey   string
}

// NewSigner returns the Signer of the signed-note private key skey (as made
// by GenerateKey or LoadOrCreateKey). It fails with EINVALID when skey is
// not an Ed25519 note key.
func NewSigner(skey string) (*Signer, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: "ledger: invalid log signing key", Err: err}
	}
	vkey, err := verifierKey(skey)
	if err != nil {
		return nil, err
	}
	return &Signer{signer: s, vkey: vkey}, nil
}

// Origin returns the checkpoint origin, the name of the signing key.
func (s *Signer) Origin() string { return s.signer.Name() }

// VerifierKey returns the public verifier key (vkey) of the signer.
func (s *Signer) VerifierKey() string { return s.vkey }

// Sign returns the signed checkpoint of the tree of size leaves with the
// given root. It fails when size is negative or signing fails.
func (s *Signer) Sign(size int64, root tlog.Hash) ([]byte, error) {
	text, err := FormatCheckpoint(s.Origin(), size, root)
	if err != nil {
		return nil, err
	}
	signed, err := note.Sign(&note.Note{Text: string(text)}, s.signer)
	if err != nil {
		return nil, fmt.Errorf("ledger: sign checkpoint: %w", err)
	}
	return signed, nil
}

// ParseCheckpoint verifies and parses a signed checkpoint. verifiers must
// know the log key, whose name must equal the origin line; signatures by
// other known keys (witness cosignatures) are verified and listed in Sigs,
// unknown ones are ignored.
//
// It fails with EINVALID when the note is malformed, a known key's signature
// does not verify, no signature is by a key named as the origin, or the text
// is not a checkpoint (origin, decimal size without leading zeros, base64
// root, non-empty extension lines).
func ParseCheckpoint(signed []byte, verifiers note.Verifiers) (*Checkpoint, error) {
	n, err := note.Open(signed, verifiers)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: "ledger: checkpoint is not signed by a known key", Err: err}
		}
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: "ledger: checkpoint: " + err.Error(), Err: err}
	}
	c, err := parseCheckpointText(n.Text)
	if err != nil {
		return nil, err
	}
	var logSigned bool
	for i, s := range n.Sigs {
		if s.Name == c.Origin {
			logSigned = true
			// Keep the log's signature first.
			n.Sigs[0], n.Sigs[i] = n.Sigs[i], n.Sigs[0]
			break
		}
	}
	if !logSigned {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: checkpoint of %q has no signature by the log key", c.Origin)
	}
	c.Signed = bytes.Clone(signed)
	c.Sigs = n.Sigs
	return c, nil
}

func parseCheckpointText(text string) (*Checkpoint, error) {
	bad := func(format string, args ...any) error {
		return tracegate.Errorf(tracegate.EINVALID, "ledger: checkpoint: "+format, args...)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return nil, bad("%d lines, want at least 3", len(lines))
	}
	c := &Checkpoint{Origin: lines[0]}
	if c.Origin == "" {
		return nil, bad("empty origin")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return nil, bad("tree size %.30q is not a decimal without leading zeros", lines[1])
	}
	c.Size = size
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return nil, bad("root %.60q is not the base64 of %d bytes", lines[2], tlog.HashSize)
	}
	c.Root = tlog.Hash(root)
	for _, ext := range lines[3:] {
		if ext == "" {
			return nil, bad("empty extension line")
		}
		c.Extensions = append(c.Extensions, ext)
	}
	return c, nil
}

// Text returns the note text of c (without signatures).
func (c *Checkpoint) Text() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%d\n%s\n", c.Origin, c.Size, c.Root)
	for _, e := range c.Extensions {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
