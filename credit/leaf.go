package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"tracegate/label"
	"tracegate/ledger"
)

// ChangeContentHash returns the content hash of a level change's ledger
// leaf: the ni:///sha-256 (hex) of the compact JSON
// {"uscc","level","prev","score","reasons","at"} with at in RFC 3339 UTC to
// the microsecond. An audit recomputes it from the stored change. It fails
// only if the change cannot be encoded.
func ChangeContentHash(c *Change) (string, error) {
	b, err := json.Marshal(struct {
		USCC    string   `json:"uscc"`
		Level   int      `json:"level"`
		Prev    int      `json:"prev"`
		Score   float64  `json:"score"`
		Reasons []string `json:"reasons"`
		At      string   `json:"at"`
	}{c.USCC, c.Level, c.Prev, c.Score, c.Reasons, c.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")})
	if err != nil {
		return "", fmt.Errorf("credit: change hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]), nil
}

// ChangeLeaf returns the ledger leaf of a level change: kind credit-level,
// its content hash, its time and the enterprise's USCC, no items. It fails
// as ledger.Leaf.Encode.
func ChangeLeaf(c *Change) ([]byte, error) {
	h, err := ChangeContentHash(c)
	if err != nil {
		return nil, err
	}
	return (&ledger.Leaf{Kind: ledger.KindCreditLevel, ContentHash: h, Time: c.At, USCC: c.USCC}).Encode()
}

// LabelCopyFact judges one label of an enterprise by its scans (label.Assess
// under the default clone policy) and returns the label_copy fact, dated at
// its last scan, when the label is a suspected copy.
func LabelCopyFact(ref string, scans []label.Scan, dispatchedAt *time.Time, now time.Time) (Fact, bool) {
	a := label.Assess(scans, dispatchedAt, now, label.DefaultClonePolicy())
	if a.Status != label.AuthSuspected {
		return Fact{}, false
	}
	var last time.Time
	for _, s := range scans {
		if !s.Staff && s.At.After(last) && !s.At.After(now) {
			last = s.At
		}
	}
	return Fact{Kind: KindLabelCopy, At: last, Ref: ref}, true
}
