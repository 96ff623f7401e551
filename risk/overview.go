package risk

import "time"

// Overview is the decision-support data (宏观决策支持) the console charts:
// signals by kind and hazard per week, the top subjects, the open warnings
// and their age, lab failure rates by origin and HS chapter.
type Overview struct {
	Since           time.Time     `json:"since"`
	At              time.Time     `json:"at"`
	SignalsByKind   []Count       `json:"signalsByKind"`
	SignalsByHazard []Count       `json:"signalsByHazard"`
	TopSubjects     []Assessment  `json:"topSubjects"`
	OpenWarnings    []WarningAge  `json:"openWarnings"`
	LabFailures     []FailureRate `json:"labFailures"`
	Levels          map[Level]int `json:"levels"` // subjects per level now
}

// Count is the number of signals of one key in the week from Week.
type Count struct {
	Week  string `json:"week"` // YYYY-MM-DD, the Monday
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// WarningAge is an open warning and how long it has been open.
type WarningAge struct {
	ID       int64     `json:"id"`
	Subject  Subject   `json:"subject"`
	Level    Level     `json:"level"`
	OpenedAt time.Time `json:"openedAt"`
	AgeHours float64   `json:"ageHours"`
}

// FailureRate is the share of lab results that failed, by origin country
// or HS chapter (2 digits) of the tested goods' filing.
type FailureRate struct {
	By     string  `json:"by"` // origin or hsChapter
	Key    string  `json:"key"`
	Tested int     `json:"tested"`
	Failed int     `json:"failed"`
	Rate   float64 `json:"rate"`
}

// WeekOf returns the Monday of t's week (UTC) as YYYY-MM-DD.
func WeekOf(t time.Time) string {
	t = t.UTC()
	d := (int(t.Weekday()) + 6) % 7
	return t.AddDate(0, 0, -d).Format(time.DateOnly)
}
