package ledger

import (
	"crypto/hmac"
	"crypto/sha256"

	"tracegate"
)

// openingLabel separates the opening derivation from any other use of the
// server secret.
const openingLabel = "tracegate.item-opening/v1\n"

// Committer makes the keyed item commitments that stand in a leaf for an
// item code (a GS1 element string, a serial, a label code).
//
// The commitment of code is HMAC-SHA256(opening, code), where the opening is
// HMAC-SHA256(secret, "tracegate.item-opening/v1\n" || code): a per-item key
// derived from the server secret. Without the secret no one can tell which
// code a leaf is about, nor test guesses of serial numbers against the log.
// Whoever scans an item gets from tracegate the opening of that one code
// (with the leaf and its proof); knowing the code they scanned, they
// recompute ItemCommitment(code, opening), find it in the leaf, recompute the
// leaf hash and check its inclusion. The opening of one code says nothing
// about any other code. A Committer is safe for concurrent use.
type Committer struct {
	secret []byte
}

// MinSecret is the shortest server secret NewCommitter accepts.
const MinSecret = 32

// NewCommitter returns a Committer keyed with secret, which must be at least
// MinSecret random bytes kept as long as the log (losing it makes the
// commitments unopenable). It fails with EINVALID when secret is shorter.
func NewCommitter(secret []byte) (*Committer, error) {
	if len(secret) < MinSecret {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: commitment secret of %d bytes, want at least %d", len(secret), MinSecret)
	}
	return &Committer{secret: append([]byte(nil), secret...)}, nil
}

// Opening returns the opening of code: the value disclosed to whoever scans
// that item so they can check its commitment. It never fails.
func (c *Committer) Opening(code string) [32]byte {
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(openingLabel))
	m.Write([]byte(code))
	return [32]byte(m.Sum(nil))
}

// Commit returns the commitment of code that goes into leaves:
// ItemCommitment(code, c.Opening(code)). It never fails.
func (c *Committer) Commit(code string) [32]byte {
	return ItemCommitment(code, c.Opening(code))
}

// ItemCommitment returns HMAC-SHA256(opening, code): the commitment a
// scanner recomputes from the code it scanned and the opening it was given.
// It never fails.
func ItemCommitment(code string, opening [32]byte) [32]byte {
	m := hmac.New(sha256.New, opening[:])
	m.Write([]byte(code))
	return [32]byte(m.Sum(nil))
}
