package risk

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"tracegate"
	"tracegate/customs"
)

//go:embed config.json
var defaultConfig []byte

// Epoch is the time contributions are normalised to: a stored weight is
// log2 of the weight it would have had at Epoch, so that all decay alike.
var Epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Level is where a score stands against the thresholds.
type Level string

// The levels, low to high.
const (
	LevelNone    Level = "none"
	LevelNotice  Level = "notice"  // 风险提示
	LevelWarning Level = "warning" // 风险预警
	LevelAlert   Level = "alert"
)

// Levels lists the levels low to high.
var Levels = []Level{LevelNone, LevelNotice, LevelWarning, LevelAlert}

// Rank orders levels: none 0 … alert 3; an unknown level is 0.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return 0
}

// Config is the assessment's configuration: weights by kind and severity,
// the half-life of a signal's weight, the repeat factor of one source on
// one subject, the level thresholds and what each level means to customs
// screening. The default (config.json, embedded) is documented there and in
// docs/risk.md; a change re-scores every subject.
type Config struct {
	// HalfLifeDays is how long a signal takes to weigh half as much.
	HalfLifeDays float64 `json:"halfLifeDays"`
	// Repeat multiplies each further signal of one source on one subject:
	// the k-th counts Repeat^(k-1). 1 counts repeats fully, 0 not at all.
	Repeat     float64              `json:"repeat"`
	Kinds      map[Kind]float64     `json:"kinds"`
	Severities map[Severity]float64 `json:"severities"`
	// Thresholds are the scores from which a subject is at notice, warning
	// and alert.
	Thresholds struct {
		Notice  float64 `json:"notice"`
		Warning float64 `json:"warning"`
		Alert   float64 `json:"alert"`
	} `json:"thresholds"`
	// Customs says what screening makes of a GTIN or HS code at each level:
	// a customs risk-tag severity (notice passes, warning is manual review,
	// block refuses), "" for nothing.
	Customs map[Level]customs.Severity `json:"customs"`
}

// DefaultConfig returns the embedded default configuration.
func DefaultConfig() *Config {
	c, err := ParseConfig(defaultConfig)
	if err != nil {
		panic("risk: embedded config.json: " + err.Error())
	}
	return c
}

// ParseConfig reads a configuration, refusing unknown fields. It fails
// with EINVALID naming the line or field of the problem: a half-life not
// positive, a repeat outside 0..1, a kind or severity unknown or missing or
// weighted negative, thresholds not positive and increasing, a customs
// severity unknown.
func ParseConfig(b []byte) (*Config, error) {
	var c Config
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case asSyntax(err, &se):
			return nil, tracegate.Invalidf(fmt.Sprintf("/line/%d", lineOf(b, se.Offset)), "risk config: %v", err)
		case asType(err, &te):
			return nil, tracegate.Invalidf(fmt.Sprintf("/line/%d", lineOf(b, te.Offset)), "risk config: %v", err)
		}
		return nil, tracegate.Invalidf("", "risk config: %v", err)
	}
	return &c, c.Check()
}

// Check validates c; see ParseConfig.
func (c *Config) Check() error {
	if !(c.HalfLifeDays > 0) || c.HalfLifeDays > 36500 {
		return tracegate.Invalidf("/halfLifeDays", "risk config: halfLifeDays must be between 0 and 36500 days")
	}
	if !(c.Repeat >= 0 && c.Repeat <= 1) {
		return tracegate.Invalidf("/repeat", "risk config: repeat must be between 0 and 1")
	}
	for _, k := range Kinds {
		if w, ok := c.Kinds[k]; !ok || !(w >= 0) || math.IsInf(w, 0) {
			return tracegate.Invalidf("/kinds/"+string(k), "risk config: kind %s needs a weight of 0 or more", k)
		}
	}
	for k := range c.Kinds {
		if !oneOf(k, Kinds) {
			return tracegate.Invalidf("/kinds/"+string(k), "risk config: unknown kind %q", k)
		}
	}
	for _, s := range Severities {
		if w, ok := c.Severities[s]; !ok || !(w >= 0) || math.IsInf(w, 0) {
			return tracegate.Invalidf("/severities/"+string(s), "risk config: severity %s needs a weight of 0 or more", s)
		}
	}
	for s := range c.Severities {
		if !oneOf(s, Severities) {
			return tracegate.Invalidf("/severities/"+string(s), "risk config: unknown severity %q", s)
		}
	}
	t := c.Thresholds
	if !(t.Notice > 0 && t.Warning > t.Notice && t.Alert > t.Warning) || math.IsInf(t.Alert, 0) {
		return tracegate.Invalidf("/thresholds", "risk config: thresholds must be positive and increase from notice to warning to alert")
	}
	for l, s := range c.Customs {
		if l == LevelNone || !oneOf(l, Levels) {
			return tracegate.Invalidf("/customs/"+string(l), "risk config: customs takes levels notice, warning and alert, not %q", l)
		}
		if s != "" && s != customs.SeverityNotice && s != customs.SeverityWarning && s != customs.SeverityBlock {
			return tracegate.Invalidf("/customs/"+string(l), "risk config: customs severity %q is not notice, warning or block", s)
		}
	}
	return nil
}

// JSON returns c as indented JSON.
func (c *Config) JSON() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return b
}

// LevelOf returns the level of score.
func (c *Config) LevelOf(score float64) Level {
	switch t := c.Thresholds; {
	case score >= t.Alert:
		return LevelAlert
	case score >= t.Warning:
		return LevelWarning
	case score >= t.Notice:
		return LevelNotice
	}
	return LevelNone
}

// halfLives returns how many half-lives t is after Epoch.
func (c *Config) halfLives(t time.Time) float64 {
	return t.Sub(Epoch).Hours() / 24 / c.HalfLifeDays
}

// LogWeight returns the stored weight of a signal of kind k and severity
// sev observed at at, the rank-th (1-based) of its source on a subject:
// log2(weight(kind) × weight(severity) × repeat^(rank−1)) plus the
// half-lives from Epoch to at. It is -Inf for a weight of 0.
func (c *Config) LogWeight(k Kind, sev Severity, at time.Time, rank int) float64 {
	w := c.Kinds[k] * c.Severities[sev] * math.Pow(c.Repeat, float64(rank-1))
	return math.Log2(w) + c.halfLives(at)
}

// Value returns what a stored log weight (or a subject's log sum) is worth
// at now: 2^(lw − half-lives from Epoch to now), to 6 decimals.
func (c *Config) Value(lw float64, now time.Time) float64 {
	if math.IsInf(lw, -1) || math.IsNaN(lw) {
		return 0
	}
	// Rounded to 6 decimals: log and exp leave 1e-15 of noise, which must
	// not put a score of exactly a threshold below it.
	return round(math.Exp2(lw - c.halfLives(now)))
}

// LogAdd returns log2(2^a + 2^b) without overflow; -Inf is the log of 0.
func LogAdd(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log2(1+math.Exp2(b-a))
}

// NoWeight is the stored log sum of a subject without weight (log2 0);
// stores keep it as this finite number, which Value takes as 0.
const NoWeight = -1e300

// Finite maps -Inf to NoWeight for storing, and NoWeight back to -Inf
// when reading (Unfinite).
func Finite(x float64) float64 {
	if math.IsInf(x, -1) || math.IsNaN(x) || x <= NoWeight {
		return NoWeight
	}
	return x
}

// Unfinite is the inverse of Finite.
func Unfinite(x float64) float64 {
	if x <= NoWeight {
		return math.Inf(-1)
	}
	return x
}

func lineOf(b []byte, off int64) int {
	return bytes.Count(b[:min(int(off), len(b))], []byte("\n")) + 1
}

func asSyntax(err error, e **json.SyntaxError) bool      { return errorsAs(err, e) }
func asType(err error, e **json.UnmarshalTypeError) bool { return errorsAs(err, e) }

func log2(x float64) float64 { return math.Log2(x) }

func trimFloat(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

// LogAt returns the stored log sum that is worth score at now: subjects
// whose log sum is at least LogAt(threshold, now) are at that threshold.
func (c *Config) LogAt(score float64, now time.Time) float64 {
	return math.Log2(score) + c.halfLives(now)
}
