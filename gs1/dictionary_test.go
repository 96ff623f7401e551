package gs1

import (
	"strings"
	"testing"
)

func TestDictionaryLoads(t *testing.T) {
	tb := getTable()
	lines := 0
	for line := range strings.SplitSeq(syntaxDictionary, "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			lines++
		}
	}
	if lines != 224 {
		t.Errorf("dictionary has %d entry lines, want 224", lines)
	}
	if len(tb.entries) < lines {
		t.Errorf("table has %d AIs from %d lines, want at least one per line", len(tb.entries), lines)
	}
}

func TestLookupAI(t *testing.T) {
	tests := []struct {
		ai, title, format string
		fixed, attr, pk   bool
		quals             string
	}{
		{"01", "GTIN", "N14,csum,gcppos2", true, true, true, "22,10,21|235"},
		{"10", "BATCH/LOT", "X..20", false, true, false, ""},
		{"21", "SERIAL", "X..20", false, false, false, ""},
		{"3103", "NET WEIGHT (kg)", "N6", true, true, false, ""},
		{"253", "GDTI", "N13,csum,gcppos1 [X..17]", false, true, true, ""},
		{"414", "LOC No.", "N13,csum,gcppos1", true, true, true, "254|7040"},
		{"8010", "CPID", "Y..30,gcppos1", false, true, true, "8011"},
		{"8030", "DIGSIG", "Z..90", false, true, false, ""},
		{"99", "INTERNAL", "X..90", false, true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.ai, func(t *testing.T) {
			got, err := LookupAI(tt.ai)
			if err != nil {
				t.Fatalf("LookupAI(%q) error %v", tt.ai, err)
			}
			if got.Title != tt.title || got.Format != tt.format || got.FixedLength != tt.fixed ||
				got.DataAttribute != tt.attr || got.PrimaryKey != tt.pk || strings.Join(got.Qualifiers, "|") != tt.quals {
				t.Errorf("LookupAI(%q) = %+v, want %q %q fixed=%v attr=%v pk=%v quals=%q", tt.ai, got, tt.title, tt.format, tt.fixed, tt.attr, tt.pk, tt.quals)
			}
		})
	}
	for _, ai := range []string{"89", "3106", "0", "12345", "ab"} {
		if _, err := LookupAI(ai); ruleOf(err) != RuleUnknownAI {
			t.Errorf("LookupAI(%q) = %v, want rule unknown-ai", ai, err)
		}
	}
}

// TestValidateAI covers the rules of each format component and linter.
func TestValidateAI(t *testing.T) {
	tests := []struct {
		ai, v, rule string
	}{
		{"17", "261231", ""},
		{"17", "261200", ""},             // yymmd0: day 00 allowed
		{"7006", "261200", RuleDate},     // yymmdd: day 00 not allowed
		{"17", "261301", RuleDate},       // month 13
		{"17", "260230", RuleDate},       // 30 February
		{"17", "240229", ""},             // leap year
		{"17", "230229", RuleDate},       // not a leap year
		{"17", "2612", RuleLength},       // N6
		{"17", "26123A", RuleCharset},    // digits only
		{"7003", "2612312359", ""},       // date and hhmi
		{"7003", "2612312460", RuleDate}, // hour 24
		{"7250", "20000229", ""},         // yyyymmdd, 2000 is a leap year
		{"7250", "19000229", RuleDate},   // 1900 is not
		{"8008", "26123123", ""},         // optional minutes and seconds left out
		{"8008", "2612312361", RuleDate},
		{"10", "ABC-123/x", ""},
		{"10", "ABC 123", RuleCharset}, // space is not in set 82
		{"10", strings.Repeat("A", 21), RuleLength},
		{"10", "", RuleLength},
		{"8010", "0200-AB#/", ""},         // set 39
		{"8010", "0200ab", RuleCharset},   // no lower case in set 39
		{"8030", "Zm9vYmFy_-==", ""},      // set 64 with padding
		{"8030", "Zm9v+mFy", RuleCharset}, // '+' is not base64url
		{"8011", "123", ""},
		{"8011", "0123", RuleContent}, // nozeroprefix
		{"8014", "1987654Ad4X4bL5ttr2310c2K", ""},
		{"8007", "GB82WEST12345698765432", ""},
		{"8007", "GB83WEST12345698765432", RuleCheckDigit},
		{"4321", "1", ""},
		{"4321", "2", RuleContent},       // yesno
		{"4330", "001234-", ""},          // optional hyphen
		{"4330", "001234+", RuleContent}, // hyphen only
		{"4309", "18000000003600000000", ""},
		{"4309", "18000000013600000000", RuleContent}, // latitude out of range
		{"7258", "1/2", ""},
		{"7258", "3/2", RuleContent},
		{"8001", "12345678901201", ""},
		{"8001", "00005678901201", RuleContent}, // nonzero width
		{"8001", "12345678901251", RuleContent}, // winding 5
		{"4300", "ACME%20Ltd", ""},
		{"4300", "ACME%2", RuleContent}, // pcenc
		{"00", "006141411234567890", ""},
		{"00", "006141411234567891", RuleCheckDigit},
		{"89", "X", RuleUnknownAI},
		{"8004", "061ABC", RuleCompanyPrefix}, // gcppos1
		{"8010", "02A", RuleCompanyPrefix},
		{"401", "0614ABC", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ai+"/"+tt.v, func(t *testing.T) {
			err := ValidateAI(tt.ai, tt.v)
			if ruleOf(err) != tt.rule {
				t.Errorf("ValidateAI(%q, %q) = %v, want rule %q", tt.ai, tt.v, err, tt.rule)
			}
			if err != nil && !strings.Contains(err.Error(), "AI ("+tt.ai+")") {
				t.Errorf("ValidateAI(%q, %q).Error() = %q, want it to name the AI", tt.ai, tt.v, err)
			}
		})
	}
}

func TestUnimplementedLinters(t *testing.T) {
	got := UnimplementedLinters()
	for _, n := range got {
		if n == "csum" || n == "yymmd0" {
			t.Errorf("UnimplementedLinters() lists %q, which is implemented", n)
		}
	}
	for _, n := range got {
		switch n {
		case "packagetype", "couponcode": // see UnimplementedLinters
		default:
			t.Errorf("UnimplementedLinters() lists %q: every code-list linter must be applied", n)
		}
	}
	t.Logf("linters named by the dictionary but not applied: %v", got)
}
