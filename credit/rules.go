package credit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"tracegate"
)

// DefaultRulesJSON is the embedded default rule set (rules.json): the
// seeds' four levels, level 4 dishonest.
//
//go:embed rules.json
var DefaultRulesJSON []byte

// Rules say how a record is scored and graded. The file format is the JSON
// of this type (see rules.json, the documented default):
//
//   - halfLifeDays: an entry's points halve every so many days;
//   - horizonDays: entries older than this do not count at all;
//   - points: the points of one entry of each Kind (a kind left out scores 0);
//   - levels: the scheme, best level first, numbered 1..N, each covering
//     the scores from "from" (inclusive) to "to" (exclusive); the first
//     starts at 0, each starts where the previous ends, and only the last
//     is open ("to" left out). The last level is the dishonest one (the
//     blacklist). "sampling" is the share (0..1) of declarations sampled
//     for manual review at that level;
//   - recognition: how a level recognised by another agency within
//     validDays acts: raise (a worse recognised level makes the computed
//     one at least as bad) and cap (a better recognised level limits the
//     computed one to at most capMargin levels worse than it; never out of
//     the dishonest level, which only the record can put an enterprise in or
//     take it out of).
type Rules struct {
	HalfLifeDays float64          `json:"halfLifeDays"`
	HorizonDays  float64          `json:"horizonDays"`
	Points       map[Kind]float64 `json:"points"`
	Levels       []LevelRule      `json:"levels"`
	Recognition  RecognitionRule  `json:"recognition"`
}

// LevelRule is one level of the scheme.
type LevelRule struct {
	Level    int      `json:"level"`
	Name     string   `json:"name"`
	NameEn   string   `json:"nameEn"`
	From     float64  `json:"from"`
	To       *float64 `json:"to,omitempty"`
	Sampling float64  `json:"sampling"`
}

// RecognitionRule says how recognised levels act on the computed one.
type RecognitionRule struct {
	ValidDays float64 `json:"validDays"`
	Raise     bool    `json:"raise"`
	Cap       bool    `json:"cap"`
	CapMargin int     `json:"capMargin"`
}

// DefaultRules returns the parsed embedded default. It never fails: the
// default is tested.
func DefaultRules() *Rules {
	r, err := ParseRules(DefaultRulesJSON)
	if err != nil {
		panic("credit: embedded rules.json: " + err.Error())
	}
	return r
}

// ParseRules parses and checks a rules file. It fails with EINVALID, the
// pointer naming the line and the field ("line 12: /levels/2/from"), when
// the file does not parse, names an unknown kind, or its levels are not
// numbered 1..N, leave a score range unmapped or overlap, or have a
// sampling share outside 0..1.
func ParseRules(data []byte) (*Rules, error) {
	var r Rules
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		off := int64(-1)
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		line := 0
		if off >= 0 {
			line = lineAt(data, off)
		} else if _, field, ok := strings.Cut(err.Error(), "unknown field "); ok {
			if i := bytes.Index(data, []byte(field)); i >= 0 {
				line = lineAt(data, int64(i))
			}
		}
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: fmt.Sprintf("line %d", line),
			Message: "credit rules do not parse: " + err.Error()}
	}
	lines := pointerLines(data)
	bad := func(ptr, format string, args ...any) error {
		return &tracegate.Error{Code: tracegate.EINVALID, Pointer: fmt.Sprintf("line %d: %s", lines[ptr], ptr),
			Message: "credit rules: " + fmt.Sprintf(format, args...)}
	}
	if r.HalfLifeDays <= 0 {
		return nil, bad("/halfLifeDays", "halfLifeDays must be positive")
	}
	if r.HorizonDays <= 0 {
		return nil, bad("/horizonDays", "horizonDays must be positive")
	}
	for k, p := range r.Points {
		if !k.Valid() {
			return nil, bad("/points/"+string(k), "unknown kind of entry %q", k)
		}
		if p < 0 || math.IsNaN(p) || math.IsInf(p, 0) {
			return nil, bad("/points/"+string(k), "points must be a finite number, at least 0")
		}
	}
	if len(r.Levels) < 2 {
		return nil, bad("/levels", "at least two levels are needed (the last is the dishonest one)")
	}
	for i, l := range r.Levels {
		p := "/levels/" + strconv.Itoa(i)
		switch {
		case l.Level != i+1:
			return nil, bad(p+"/level", "level %d in place %d: levels are numbered 1..N, best first", l.Level, i+1)
		case i == 0 && l.From != 0:
			return nil, bad(p+"/from", "the first level must start at score 0, not %g: scores below are unmapped", l.From)
		case i > 0 && r.Levels[i-1].To != nil && l.From != *r.Levels[i-1].To:
			return nil, bad(p+"/from", "level %d starts at %g but level %d ends at %g: the range between is unmapped or overlaps",
				l.Level, l.From, i, *r.Levels[i-1].To)
		case i < len(r.Levels)-1 && l.To == nil:
			return nil, bad(p, "only the last level may be open: level %d has no \"to\"", l.Level)
		case i == len(r.Levels)-1 && l.To != nil:
			return nil, bad(p+"/to", "the last level must be open (no \"to\"): scores from %g up are unmapped", *l.To)
		case l.To != nil && *l.To <= l.From:
			return nil, bad(p+"/to", "level %d ends at %g, not after its start %g", l.Level, *l.To, l.From)
		case l.Sampling < 0 || l.Sampling > 1 || math.IsNaN(l.Sampling):
			return nil, bad(p+"/sampling", "sampling %g is not a share between 0 and 1", l.Sampling)
		}
	}
	if r.Recognition.CapMargin < 0 {
		return nil, bad("/recognition/capMargin", "capMargin must be at least 0")
	}
	if r.Recognition.ValidDays < 0 {
		return nil, bad("/recognition/validDays", "validDays must be at least 0")
	}
	return &r, nil
}

// Dishonest is the dishonest level: the last of the scheme.
func (r *Rules) Dishonest() int { return len(r.Levels) }

// Level maps a score to its level.
func (r *Rules) Level(score float64) int {
	for _, l := range r.Levels {
		if l.To == nil || score < *l.To {
			return l.Level
		}
	}
	return r.Dishonest()
}

// CheckLevel fails with EINVALID at pointer when level is not in the
// scheme.
func (r *Rules) CheckLevel(pointer string, level int) error {
	if level < 1 || level > len(r.Levels) {
		return tracegate.Invalidf(pointer, "level %d is outside the credit scheme (1 to %d)", level, len(r.Levels))
	}
	return nil
}

// Sampling returns the share of declarations sampled at level, 1 (every
// declaration) for a level outside the scheme.
func (r *Rules) Sampling(level int) float64 {
	if level < 1 || level > len(r.Levels) {
		return 1
	}
	return r.Levels[level-1].Sampling
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// pointerLines maps the JSON pointer of every value in data (valid JSON) to
// the line it starts on.
func pointerLines(data []byte) map[string]int {
	out := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj   bool
		key   string
		index int
		isKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			b.WriteByte('/')
			if f.obj {
				b.WriteString(f.key)
			} else {
				b.WriteString(strconv.Itoa(f.index))
			}
		}
		return b.String()
	}
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		// The token starts after any whitespace and separator from off.
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		top := len(stack) - 1
		if top >= 0 && stack[top].obj && stack[top].isKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:top]
				if top-1 >= 0 && stack[top-1].obj {
					stack[top-1].isKey = true
				}
				continue
			}
			stack[top].key, stack[top].isKey = fmt.Sprint(tok), false
			out[path()] = lineAt(data, off)
			continue
		}
		if top >= 0 && !stack[top].obj {
			if d, ok := tok.(json.Delim); ok && d == ']' {
				stack = stack[:top]
				if top-1 >= 0 && stack[top-1].obj {
					stack[top-1].isKey = true
				}
				continue
			}
			stack[top].index++
			out[path()] = lineAt(data, off)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, frame{obj: true, isKey: true})
				if len(stack) == 1 {
					out[""] = lineAt(data, off)
				}
			case '[':
				stack = append(stack, frame{index: -1})
			}
			continue
		}
		if top >= 0 && stack[top].obj {
			stack[top].isKey = true
		}
	}
}
