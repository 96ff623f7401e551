package customs

import (
	"strings"
	"time"

	"tracegate"
)

// DocKind names one of the four documents of a declaration.
type DocKind string

// The documents the three-document match (三单对碰) waits for.
const (
	DocOrder     DocKind = "order"     // CEB311
	DocPayment   DocKind = "payment"   // CEB411
	DocWaybill   DocKind = "waybill"   // CEB511
	DocInventory DocKind = "inventory" // CEB621
)

// MatchKey holds the identifiers a document carries: order, payment and
// inventory carry (EbpCode, OrderNo); the waybill carries OrderNo and
// (LogisticsCode, LogisticsNo) but no platform; the inventory carries all.
type MatchKey struct {
	EbpCode, OrderNo           string
	LogisticsCode, LogisticsNo string
}

// OrderKey returns the key of an order head.
func OrderKey(h *OrderHead) MatchKey { return MatchKey{EbpCode: h.EbpCode, OrderNo: h.OrderNo} }

// PaymentKey returns the key of a payment head.
func PaymentKey(h *PaymentHead) MatchKey { return MatchKey{EbpCode: h.EbpCode, OrderNo: h.OrderNo} }

// WaybillKey returns the key of a waybill head.
func WaybillKey(h *LogisticsHead) MatchKey {
	return MatchKey{OrderNo: h.OrderNo, LogisticsCode: h.LogisticsCode, LogisticsNo: h.LogisticsNo}
}

// InventoryKey returns the key of an inventory head.
func InventoryKey(h *InventoryHead) MatchKey {
	return MatchKey{EbpCode: h.EbpCode, OrderNo: h.OrderNo, LogisticsCode: h.LogisticsCode, LogisticsNo: h.LogisticsNo}
}

// MatchState records which documents of one declaration have arrived. It is
// a plain value with no hidden state: persist it as is (its JSON, or one
// column per field) and look it up by (EbpCode, OrderNo) or by
// (LogisticsCode, LogisticsNo) — a waybill, which has no platform code, is
// found by the latter or by its OrderNo.
//
// The flow: on each arrival, Record the document, then, once the inventory
// is there, run Screen with the documents present (nil for the others) and
// MatchTimedOut set from TimedOut; a waiting decision is re-run when the
// next document arrives, and by a periodic sweep that reports the timeout.
// The zero value is an empty state.
type MatchState struct {
	EbpCode       string `json:"ebpCode,omitempty"`
	OrderNo       string `json:"orderNo,omitempty"`
	LogisticsCode string `json:"logisticsCode,omitempty"`
	LogisticsNo   string `json:"logisticsNo,omitempty"`
	// When each document first arrived; zero when it has not.
	OrderAt     time.Time `json:"orderAt,omitzero"`
	PaymentAt   time.Time `json:"paymentAt,omitzero"`
	WaybillAt   time.Time `json:"waybillAt,omitzero"`
	InventoryAt time.Time `json:"inventoryAt,omitzero"`
}

func (s *MatchState) at(k DocKind) *time.Time {
	switch k {
	case DocOrder:
		return &s.OrderAt
	case DocPayment:
		return &s.PaymentAt
	case DocWaybill:
		return &s.WaybillAt
	case DocInventory:
		return &s.InventoryAt
	}
	return nil
}

// Record notes that a document of kind with key arrived at at. A document
// that arrives again keeps its first arrival time (a modification re-runs
// the match but does not restart the clock). It fails, leaving s unchanged,
// with EINVALID for an unknown kind, a zero time, or a key missing an
// identifier its kind carries, and with ECONFLICT when the key names
// another declaration than the ones recorded (a different orderNo,
// platform or waybill).
func (s *MatchState) Record(kind DocKind, key MatchKey, at time.Time) error {
	p := s.at(kind)
	if p == nil {
		return tracegate.Invalidf("/kind", "unknown document kind %q", kind)
	}
	if at.IsZero() {
		return tracegate.Invalidf("/at", "arrival time is required")
	}
	k := MatchKey{strings.TrimSpace(key.EbpCode), strings.TrimSpace(key.OrderNo),
		strings.TrimSpace(key.LogisticsCode), strings.TrimSpace(key.LogisticsNo)}
	need := []struct{ name, v string }{{"orderNo", k.OrderNo}}
	if kind != DocWaybill {
		need = append(need, struct{ name, v string }{"ebpCode", k.EbpCode})
	}
	if kind == DocWaybill || kind == DocInventory {
		need = append(need, struct{ name, v string }{"logisticsCode", k.LogisticsCode}, struct{ name, v string }{"logisticsNo", k.LogisticsNo})
	}
	for _, n := range need {
		if n.v == "" {
			return tracegate.Invalidf("/"+n.name, "a %s carries %s", kind, n.name)
		}
	}
	fields := []struct {
		name      string
		have, got *string
	}{{"ebpCode", &s.EbpCode, &k.EbpCode}, {"orderNo", &s.OrderNo, &k.OrderNo},
		{"logisticsCode", &s.LogisticsCode, &k.LogisticsCode}, {"logisticsNo", &s.LogisticsNo, &k.LogisticsNo}}
	for _, f := range fields {
		if *f.got != "" && *f.have != "" && *f.got != *f.have {
			return tracegate.Errorf(tracegate.ECONFLICT, "%s %s %q does not belong to the declaration with %s %q", kind, f.name, *f.got, f.name, *f.have)
		}
	}
	for _, f := range fields {
		if *f.have == "" {
			*f.have = *f.got
		}
	}
	if p.IsZero() {
		*p = at
	}
	return nil
}

var docKinds = []DocKind{DocOrder, DocPayment, DocWaybill, DocInventory}

// Missing returns the documents that have not arrived, in the order order,
// payment, waybill, inventory; nil when all have.
func (s *MatchState) Missing() []DocKind {
	var out []DocKind
	for _, k := range docKinds {
		if s.at(k).IsZero() {
			out = append(out, k)
		}
	}
	return out
}

// Complete reports whether all four documents have arrived.
func (s *MatchState) Complete() bool { return len(s.Missing()) == 0 }

// Arrived reports whether a document of kind has arrived.
func (s *MatchState) Arrived(kind DocKind) bool {
	p := s.at(kind)
	return p != nil && !p.IsZero()
}

// FirstArrival returns the earliest arrival time, zero when nothing arrived.
func (s *MatchState) FirstArrival() time.Time {
	var first time.Time
	for _, k := range docKinds {
		if t := *s.at(k); !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

// Deadline returns when the match times out: timeout after the first
// arrival; zero when nothing has arrived.
func (s *MatchState) Deadline(timeout time.Duration) time.Time {
	first := s.FirstArrival()
	if first.IsZero() {
		return first
	}
	return first.Add(timeout)
}

// TimedOut reports whether, at now, documents are still missing although
// timeout has passed since the first arrival (the deadline itself counts as
// timed out). A complete or empty state never times out.
func (s *MatchState) TimedOut(now time.Time, timeout time.Duration) bool {
	if s.Complete() {
		return false
	}
	d := s.Deadline(timeout)
	return !d.IsZero() && !now.Before(d)
}
