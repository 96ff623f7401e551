package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
)

// ErrQuorum is wrapped by the EINVALID error of Policy.Verify when a
// checkpoint carries fewer valid witness cosignatures than the quorum.
var ErrQuorum = errors.New("ledger: checkpoint is not cosigned by a quorum of witnesses")

// Policy is a k-of-n trust policy for checkpoints: the log's key, the
// witnesses' cosignature keys, and how many distinct witnesses must have
// cosigned. A zero Quorum trusts the log's signature alone.
type Policy struct {
	Log       note.Verifier
	Witnesses []note.Verifier
	Quorum    int
}

// NewPolicy returns the policy of the log key logVKey (type 0x01) and the
// witness keys witnessVKeys (type 0x04), of which quorum must cosign. It
// fails with EINVALID when a key is malformed or of the wrong type, two
// witnesses share a name, or quorum is negative or more than the witnesses.
func NewPolicy(logVKey string, witnessVKeys []string, quorum int) (*Policy, error) {
	lv, err := NewVerifier(logVKey)
	if err != nil {
		return nil, err
	}
	if _, ok := lv.(*cosigVerifier); ok {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: log key %q is a cosignature key", lv.Name())
	}
	p := &Policy{Log: lv, Quorum: quorum}
	for _, k := range witnessVKeys {
		v, err := NewWitnessVerifier(k)
		if err != nil {
			return nil, err
		}
		if v.Name() == lv.Name() || slices.ContainsFunc(p.Witnesses, func(w note.Verifier) bool { return w.Name() == v.Name() }) {
			return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: witness name %q used twice", v.Name())
		}
		p.Witnesses = append(p.Witnesses, v)
	}
	if quorum < 0 || quorum > len(p.Witnesses) {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: quorum %d of %d witnesses", quorum, len(p.Witnesses))
	}
	return p, nil
}

// Verifiers returns the note verifiers of the log and the witnesses.
func (p *Policy) Verifiers() note.Verifiers {
	return note.VerifierList(append([]note.Verifier{p.Log}, p.Witnesses...)...)
}

// Verify parses signed and checks it against the policy: signed by the log
// key, whose name must be the origin, and cosigned by at least Quorum of the
// witnesses. It fails as ParseCheckpoint does, and with an EINVALID error
// wrapping ErrQuorum when too few witnesses cosigned.
func (p *Policy) Verify(signed []byte) (*Checkpoint, error) {
	c, err := ParseCheckpoint(signed, p.Verifiers())
	if err != nil {
		return nil, err
	}
	if c.Origin != p.Log.Name() {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: checkpoint origin %q, want %q", c.Origin, p.Log.Name())
	}
	if n := len(p.Witnessed(c)); n < p.Quorum {
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Err: ErrQuorum,
			Message: fmt.Sprintf("ledger: checkpoint cosigned by %d of the %d witnesses required", n, p.Quorum)}
	}
	return c, nil
}

// Witnessed returns the names of the policy's witnesses with a verified
// cosignature on c (c must come from ParseCheckpoint with p.Verifiers()).
func (p *Policy) Witnessed(c *Checkpoint) []string {
	var names []string
	for _, w := range p.Witnesses {
		if slices.ContainsFunc(c.Sigs, func(s note.Signature) bool { return s.Name == w.Name() && s.Hash == w.KeyHash() }) {
			names = append(names, w.Name())
		}
	}
	return names
}

// AddSignatures returns the signed note with the signature lines sigLines
// (such as a witness's add-checkpoint response) appended, skipping lines it
// already has. It does not verify them: parse the result with
// ParseCheckpoint or Policy.Verify. It fails with EINVALID when signed does
// not end in a signature block or a line is not "— <name> <base64>".
func AddSignatures(signed, sigLines []byte) ([]byte, error) {
	if !bytes.HasSuffix(signed, []byte("\n")) || !bytes.Contains(signed, []byte("\n\n— ")) {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: not a signed note")
	}
	if len(sigLines) == 0 {
		return bytes.Clone(signed), nil
	}
	if !bytes.HasSuffix(sigLines, []byte("\n")) {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: signature lines do not end in a newline")
	}
	split := bytes.LastIndex(signed, []byte("\n\n"))
	have := strings.Split(string(signed[split+2:]), "\n")
	out := bytes.Clone(signed)
	for _, line := range strings.Split(strings.TrimSuffix(string(sigLines), "\n"), "\n") {
		name, b64, ok := strings.Cut(strings.TrimPrefix(line, "— "), " ")
		if !strings.HasPrefix(line, "— ") || !ok || !validName(name) || b64 == "" || strings.ContainsAny(b64, " \t") {
			return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: malformed signature line %.60q", line)
		}
		if slices.Contains(have, line) {
			continue
		}
		have = append(have, line)
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out, nil
}
