package measure

import (
	"context"
	"time"

	"tracegate"
	"tracegate/bus"
)

// Step is one ledgered step of a measure: its first (drafted or ordered),
// a transition, or an acknowledgement. Seq numbers a measure's steps from 1.
type Step struct {
	Seq   int    `json:"seq"`
	Event string `json:"event"` // EventDrafted, EventOrdered, EventStatus or EventAck
	// From and To are the statuses of a transition (To only for the
	// first step; neither for an ack).
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to,omitempty"`
	By   string    `json:"by"` // USCC
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// The events of steps, also the last token of their bus subjects
// (tracegate.measure.<kind>.<event>); progress is the scope's.
const (
	EventDrafted  = "drafted"
	EventOrdered  = "ordered"
	EventStatus   = "status"
	EventAck      = "ack"
	EventProgress = "progress"
)

// Write is what one step writes in its transaction: the step (with its
// ledger leaf, appended under the ledger's sequencer) and the bus messages
// of the outbox.
type Write struct {
	Step     Step
	Leaf     []byte
	Messages []bus.Message
}

// Record is one ledgered step with the measure it belongs to, for the
// audit: the measure as stored now (its order is in the first step's leaf)
// and the step's ledger index.
type Record struct {
	Measure     *Measure
	Step        Step
	LedgerIndex int64
}

// Filter selects measures to list.
type Filter struct {
	Status Status // "" any
	Kind   Kind   // "" any
	Owner  string // USCC; "" any
	Limit  int    // 0 means 500
}

// Holder is an enterprise holding goods a selector covers.
type Holder struct {
	EnterpriseID int64
	USCC         string
}

// Store keeps measures, their steps and acknowledgements.
type Store interface {
	// CreateMeasure stores m, whose status is w.Step.To, with its first
	// step, leaf and messages in one transaction. It fails with ECONFLICT
	// when m.ID is taken.
	CreateMeasure(ctx context.Context, m *Measure, w *Write) error
	// ChangeMeasure reads the measure id (with its history and acks) in a
	// write transaction, locked against other changes, and calls fn; when
	// fn returns a Write, its step is stored (a transition also sets the
	// measure's status, Since when it is ordered, and UpdatedAt), with its
	// leaf and messages; a nil Write stores nothing. It fails with
	// ENOTFOUND for an unknown id, and with fn's error, storing nothing.
	ChangeMeasure(ctx context.Context, id string, fn func(m *Measure) (*Write, error)) error
	// FindMeasure returns the measure id with its history and acks, or
	// ENOTFOUND.
	FindMeasure(ctx context.Context, id string) (*Measure, error)
	// ListMeasures returns the measures f selects, newest first, without
	// history.
	ListMeasures(ctx context.Context, f Filter) ([]*Measure, error)
	// MeasuresInForce returns the measures whose status may be in force
	// (ordered, in progress, completed), without history, oldest first;
	// the caller checks Measure.InForce at its time.
	MeasuresInForce(ctx context.Context) ([]*Measure, error)
	// MeasureHolders returns the enterprises holding goods sel covers: the
	// enterprises the matching labels were issued to, that bound them at
	// intake, or whose warehouse took them in. A selector naming a
	// container has none here (its contents are the scope's).
	MeasureHolders(ctx context.Context, sel tracegate.Selector) ([]Holder, error)
	// HoldsGoods reports whether enterprise holds (as MeasureHolders
	// counts) any goods sel covers.
	HoldsGoods(ctx context.Context, enterpriseID int64, sel tracegate.Selector) (bool, error)
	// MeasureRecords yields every ledgered step in ledger order, for the
	// audit.
	MeasureRecords(ctx context.Context, fn func(r *Record) error) error
}
