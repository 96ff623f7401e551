// Package statesql is what both stores share to ledger current-state rows
// (holds, product filings, EPCIS master data) as ledger.State versions: the
// keys, the canonical bodies, and the SQL over the ledger_states history.
// The write path and the audit encode a row with the same function, so a
// row re-derives to exactly the body its leaf commits to.
package statesql

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// HoldKey is the key of the hold with id: zero-padded, so keys sort as ids.
func HoldKey(id int64) string { return fmt.Sprintf("%020d", id) }

// ProductKey is the key of owner's filing of gtin (14 digits), sorting as
// (owner, gtin).
func ProductKey(owner int64, gtin string) string { return fmt.Sprintf("%020d/%s", owner, gtin) }

// VocabKey is the key of a master-data element.
func VocabKey(vtype, id string) string { return vtype + " " + id }

// HoldBody is the canonical body of a hold as stored.
func HoldBody(h label.Hold) []byte {
	h.Since, h.CreatedAt = h.Since.UTC(), h.CreatedAt.UTC()
	if h.Until != nil {
		u := h.Until.UTC()
		h.Until = &u
	}
	b, _ := json.Marshal(h) // a struct of strings, numbers and times always encodes
	return b
}

// ProductBody is the canonical body of a product filing as stored.
func ProductBody(p tracegate.Product) []byte {
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	b, _ := json.Marshal(p)
	return b
}

// MessageKey is the key of a stored customs message.
func MessageKey(typ, guid string) string { return typ + " " + guid }

// MessageBody is the canonical body of a stored customs message: who sent
// it and when, and the SHA-256 of the XML as received (not the XML: the
// history keeps the hash, the message table the bytes).
func MessageBody(typ, guid string, sender int64, received time.Time, xml []byte) []byte {
	sum := sha256.Sum256(xml)
	b, _ := json.Marshal(struct {
		Type       string    `json:"type"`
		GUID       string    `json:"guid"`
		SenderID   int64     `json:"senderId,omitempty"`
		ReceivedAt time.Time `json:"receivedAt"`
		SHA256     string    `json:"sha256"`
	}{typ, guid, sender, received.UTC(), hex.EncodeToString(sum[:])})
	return b
}

// VocabBody is the canonical body of a master-data element: its attributes
// in document order and its children sorted.
func VocabBody(vtype, id string, attrs [][2]string, children []string) []byte {
	children = slices.Clone(children)
	slices.Sort(children)
	if attrs == nil {
		attrs = [][2]string{}
	}
	if children == nil {
		children = []string{}
	}
	b, _ := json.Marshal(struct {
		Type       string      `json:"type"`
		ID         string      `json:"id"`
		Attributes [][2]string `json:"attributes"`
		Children   []string    `json:"children"`
	}{vtype, id, attrs, children})
	return b
}

// USCCOfHold selects the enterprise a hold belongs to: its creator, else
// the first filer of its GTIN (bound: created_by, gtin).
const USCCOfHold = `SELECT uscc FROM (SELECT uscc, 0 AS o FROM enterprises WHERE id = ?
	UNION ALL SELECT e.uscc, 1 AS o FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.gtin = ?) u ORDER BY o LIMIT 1`

// LeafUSCC returns the enterprise a capture's leaf function names: the
// USCC of the leaf it makes. It fails when the leaf cannot be made.
func LeafUSCC(leaf epcis.LeafFunc, now time.Time) (string, error) {
	b, err := leaf(&epcis.Record{Hash: "ni:///sha-256;0", RecordTime: now})
	if err != nil {
		return "", err
	}
	l, err := ledger.ParseLeaf(b)
	if err != nil {
		return "", err
	}
	return l.USCC, nil
}
