package gs1

import "testing"

func TestParseElementString(t *testing.T) {
	tests := []struct {
		in, bracketed, fnc1, rule string
	}{
		{"(01)09506000134352(21)ABC(17)261231", "(01)09506000134352(21)ABC(17)261231", "^010950600013435221ABC^17261231", ""},
		{"^010950600013435221ABC^17261231", "(01)09506000134352(21)ABC(17)261231", "^010950600013435221ABC^17261231", ""},
		{"^0109506000134352^17261231", "(01)09506000134352(17)261231", "^010950600013435217261231", ""}, // FNC1 after a fixed AI is allowed
		{"(01)09506000134352(10)A\\(B)(99)x", "(01)09506000134352(10)A\\(B)(99)x", "^010950600013435210A(B)^99x", ""},
		{"^99ABC|^0112312312312333^10DEF", "(99)ABC(01)12312312312333(10)DEF", "^99ABC^011231231231233310DEF", ""},
		{"(01)09506000134352(3103)000195(10)L1", "(01)09506000134352(3103)000195(10)L1", "^0109506000134352310300019510L1", ""},
		{"(01)09506000134352(17)261231(17)261231", "(01)09506000134352(17)261231(17)261231", "^01095060001343521726123117261231", ""},
		{"", "", "", RuleSyntax},
		{"01)09506000134352", "", "", RuleSyntax},
		{"(01", "", "", RuleSyntax},
		{"(01)", "", "", RuleLength},
		{"(01)09506000134353", "", "", RuleCheckDigit},
		{"(0109506000134352", "", "", RuleSyntax},
		{"(89)X", "", "", RuleUnknownAI},
		{"^89X", "", "", RuleUnknownAI},
		{"^", "", "", RuleSyntax},
		{"^01095060001343", "", "", RuleLength},
		{"(01)09506000134352(17)261231(17)261230", "", "", RuleRepeatedAI},
		{"(01)09506000134352(02)09506000134352(37)1", "", "", RuleExclusive},
		{"(10)ABC", "", "", RuleRequisite},
		{"(8030)Zm9v(00)006141411234567890", "(8030)Zm9v(00)006141411234567890", "^8030Zm9v^00006141411234567890", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseElementString(tt.in)
			if ruleOf(err) != tt.rule {
				t.Fatalf("ParseElementString(%q) = %v, %v, want rule %q", tt.in, got, err, tt.rule)
			}
			if err != nil {
				return
			}
			if b := ElementString(got); b != tt.bracketed {
				t.Errorf("ElementString(ParseElementString(%q)) = %q, want %q", tt.in, b, tt.bracketed)
			}
			if f := FNC1String(got); f != tt.fnc1 {
				t.Errorf("FNC1String(ParseElementString(%q)) = %q, want %q", tt.in, f, tt.fnc1)
			}
		})
	}
	p := Parser{SkipRequisites: true}
	if got, err := p.ParseElementString("(10)ABC"); err != nil || ElementString(got) != "(10)ABC" {
		t.Errorf("Parser{SkipRequisites}.ParseElementString(%q) = %v, %v, want (10)ABC", "(10)ABC", got, err)
	}
}
