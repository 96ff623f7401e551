package credit

import "time"

// View is an enterprise's credit record as the API and the CLI show it
// (the contract of GET /api/credit/enterprises/{uscc}).
type View struct {
	USCC  string `json:"uscc"`
	Name  string `json:"name"`
	Level int    `json:"level"`
	// Score is the score now; Level the stored level, Since when it was
	// reached (null when never graded: Level is then computed).
	Score   float64       `json:"score"`
	Since   *time.Time    `json:"since"`
	Reasons []string      `json:"reasons"`
	Entries []Entry       `json:"entries"`
	History []HistoryItem `json:"history"`
	Appeals []Appeal      `json:"appeals"`
	// Recognitions are the levels other agencies recognise.
	Recognitions []Recognition `json:"recognitions"`
}

// HistoryItem is one level change in a View.
type HistoryItem struct {
	Level       int       `json:"level"`
	Prev        int       `json:"prev"`
	At          time.Time `json:"at"`
	Score       float64   `json:"score"`
	Reasons     []string  `json:"reasons"`
	LedgerIndex int64     `json:"ledgerIndex"`
}

// NewView returns the view of rec graded g: the stored level, score and
// since, the entries with their points now, and the history newest first.
func NewView(rec *Record, g Grade) *View {
	v := &View{USCC: rec.USCC, Name: rec.Name, Level: rec.Level, Score: g.Score, Reasons: g.Reasons, Entries: g.Entries,
		History: []HistoryItem{}, Appeals: rec.Appeals, Recognitions: rec.Recognitions}
	if rec.Level == 0 {
		v.Level = g.Level
	} else {
		since := rec.Since
		v.Since = &since
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	if v.Appeals == nil {
		v.Appeals = []Appeal{}
	}
	if v.Recognitions == nil {
		v.Recognitions = []Recognition{}
	}
	for i := len(rec.History) - 1; i >= 0; i-- {
		c := rec.History[i]
		v.History = append(v.History, HistoryItem{Level: c.Level, Prev: c.Prev, At: c.At, Score: c.Score, Reasons: c.Reasons, LedgerIndex: c.LedgerIndex})
	}
	return v
}
