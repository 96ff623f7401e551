package gs1

// AIValue is one Application Identifier with its value, "(01)09506000134352"
// being {AI: "01", Value: "09506000134352"}.
type AIValue struct {
	AI    string `json:"ai"`
	Value string `json:"value"`
}

// String returns the bracketed element string of v, "(01)09506000134352".
// It does not check v and never fails.
func (v AIValue) String() string { return "(" + v.AI + ")" + v.Value }

var isN, isX, isY, isZ = charTable("0123456789"), charTable(cset82),
	charTable("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
	charTable("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")

func charTable(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

// ValidateAI checks value against the syntax dictionary's rules for ai:
// length, character set of each component, check digit, dates and the other
// linters (see UnimplementedLinters). It fails with rule "unknown-ai",
// "length", "charset", "check-digit", "date" or "content".
func ValidateAI(ai, value string) error {
	e := lookupAI(ai)
	if e == nil {
		return errf(ai, RuleUnknownAI, "unknown AI")
	}
	return validateValue(e, ai, value)
}

func validateValue(e *aiEntry, ai, v string) error {
	if len(v) < e.minLen {
		if len(v) == 0 {
			return errf(ai, RuleLength, "value is empty")
		}
		return errf(ai, RuleLength, "value %q is too short: %d characters, want at least %d", v, len(v), e.minLen)
	}
	if len(v) > e.maxLen {
		return errf(ai, RuleLength, "value %q is too long: %d characters, want at most %d", v, len(v), e.maxLen)
	}
	p := 0
	for k := range e.parts {
		c := &e.parts[k]
		n := len(v) - p
		if n > c.max {
			n = c.max
		}
		if c.opt && n == 0 {
			continue
		}
		if n < c.min {
			return errf(ai, RuleLength, "value %q is too short", v)
		}
		comp := v[p : p+n]
		var tab *[256]bool
		var name string
		switch c.cs {
		case csN:
			tab, name = &isN, "digits"
		case csX:
			tab, name = &isX, "GS1 character set 82"
		case csY:
			tab, name = &isY, "GS1 character set 39"
		default:
			tab, name = &isZ, "GS1 character set 64"
		}
		for i := 0; i < len(comp); i++ {
			if !tab[comp[i]] {
				if c.cs == csZ && comp[i] == '=' && padOnly(comp[i:]) {
					break
				}
				return errf(ai, RuleCharset, "character %q at position %d is not in %s", comp[i], p+i+1, name)
			}
		}
		for _, l := range c.linters {
			if rule, msg := l.fn(comp); rule != "" {
				err := errf(ai, rule, "%s (linter %s)", msg, l.name)
				err.Linter = l.name
				return err
			}
		}
		p += n
	}
	return nil
}

// padOnly reports whether s is base64 padding: one or two '=' at the end.
func padOnly(s string) bool {
	if len(s) > 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}

// fixedPrefixLengths gives the predefined value length of AIs by their first
// two digits (GS1 General Specifications, figure 7.8.5-2); 0 = variable. It
// is used only for unknown AIs, whose entry the dictionary cannot give.
var fixedPrefixLengths = map[byte]int{0: 18, 1: 14, 2: 14, 3: 14, 4: 16,
	11: 6, 12: 6, 13: 6, 14: 6, 15: 6, 16: 6, 17: 6, 18: 6, 19: 6, 20: 2,
	31: 6, 32: 6, 33: 6, 34: 6, 35: 6, 36: 6, 41: 13}

// unknownEntry returns an entry for an AI the dictionary lacks, when its
// length agrees with the known AIs of the same two-digit prefix and it does
// not clash with a known AI. Its value is up to 90 characters of set 82, or
// the predefined length of its prefix.
func unknownEntry(ai string) *aiEntry {
	t := getTable()
	if aiIndex(ai) < 0 {
		return nil
	}
	p := (ai[0]-'0')*10 + ai[1] - '0'
	if l := t.lenByPrefix[p]; l != 0 && int(l) != len(ai) {
		return nil
	}
	for n := 2; n < len(ai); n++ { // a known AI must not be a prefix of it
		if lookupAI(ai[:n]) != nil {
			return nil
		}
	}
	e := &aiEntry{ai: ai, idx: aiIndex(ai), unknown: true, title: "UNKNOWN"}
	c := component{cs: csX, min: 1, max: 90}
	if n := fixedPrefixLengths[p]; n != 0 {
		c.min, c.max = n, n
		e.fixed = true
	}
	e.parts = []component{c}
	e.minLen, e.maxLen = c.min, c.max
	return e
}

// checkAssociations applies the dictionary's ex= and req= rules to a set of
// AIs (repeats allowed) given by their entries. An AI is never exclusive of
// itself, even when it matches a pattern. With noReq the req= rules are
// skipped.
func checkAssociations(entries []*aiEntry, noReq bool) error {
	for _, e := range entries {
		for _, p := range e.ex {
			for _, o := range entries {
				if o.idx != e.idx && o.idx >= p.lo && o.idx <= p.hi {
					return errf(e.ai, RuleExclusive, "may not appear with AI (%s)", o.ai)
				}
			}
		}
		if noReq {
			continue
		}
	alts:
		for _, alts := range e.req {
			for _, all := range alts {
				if hasAll(entries, all, e.idx) {
					continue alts
				}
			}
			return errf(e.ai, RuleRequisite, "requires %s", describeReq(alts))
		}
	}
	return nil
}

func hasAll(entries []*aiEntry, all []pattern, self int) bool {
	for _, p := range all {
		found := false
		for _, o := range entries {
			if o.idx != self && o.idx >= p.lo && o.idx <= p.hi {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func describeReq(alts [][]pattern) string {
	s := ""
	for i, all := range alts {
		if i > 0 {
			s += " or "
		}
		for j, p := range all {
			if j > 0 {
				s += "+"
			}
			s += "(" + p.prefix
			for k := len(p.prefix); k < p.n; k++ {
				s += "n"
			}
			s += ")"
		}
	}
	return s
}
