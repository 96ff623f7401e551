package gs1

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// syntaxDictionary is the GS1 Barcode Syntax Dictionary, copied byte for
// byte from github.com/gs1/gs1-syntax-dictionary (Apache-2.0).
//
//go:embed gs1-syntax-dictionary.txt
var syntaxDictionary string

// MaxAIs is the most AIs one element string or Digital Link may carry, as in
// the GS1 Barcode Syntax Engine.
const MaxAIs = 64

// charset is the character set of one component of an AI's format.
type charset uint8

const (
	csN charset = iota + 1 // digits
	csX                    // GS1 AI encodable character set 82
	csY                    // GS1 AI encodable character set 39
	csZ                    // GS1 AI encodable character set 64 (base64url)
)

// component is one part of an AI's format, such as "N13,csum" or "[X..17]".
type component struct {
	cs       charset
	min, max int
	opt      bool
	linters  []namedLinter
	names    []string // linter names as written in the dictionary
}

// namedLinter is a linter with its name in the dictionary, for messages.
type namedLinter struct {
	fn   linter
	name string
}

// pattern is an AI or AI pattern of a req= or ex= attribute: "01" or "310n"
// (prefix "310", any fourth digit).
type pattern struct {
	prefix string
	n      int
	lo, hi int // range of aiIndex values the pattern matches
}

// aiEntry is one AI of the dictionary, with everything precomputed for the
// hot path.
type aiEntry struct {
	ai      string
	idx     int  // aiIndex(ai)
	fixed   bool // "*" flag: predefined length, no FNC1 separator needed
	dlAttr  bool // "?" flag: permitted as a Digital Link data attribute
	unknown bool // vivified unknown AI (Parser.PermitUnknownAIs)
	parts   []component
	minLen  int
	maxLen  int
	dlpkey  bool
	chains  [][]string    // dlpkey qualifier chains, e.g. [[22 10 21] [235]]
	ex      []pattern     // ex=: invalid partners
	req     [][][]pattern // req=: each attribute is a list of alternatives, each a list of AIs that must all be present
	title   string
}

// table is the loaded dictionary.
type table struct {
	entries     []*aiEntry
	byIndex     [11100]*aiEntry // see aiIndex
	lenByPrefix [100]uint8      // AI length of all AIs starting with two digits
	qualifier   [11100]bool     // AI is a key qualifier of some primary key
}

var (
	tableOnce sync.Once
	theTable  *table
)

// getTable returns the dictionary, loading it on first use. The embedded
// file is part of the build and tested, so a parse failure is a bug: it
// panics with the line at fault.
func getTable() *table {
	tableOnce.Do(func() {
		t, err := parseDictionary(syntaxDictionary)
		if err != nil {
			panic("gs1: embedded syntax dictionary: " + err.Error())
		}
		theTable = t
	})
	return theTable
}

// aiIndex maps a 2-, 3- or 4-digit AI to a unique slot: 0-99, 100-1099,
// 1100-11099. It returns -1 for anything else.
func aiIndex(ai string) int {
	n := 0
	if len(ai) < 2 || len(ai) > 4 {
		return -1
	}
	for i := 0; i < len(ai); i++ {
		c := ai[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	switch len(ai) {
	case 3:
		n += 100
	case 4:
		n += 1100
	}
	return n
}

// lookupAI returns the dictionary entry of ai, or nil when ai is unknown.
func lookupAI(ai string) *aiEntry {
	i := aiIndex(ai)
	if i < 0 {
		return nil
	}
	return getTable().byIndex[i]
}

// AIInfo describes one AI of the syntax dictionary.
type AIInfo struct {
	AI            string   // the AI, "01"
	Title         string   // the data title, "GTIN"
	Format        string   // the format as written in the dictionary, "N14,csum,gcppos2"
	FixedLength   bool     // predefined length: no FNC1 separator follows it
	DataAttribute bool     // permitted as a Digital Link data attribute (query parameter)
	PrimaryKey    bool     // a Digital Link primary key
	Qualifiers    []string // alternative qualifier chains of a primary key, "22,10,21" and "235"
}

// LookupAI returns what the syntax dictionary says of ai. It fails with rule
// "unknown-ai" when the dictionary has no such AI.
func LookupAI(ai string) (AIInfo, error) {
	e := lookupAI(ai)
	if e == nil {
		return AIInfo{}, errf(ai, RuleUnknownAI, "unknown AI")
	}
	info := AIInfo{AI: e.ai, Title: e.title, FixedLength: e.fixed, DataAttribute: e.dlAttr, PrimaryKey: e.dlpkey}
	var f []string
	for _, p := range e.parts {
		s := ""
		switch p.cs {
		case csN:
			s = "N"
		case csX:
			s = "X"
		case csY:
			s = "Y"
		case csZ:
			s = "Z"
		}
		if p.min == p.max {
			s += strconv.Itoa(p.max)
		} else {
			s += ".." + strconv.Itoa(p.max)
		}
		if p.opt {
			s = "[" + s + "]"
		}
		for _, n := range p.names {
			s += "," + n
		}
		f = append(f, s)
	}
	info.Format = strings.Join(f, " ")
	for _, c := range e.chains {
		info.Qualifiers = append(info.Qualifiers, strings.Join(c, ","))
	}
	return info, nil
}

const flagChars = `*!?"$%&'()+,-./:;<=>@[\]^_` + "`{|}~"

// parseDictionary parses the syntax dictionary following the format that
// its comment header documents:
//
//	AIs  [Flags]  Specification  [Attributes...]  [# Title]
func parseDictionary(src string) (*table, error) {
	t := &table{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		title := ""
		if i := strings.IndexByte(line, '#'); i >= 0 {
			title = strings.TrimSpace(line[i+1:])
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		es, err := parseEntry(f, title)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		for _, e := range es {
			i := aiIndex(e.ai)
			if i < 0 || t.byIndex[i] != nil {
				return nil, fmt.Errorf("line %d: bad or repeated AI %q", n+1, e.ai)
			}
			t.byIndex[i] = e
			t.entries = append(t.entries, e)
			p := (e.ai[0]-'0')*10 + e.ai[1] - '0'
			if l := t.lenByPrefix[p]; l != 0 && int(l) != len(e.ai) {
				return nil, fmt.Errorf("line %d: AIs starting %s have different lengths", n+1, e.ai[:2])
			}
			t.lenByPrefix[p] = uint8(len(e.ai))
		}
	}
	for _, e := range t.entries {
		for _, c := range e.chains {
			for _, q := range c {
				i := aiIndex(q)
				if i < 0 || t.byIndex[i] == nil {
					return nil, fmt.Errorf("AI %s: qualifier %q is not in the dictionary", e.ai, q)
				}
				t.qualifier[i] = true
			}
		}
	}
	return t, nil
}

// parseEntry parses the fields of one dictionary line into one entry per
// AI of its range.
func parseEntry(f []string, title string) ([]*aiEntry, error) {
	proto := &aiEntry{title: title}
	i := 1
	if i < len(f) && strings.Trim(f[i], flagChars) == "" {
		proto.fixed = strings.Contains(f[i], "*")
		proto.dlAttr = strings.Contains(f[i], "?")
		i++
	}
	for ; i < len(f) && isComponent(f[i]); i++ {
		c, err := parseComponent(f[i])
		if err != nil {
			return nil, err
		}
		proto.parts = append(proto.parts, c)
		proto.maxLen += c.max
		if !c.opt {
			proto.minLen += c.min
		}
	}
	if len(proto.parts) == 0 {
		return nil, fmt.Errorf("AI %s has no format", f[0])
	}
	for ; i < len(f); i++ {
		k, v, _ := strings.Cut(f[i], "=")
		switch k {
		case "dlpkey":
			proto.dlpkey = true
			if v != "" {
				for _, alt := range strings.Split(v, "|") {
					proto.chains = append(proto.chains, strings.Split(alt, ","))
				}
			}
		case "ex":
			for _, p := range strings.Split(v, ",") {
				proto.ex = append(proto.ex, parsePattern(p))
			}
		case "req":
			var alts [][]pattern
			for _, alt := range strings.Split(v, ",") {
				var all []pattern
				for _, p := range strings.Split(alt, "+") {
					all = append(all, parsePattern(p))
				}
				alts = append(alts, all)
			}
			proto.req = append(proto.req, alts)
		default:
			// Unknown attributes are ignored, as the format allows new ones.
		}
	}
	lo, hi, isRange := strings.Cut(f[0], "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || len(lo) != len(hi) || a > b {
		return nil, fmt.Errorf("bad AI or AI range %q", f[0])
	}
	var out []*aiEntry
	for n := a; n <= b; n++ {
		e := *proto
		e.ai = fmt.Sprintf("%0*d", len(lo), n)
		e.idx = aiIndex(e.ai)
		out = append(out, &e)
	}
	return out, nil
}

func isComponent(s string) bool {
	s = strings.TrimPrefix(s, "[")
	return s != "" && strings.IndexByte("NXYZ", s[0]) >= 0
}

// parseComponent parses "N13,csum,gcppos1", "[X..17]" or "[N3],iso3166".
func parseComponent(s string) (component, error) {
	var c component
	typ, rest, _ := strings.Cut(s, ",")
	if strings.HasPrefix(typ, "[") {
		if !strings.HasSuffix(typ, "]") {
			return c, fmt.Errorf("bad optional component %q", s)
		}
		c.opt = true
		typ = typ[1 : len(typ)-1]
	}
	switch typ[0] {
	case 'N':
		c.cs = csN
	case 'X':
		c.cs = csX
	case 'Y':
		c.cs = csY
	case 'Z':
		c.cs = csZ
	}
	l := typ[1:]
	if strings.HasPrefix(l, "..") {
		n, err := strconv.Atoi(l[2:])
		if err != nil || n < 1 {
			return c, fmt.Errorf("bad length in component %q", s)
		}
		c.min, c.max = 1, n
	} else {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return c, fmt.Errorf("bad length in component %q", s)
		}
		c.min, c.max = n, n
	}
	if rest != "" {
		for _, name := range strings.Split(rest, ",") {
			c.names = append(c.names, name)
			if fn := linters[name]; fn != nil {
				c.linters = append(c.linters, namedLinter{fn, name})
			}
		}
	}
	return c, nil
}

func parsePattern(s string) pattern {
	p := strings.TrimRight(s, "n")
	pad := strings.Repeat("0", len(s)-len(p))
	return pattern{prefix: p, n: len(s), lo: aiIndex(p + pad), hi: aiIndex(p + strings.ReplaceAll(pad, "0", "9"))}
}
