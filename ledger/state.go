package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// stateLabel separates state content hashes from every other hash.
const stateLabel = "tracegate.state/v1\n"

// State is one version of a current-state row the server answers from (a
// hold, a filing, a master-data element): written in the same transaction
// as the row, kept in the store's history of states and committed by one
// leaf. The latest State of each key is what the row must be; an audit
// re-derives the leaves from the history and compares the rows with it.
type State struct {
	// Index is the leaf index.
	Index int64
	Kind  Kind
	// Key names the row within its kind (e.g. a hold's zero-padded id).
	Key string
	// USCC is the enterprise the state belongs to.
	USCC string
	// At is when it was written.
	At time.Time
	// Body is the row's canonical encoding (JSON) as written.
	Body []byte
}

// StateContentHash returns the content hash of a state:
// ni:///sha-256;<hex of SHA-256("tracegate.state/v1\n" || kind || "\n" ||
// key || "\n" || body)>. It never fails.
func StateContentHash(kind Kind, key string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(stateLabel))
	h.Write([]byte(kind))
	h.Write([]byte{'\n'})
	h.Write([]byte(key))
	h.Write([]byte{'\n'})
	h.Write(body)
	return "ni:///sha-256;" + hex.EncodeToString(h.Sum(nil))
}

// Leaf returns the encoded leaf of s: its kind, StateContentHash, At and
// USCC, no items. It fails as Leaf.Encode (an unknown kind, a bad USCC).
func (s *State) Leaf() ([]byte, error) {
	return (&Leaf{Kind: s.Kind, ContentHash: StateContentHash(s.Kind, s.Key, s.Body), Time: s.At, USCC: s.USCC}).Encode()
}
