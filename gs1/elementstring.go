package gs1

import "strings"

// Parser holds the options of Digital Link and element string parsing. The
// zero Parser applies the defaults of the GS1 Barcode Syntax Engine; the
// package-level functions use it.
type Parser struct {
	// PermitZeroSuppressedGTIN accepts a GTIN-8, GTIN-12 or GTIN-13 as the
	// value of AI 01 in a Digital Link (path or query) and pads it to 14
	// digits. Off by default, as in the engine.
	PermitZeroSuppressedGTIN bool
	// PermitConvenienceAlphas accepts the deprecated path names /gtin/,
	// /ser/, /sscc/, ... in place of numeric AIs.
	PermitConvenienceAlphas bool
	// PermitUnknownAIs accepts AIs the dictionary lacks, when their length
	// fits their two-digit prefix. Their value is 1 to 90 characters of set
	// 82 (or the prefix's predefined length).
	PermitUnknownAIs bool
	// UnknownAIsAsAttributes lets unknown AIs be Digital Link data
	// attributes. Without it an unknown AI in the query is refused with
	// rule "not-attribute" even when PermitUnknownAIs is set.
	UnknownAIsAsAttributes bool
	// SkipRequisites skips the dictionary's req= rules (mandatory
	// associations), for data that is only part of what an item carries.
	// The ex= rules are always applied.
	SkipRequisites bool
}

// entry returns the dictionary entry for ai, vivifying unknown AIs when
// permitted, or nil.
func (p *Parser) entry(ai string) *aiEntry {
	if e := lookupAI(ai); e != nil {
		return e
	}
	if p.PermitUnknownAIs {
		return unknownEntry(ai)
	}
	return nil
}

// ParseElementString parses GS1 element data with the default Parser. See
// Parser.ParseElementString.
func ParseElementString(s string) ([]AIValue, error) {
	var p Parser
	return p.ParseElementString(s)
}

// ParseElementString parses GS1 element data in bracketed form,
// "(01)09506000134352(21)ABC" (a literal "(" in a value is written "\("),
// or in FNC1 form, "^010950600013435221ABC^17261231", where "^" stands for
// FNC1 and "|" may separate the components of a composite symbol. Every
// value is checked against the syntax dictionary, AIs repeated with
// different values are refused (identical repeats are kept), and the
// dictionary's ex= and req= rules are applied. It fails with rule "syntax",
// "unknown-ai", "too-many-ais", "repeated-ai", "exclusive", "requisite" or
// any rule of ValidateAI.
func (p *Parser) ParseElementString(s string) ([]AIValue, error) {
	var ais []AIValue
	var ents []*aiEntry
	var err error
	switch {
	case strings.HasPrefix(s, "("):
		ais, ents, err = p.parseBracketed(s)
	case strings.HasPrefix(s, "^"):
		ais, ents, err = p.parseFNC1(s)
	default:
		return nil, errf("", RuleSyntax, "element string must start with \"(\" or \"^\"")
	}
	if err != nil {
		return nil, err
	}
	if err := checkRepeats(ais); err != nil {
		return nil, err
	}
	if err := checkAssociations(ents, p.SkipRequisites); err != nil {
		return nil, err
	}
	return ais, nil
}

func (p *Parser) parseBracketed(s string) ([]AIValue, []*aiEntry, error) {
	var ais []AIValue
	var ents []*aiEntry
	for len(s) > 0 {
		if s[0] != '(' {
			return nil, nil, errf("", RuleSyntax, "expected \"(\" at %q", s)
		}
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return nil, nil, errf("", RuleSyntax, "unterminated AI in %q", s)
		}
		ai := s[1:end]
		e := p.entry(ai)
		if e == nil {
			return nil, nil, errf(ai, RuleUnknownAI, "unknown AI")
		}
		s = s[end+1:]
		var v string
		v, s = cutBracketedValue(s)
		if err := validateValue(e, ai, v); err != nil {
			return nil, nil, err
		}
		if len(ais) == MaxAIs {
			return nil, nil, errf("", RuleTooMany, "more than %d AIs", MaxAIs)
		}
		ais = append(ais, AIValue{AI: ai, Value: v})
		ents = append(ents, e)
	}
	return ais, ents, nil
}

// cutBracketedValue returns the value at the start of s, up to the next
// "(" that is not written "\(", unescaping "\(", and the rest of s.
func cutBracketedValue(s string) (string, string) {
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return s, ""
	}
	if i == 0 || s[i-1] != '\\' {
		return s[:i], s[i:]
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			b.WriteString(s)
			return b.String(), ""
		}
		if i == 0 || s[i-1] != '\\' {
			b.WriteString(s[:i])
			return b.String(), s[i:]
		}
		b.WriteString(s[:i-1])
		b.WriteByte('(')
		s = s[i+1:]
	}
}

func (p *Parser) parseFNC1(s string) ([]AIValue, []*aiEntry, error) {
	var ais []AIValue
	var ents []*aiEntry
	t := getTable()
	for part := range strings.SplitSeq(s, "|") {
		if !strings.HasPrefix(part, "^") || len(part) == 1 {
			return nil, nil, errf("", RuleSyntax, "component %q must start with FNC1 (\"^\") and hold AI data", part)
		}
		d := part[1:]
		for len(d) > 0 {
			if len(d) < 2 || !isN[d[0]] || !isN[d[1]] {
				return nil, nil, errf("", RuleSyntax, "no AI at %q", d)
			}
			n := int(t.lenByPrefix[(d[0]-'0')*10+d[1]-'0'])
			if n == 0 || len(d) < n {
				return nil, nil, errf(d[:min(4, len(d))], RuleUnknownAI, "no known AI is a prefix of %q", d)
			}
			ai := d[:n]
			e := p.entry(ai)
			if e == nil {
				return nil, nil, errf(ai, RuleUnknownAI, "unknown AI")
			}
			d = d[n:]
			end := strings.IndexByte(d, '^')
			if end < 0 {
				end = len(d)
			}
			if e.fixed && end > e.maxLen {
				end = e.maxLen
			}
			v := d[:end]
			if err := validateValue(e, ai, v); err != nil {
				return nil, nil, err
			}
			d = d[end:]
			if len(d) > 0 && d[0] == '^' {
				d = d[1:]
			}
			if len(ais) == MaxAIs {
				return nil, nil, errf("", RuleTooMany, "more than %d AIs", MaxAIs)
			}
			ais = append(ais, AIValue{AI: ai, Value: v})
			ents = append(ents, e)
		}
	}
	return ais, ents, nil
}

// checkRepeats refuses an AI given twice with different values.
func checkRepeats(ais []AIValue) error {
	for i := range ais {
		for j := 0; j < i; j++ {
			if ais[j].AI == ais[i].AI && ais[j].Value != ais[i].Value {
				return errf(ais[i].AI, RuleRepeatedAI, "appears twice with different values")
			}
		}
	}
	return nil
}

// ElementString returns the bracketed element string of ais,
// "(01)09506000134352(21)ABC", writing a "(" inside a value as "\(". It
// does not check the values and never fails.
func ElementString(ais []AIValue) string {
	var b strings.Builder
	for _, a := range ais {
		b.WriteByte('(')
		b.WriteString(a.AI)
		b.WriteByte(')')
		b.WriteString(strings.ReplaceAll(a.Value, "(", `\(`))
	}
	return b.String()
}

// FNC1String returns ais in FNC1 notation, "^010950600013435221ABC^17261231":
// a leading "^" (FNC1 in first position) and a "^" separator after every
// AI of variable length that another AI follows. Unknown AIs count as
// variable length. It does not check the values and never fails.
func FNC1String(ais []AIValue) string {
	var b strings.Builder
	b.WriteByte('^')
	for i, a := range ais {
		b.WriteString(a.AI)
		b.WriteString(a.Value)
		if i < len(ais)-1 {
			e := lookupAI(a.AI)
			if e == nil {
				e = unknownEntry(a.AI)
			}
			if e == nil || !e.fixed {
				b.WriteByte('^')
			}
		}
	}
	return b.String()
}
