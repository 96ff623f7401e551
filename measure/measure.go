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
	Signal    string    `json:"signal,omitempty"`
	OrderedBy string    `json:"orderedBy"` // USCC of the regulator or the owner (voluntary)
	Voluntary bool      `json:"voluntary"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// History lists every transition, oldest first.
	History []Transition `json:"history,omitempty"`
}

// Transition is one step of a measure's workflow.
type Transition struct {
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to"`
	By   string    `json:"by"` // USCC
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}
