package ledger

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// LeafHeader is the first line of every leaf of format version 1.
const LeafHeader = "tracegate.leaf/v1"

// MaxItems is the largest number of item commitments one leaf carries.
const MaxItems = 1000

// maxContentHash bounds the content hash line.
const maxContentHash = 256

// Kind is the kind of record a leaf commits to.
type Kind string

// The record kinds. Parsing rejects any other.
const (
	KindEPCISEvent      Kind = "epcis-event"
	KindLabelIssuance   Kind = "label-issuance"
	KindLabelBinding    Kind = "label-binding"
	KindCustomsDecision Kind = "customs-decision"
	KindRiskMeasure     Kind = "risk-measure"
	// The current-state kinds (see State): a label hold (recall, stop-sale,
	// risk notice), a product filing, an EPCIS master-data element, a
	// stored customs message (its body's hash).
	KindLabelHold       Kind = "label-hold"
	KindProductFiling   Kind = "product-filing"
	KindMasterData      Kind = "epcis-masterdata"
	KindCustomsMessage  Kind = "customs-message"
	KindCreditLevel     Kind = "credit-level"     // an enterprise's credit level change (package credit)
	KindCreditBlacklist Kind = "credit-blacklist" // a numbered edition of the credit blacklist
	KindRiskWarning     Kind = "risk-warning"     // a step of a risk warning: opened, raised, confirmed, dismissed (package risk)
	KindRiskLabResult   Kind = "risk-lab-result"  // a lab's result of one test of a lab order (package risk)
	KindRiskCase        Kind = "risk-case"        // the conclusion of an expert case (package risk)
)

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindEPCISEvent, KindLabelIssuance, KindLabelBinding, KindCustomsDecision, KindRiskMeasure,
		KindLabelHold, KindProductFiling, KindMasterData, KindCustomsMessage, KindCreditLevel, KindCreditBlacklist:
		return true
	case KindRiskWarning, KindRiskLabResult, KindRiskCase:
		return true
	}
	return false
}

// Leaf is what the log records about one committed record: never the record
// itself, nor any item code, serial or personal data. Its encoding is
// specified in LEAF-FORMAT.md:
//
//	tracegate.leaf/v1
//	kind epcis-event
//	hash ni:///sha-256;df7bb3c3...?ver=CBV2.0
//	time 2026-11-23T18:55:18.123Z
//	uscc 91310000MA1FL1234X
//	item 3q2+7w...=
//
// one line each, in that order, each ending in a newline; item lines (zero or
// more) are the base64 of the item commitments, sorted and distinct.
type Leaf struct {
	Kind Kind
	// ContentHash is the record's content hash as an RFC 6920 ni URI, e.g.
	// the EPCIS 2.0 event hash "ni:///sha-256;<hex>?ver=CBV2.0".
	ContentHash string
	// Time is the record time; the leaf keeps it in UTC to the millisecond.
	Time time.Time
	// USCC is the unified social credit code of the enterprise.
	USCC string
	// Items are the keyed commitments (Committer.Commit) of the items the
	// record is about; empty for records that concern no item.
	Items [][32]byte
}

// Encode returns the canonical encoding of l, the bytes that are logged and
// whose RFC 6962 leaf hash is in the tree. Time is truncated to the
// millisecond and items are sorted, so equal records encode equally.
// Encode fails with EINVALID, pointing at the field, when the kind is
// unknown, the content hash is not a printable ni URI of at most 256 bytes,
// the time is zero or outside years 0001-9999, the USCC is not valid, or
// there are duplicate or more than MaxItems items.
func (l *Leaf) Encode() ([]byte, error) {
	if !l.Kind.Valid() {
		return nil, tracegate.Invalidf("/kind", "ledger: unknown record kind %q", l.Kind)
	}
	if err := checkContentHash(l.ContentHash); err != nil {
		return nil, err
	}
	t := l.Time.UTC().Truncate(time.Millisecond)
	if l.Time.IsZero() || t.Year() < 1 || t.Year() > 9999 {
		return nil, tracegate.Invalidf("/time", "ledger: record time %v out of range", l.Time)
	}
	uscc, err := tracegate.ValidateUSCC(l.USCC)
	if err != nil {
		return nil, tracegate.Invalidf("/uscc", "ledger: %v", err)
	}
	if len(l.Items) > MaxItems {
		return nil, tracegate.Invalidf("/items", "ledger: %d items, at most %d", len(l.Items), MaxItems)
	}
	items := slices.Clone(l.Items)
	slices.SortFunc(items, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	for i := 1; i < len(items); i++ {
		if items[i] == items[i-1] {
			return nil, tracegate.Invalidf("/items", "ledger: duplicate item commitment")
		}
	}
	var b bytes.Buffer
	b.Grow(160 + len(l.ContentHash) + 50*len(items))
	fmt.Fprintf(&b, "%s\nkind %s\nhash %s\ntime %s\nuscc %s\n",
		LeafHeader, l.Kind, l.ContentHash, t.Format(leafTime), uscc)
	for _, it := range items {
		b.WriteString("item ")
		b.WriteString(base64.StdEncoding.EncodeToString(it[:]))
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// leafTime is the time layout of a leaf: RFC 3339, UTC, milliseconds.
const leafTime = "2006-01-02T15:04:05.000Z"

// Hash returns the RFC 6962 leaf hash of l's encoding. It fails as Encode.
func (l *Leaf) Hash() (tlog.Hash, error) {
	data, err := l.Encode()
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.RecordHash(data), nil
}

// HasItem reports whether l carries the item commitment c.
func (l *Leaf) HasItem(c [32]byte) bool { return slices.Contains(l.Items, c) }

func checkContentHash(h string) error {
	if !strings.HasPrefix(h, "ni:///") || len(h) <= len("ni:///") || len(h) > maxContentHash {
		return tracegate.Invalidf("/contentHash", "ledger: content hash %.40q is not an ni URI of at most %d bytes", h, maxContentHash)
	}
	for i := 0; i < len(h); i++ {
		if h[i] <= ' ' || h[i] > '~' {
			return tracegate.Invalidf("/contentHash", "ledger: content hash has a byte 0x%02x that is not printable ASCII", h[i])
		}
	}
	return nil
}

// ParseLeaf decodes a leaf encoded by Encode. It accepts only the canonical
// encoding: ParseLeaf(data).Encode() returns data. It fails with EINVALID
// when the header is not LeafHeader (a later format version included), a
// line is missing, out of order, repeated or unknown, or a field is invalid.
func ParseLeaf(data []byte) (*Leaf, error) {
	text := string(data)
	if !strings.HasSuffix(text, "\n") {
		return nil, tracegate.Invalidf("", "ledger: leaf does not end in a newline")
	}
	lines := strings.Split(text[:len(text)-1], "\n")
	if lines[0] != LeafHeader {
		return nil, tracegate.Invalidf("", "ledger: leaf header %.40q, want %q", lines[0], LeafHeader)
	}
	if len(lines) < 5 {
		return nil, tracegate.Invalidf("", "ledger: leaf has %d lines, want at least 5", len(lines))
	}
	field := func(i int, key string) (string, error) {
		v, ok := strings.CutPrefix(lines[i], key+" ")
		if !ok {
			return "", tracegate.Invalidf("", "ledger: leaf line %d is not %q", i+1, key)
		}
		return v, nil
	}
	var l Leaf
	var vals [4]string
	for i, key := range []string{"kind", "hash", "time", "uscc"} {
		v, err := field(i+1, key)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	l.Kind, l.ContentHash, l.USCC = Kind(vals[0]), vals[1], vals[3]
	t, err := time.Parse(leafTime, vals[2])
	if err != nil {
		return nil, tracegate.Invalidf("/time", "ledger: leaf time %.40q: want %s", vals[2], leafTime)
	}
	l.Time = t
	for i := 5; i < len(lines); i++ {
		v, err := field(i, "item")
		if err != nil {
			return nil, err
		}
		c, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(c) != 32 {
			return nil, tracegate.Invalidf("/items", "ledger: leaf line %d: item is not the base64 of 32 bytes", i+1)
		}
		l.Items = append(l.Items, [32]byte(c))
	}
	enc, err := l.Encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(enc, data) {
		return nil, tracegate.Invalidf("", "ledger: leaf is not in canonical form")
	}
	return &l, nil
}

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
