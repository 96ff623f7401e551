package tracegate

import (
	"context"
	"time"
)

// DayCount is a count of one day (UTC midnight) under a key, optionally
// split by a second key (Sub).
type DayCount struct {
	Day time.Time `json:"day"`
	Key string    `json:"key"`
	Sub string    `json:"sub,omitempty"`
	N   int64     `json:"n"`
}

// KeyCount is a count under a key.
type KeyCount struct {
	Key string `json:"key"`
	N   int64  `json:"n"`
}

// Dashboard is what the regulator's dashboard charts, read from the
// stored records since a day.
type Dashboard struct {
	// Declarations are the declarations by the day of their latest
	// decision, its outcome (Key) and the port of entry (Sub).
	Declarations []DayCount
	// Refusals are the refusing reasons of the refused declarations, by rule.
	Refusals []KeyCount
	// OpenReviews are the times the open manual reviews were decided for
	// review (the queue's ages follow).
	OpenReviews []time.Time
	// Scans are the consumer scans by day (Key "scans"), and Copies the
	// codes scanned that day past the clone policy's scan limit.
	Scans, Copies []DayCount
	// CreditLevels are the graded enterprises by level (Key "1".."4").
	CreditLevels []KeyCount
}

// DashboardStore reads the dashboard's aggregates.
type DashboardStore interface {
	// Dashboard reads the aggregates since since; maxScans is the clone
	// policy's limit of consumer scans of one genuine code.
	Dashboard(ctx context.Context, since time.Time, maxScans int) (*Dashboard, error)
}
