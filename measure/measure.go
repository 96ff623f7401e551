// Package measure is the regulator's action on goods: risk notices, stop
// sales, warehouse locks, recalls and return-or-destroy orders (issue 13),
// each over a tracegate.Selector, with an owner who carries it out, a
// workflow whose every step is ledgered, enforcement wherever goods move,
// and a recall scope that reaches every affected item.
package measure

import (
	"time"

	"tracegate"
)

// Kind is what a measure asks for.
type Kind string

const (
	RiskNotice    Kind = "risk_notice"    // 风险通报: consumers and holders are told
	StopSale      Kind = "stop_sale"      // 停止销售: no dispatch
	WarehouseLock Kind = "warehouse_lock" // 锁仓/下架: nothing leaves the named warehouse
	Recall        Kind = "recall"         // 强制召回 or voluntary: items come back
	ReturnDestroy Kind = "return_destroy" // 退运销毁: items are shipped back or destroyed
)

// Status is where a measure is in its workflow.
type Status string

const (
	// Draft is a measure proposed (from a risk warning) and not in force
	// until the regulator orders it.
	Draft      Status = "draft"
	Ordered    Status = "ordered"
	InProgress Status = "in_progress"
	Completed  Status = "completed"
	Verified   Status = "verified"
	Cancelled  Status = "cancelled"
)

// Measure is one order on goods.
type Measure struct {
	ID       string             `json:"id"`
	Kind     Kind               `json:"kind"`
	Status   Status             `json:"status"`
	Selector tracegate.Selector `json:"selector"`
	// Owner is the USCC of the enterprise that must carry the measure out.
	Owner    string `json:"owner"`
	Reason   string `json:"reason"`
	ReasonEn string `json:"reasonEn"`
	// Deadline is optional.
	Deadline *time.Time `json:"deadline,omitempty"`
	// Signal is the risk signal or warning the measure answers, if any.
	Signal    string `json:"signal,omitempty"`
	OrderedBy string `json:"orderedBy"` // USCC of the regulator or the owner (voluntary)
	Voluntary bool   `json:"voluntary"`
	// Since is when the measure came into force (it was ordered); nil for a
	// draft. Until, when set, is when it stops being in force (a hold
	// migrated from before measures, or one made through /api/holds).
	Since     *time.Time `json:"since,omitempty"`
	Until     *time.Time `json:"until,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	// HoldID is the hold this measure was migrated from (0: none); its
	// order is ledgered as that hold's label-hold state, not as a
	// risk-measure leaf.
	HoldID int64 `json:"holdId,omitempty"`
	// History lists every transition, oldest first.
	History []Transition `json:"history,omitempty"`
	// Acks are the acknowledgements, oldest first; Pending the enterprises
	// (owner and holders of affected goods) that have not acknowledged.
	// Both are filled for the regulator and the owner only.
	Acks    []Ack    `json:"acks,omitempty"`
	Pending []string `json:"pending,omitempty"`
}

// Ack is an enterprise's acknowledgement of a measure.
type Ack struct {
	By   string    `json:"by"` // USCC
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// InForce reports whether m is in force at t: ordered and not yet verified
// or cancelled, at or after Since and before Until.
func (m *Measure) InForce(t time.Time) bool {
	switch m.Status {
	case Ordered, InProgress, Completed:
	default:
		return false
	}
	return m.Since != nil && !t.Before(*m.Since) && (m.Until == nil || t.Before(*m.Until))
}

// Blocks reports whether a measure of kind k refuses the binding of the
// goods it covers: every kind but a risk notice (a warehouse lock refuses
// the goods of the warehouse its selector names).
func (k Kind) Blocks() bool { return k != RiskNotice }

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case RiskNotice, StopSale, WarehouseLock, Recall, ReturnDestroy:
		return true
	}
	return false
}

// Kinds lists every kind, in the order of their severity on a scan page
// (a recall first).
var Kinds = []Kind{Recall, ReturnDestroy, StopSale, WarehouseLock, RiskNotice}

// Transition is one step of a measure's workflow.
type Transition struct {
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to"`
	By   string    `json:"by"` // USCC
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}
