package epcis

import (
	"context"
	"time"
)

// Containment is one child inside a parent (a case, pallet, container or
// waybill) over an interval of event time, as AggregationEvents record it.
type Containment struct {
	Parent string     `json:"parent"`
	Child  string     `json:"child"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to,omitempty"` // nil while the child is still inside
	Depth  int        `json:"depth"`        // 1 for a direct child
	// AddSeq is the store sequence of the AggregationEvent that put the
	// child in: a caller sees the interval when it may see that event.
	AddSeq int64 `json:"-"`
}

// ContainmentStore answers containment questions. Stores maintain it in
// the capture transaction from AggregationEvents: ADD and OBSERVE put
// children in the parent from the event time (taking them out of any other
// parent they were in), DELETE takes the named children — or all, when none
// are named — out at the event time. Identifiers are canonical
// (CanonicalEPC). Intervals follow the order of capture; an event captured
// late that predates intervals already recorded does not reorder them.
type ContainmentStore interface {
	// Contents returns what was inside parent at time at: the direct
	// children, or every descendant (with its depth) when deep is set.
	Contents(ctx context.Context, parent string, at time.Time, deep bool) ([]Containment, error)
	// Containers returns the chain of parents around child at time at,
	// innermost first.
	Containers(ctx context.Context, child string, at time.Time) ([]Containment, error)
}

// ContainmentOf returns the containment change of e, and false when e is
// not an AggregationEvent with a parent.
func ContainmentOf(e *Event) (parent string, children []string, remove bool, at time.Time, ok bool) {
	if e.Type != AggregationEvent || e.ParentID == "" {
		return "", nil, false, time.Time{}, false
	}
	for _, c := range e.ChildEPCs {
		children = append(children, CanonicalEPC(c))
	}
	return CanonicalEPC(e.ParentID), children, e.Action == "DELETE", e.EventTime, true
}
