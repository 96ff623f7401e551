package risk

import (
	"math"
	"time"
)

// Aggregate is what a store keeps of one subject: the log2 sum of its
// contributions normalised to Epoch, and the contributions, heaviest first.
type Aggregate struct {
	Subject Subject
	// LogSum is log2 of the sum of the contributions at Epoch (-Inf: none).
	LogSum        float64
	Contributions []StoredContribution
	// Signals is how many signals score the subject (Contributions may
	// hold fewer: the heaviest).
	Signals int
}

// StoredContribution is one signal's stored log weight on a subject.
type StoredContribution struct {
	Signal    int64
	Kind      Kind
	Severity  Severity
	Source    string
	Rank      int // among its source's signals on the subject, 1-based
	LogWeight float64
}

// Assessment is a subject's score now, its level and the signals it comes
// from with their part of it.
type Assessment struct {
	Subject Subject   `json:"subject"`
	Score   float64   `json:"score"`
	Level   Level     `json:"level"`
	At      time.Time `json:"at"`
	// SignalCount is how many signals score the subject; Signals lists the
	// heaviest of them.
	SignalCount int            `json:"signalCount"`
	Signals     []Contribution `json:"signals"`
}

// Contribution is one signal's part of a score: Contribution is its
// weight now, Factor the repeat factor of its rank within its source.
type Contribution struct {
	ID           int64    `json:"id"`
	Kind         Kind     `json:"kind"`
	Severity     Severity `json:"severity"`
	Source       string   `json:"source"`
	Factor       float64  `json:"factor"`
	Contribution float64  `json:"contribution"`
}

// Assess returns the assessment of a at now under c.
func (c *Config) Assess(a *Aggregate, now time.Time) Assessment {
	out := Assessment{Subject: a.Subject, Score: round(c.Value(a.LogSum, now)), At: now.UTC(), SignalCount: a.Signals, Signals: []Contribution{}}
	out.Level = c.LevelOf(out.Score)
	for _, sc := range a.Contributions {
		out.Signals = append(out.Signals, Contribution{ID: sc.Signal, Kind: sc.Kind, Severity: sc.Severity, Source: sc.Source,
			Factor: round(math.Pow(c.Repeat, float64(sc.Rank-1))), Contribution: round(c.Value(sc.LogWeight, now))})
	}
	return out
}

// round keeps 6 significant decimals, enough to read and stable in JSON.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// Change is a subject whose score a write moved.
type Change struct {
	Subject      Subject
	Before       float64
	After        float64
	From, To     Level
	LogSum       float64
	SignalIDs    []int64
	WarningID    int64 // the warning opened or raised, 0 for none
	WarningLevel Level
}

// Opens reports whether the change rises into notice or above, which opens
// (or raises) a warning.
func (ch *Change) Opens() bool {
	return ch.To.Rank() > ch.From.Rank() && ch.To.Rank() >= LevelNotice.Rank()
}
