package measure

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"tracegate"
	"tracegate/ledger"
)

// leafOrder is what the first step's leaf commits to of the order itself.
type leafOrder struct {
	Kind      Kind               `json:"kind"`
	Selector  tracegate.Selector `json:"selector"`
	Owner     string             `json:"owner"`
	Reason    string             `json:"reason"`
	ReasonEn  string             `json:"reasonEn"`
	Deadline  string             `json:"deadline,omitempty"`
	Until     string             `json:"until,omitempty"`
	Signal    string             `json:"signal,omitempty"`
	OrderedBy string             `json:"orderedBy"`
	Voluntary bool               `json:"voluntary"`
	CreatedAt string             `json:"createdAt"`
}

// leafBody is the JSON a risk-measure leaf's content hash is taken over.
type leafBody struct {
	Measure string     `json:"measure"`
	Seq     int        `json:"seq"`
	Event   string     `json:"event"`
	From    Status     `json:"from,omitempty"`
	To      Status     `json:"to,omitempty"`
	By      string     `json:"by"`
	At      string     `json:"at"`
	Note    string     `json:"note,omitempty"`
	Order   *leafOrder `json:"order,omitempty"`
}

func leafTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// ContentHash is the content hash of step st of m: the ni:///sha-256 URI
// of the compact JSON {"measure","seq","event","from","to","by","at",
// "note"} (times RFC 3339 UTC to the microsecond), with, for the first
// step, "order": the measure's kind, selector, owner, reasons, deadline,
// until, signal, orderer, voluntary flag and creation time
// (ledger/LEAF-FORMAT.md). It fails only when JSON cannot encode m.
func ContentHash(m *Measure, st *Step) (string, error) {
	b := leafBody{Measure: m.ID, Seq: st.Seq, Event: st.Event, From: st.From, To: st.To, By: st.By, At: leafTime(st.At), Note: st.Note}
	if st.Seq == 1 {
		o := &leafOrder{Kind: m.Kind, Selector: m.Selector, Owner: m.Owner, Reason: m.Reason, ReasonEn: m.ReasonEn,
			Signal: m.Signal, OrderedBy: m.OrderedBy, Voluntary: m.Voluntary, CreatedAt: leafTime(m.CreatedAt)}
		if m.Deadline != nil {
			o.Deadline = leafTime(*m.Deadline)
		}
		if m.Until != nil {
			o.Until = leafTime(*m.Until)
		}
		b.Order = o
	}
	j, err := json.Marshal(b)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(j)
	return "ni:///sha-256;" + hex.EncodeToString(h[:]), nil
}

// Leaf is the ledger leaf of step st of m: kind risk-measure, the step's
// content hash, its time and its author's USCC, no items.
func Leaf(m *Measure, st *Step) ([]byte, error) {
	h, err := ContentHash(m, st)
	if err != nil {
		return nil, err
	}
	return (&ledger.Leaf{Kind: ledger.KindRiskMeasure, ContentHash: h, Time: st.At, USCC: st.By}).Encode()
}

// RecordLeaf re-derives the leaf of a stored step, for the audit.
func RecordLeaf(r *Record) ([]byte, error) { return Leaf(r.Measure, &r.Step) }
