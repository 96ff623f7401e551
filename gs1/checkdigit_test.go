package gs1

import (
	"errors"
	"testing"
)

// ruleOf returns the Rule of a *Error, or "" for nil and "not *Error" for
// any other error.
func ruleOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "not *Error"
	}
	return e.Rule
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		payload string
		want    byte
		rule    string
	}{
		{"400638133393", '1', ""},      // GTIN-13
		{"03600029145", '2', ""},       // GTIN-12
		{"9638507", '4', ""},           // GTIN-8
		{"0950600013435", '2', ""},     // GTIN-14
		{"00614141123456789", '0', ""}, // SSCC
		{"952012345678", '8', ""},      // GLN
		{"12345678901234567", '5', ""}, // GSRN
		{"1234567890123456", '0', ""},  // GSIN
		{"", 0, RuleSyntax},
		{"12a4", 0, RuleCharset},
	}
	for _, tt := range tests {
		t.Run(tt.payload, func(t *testing.T) {
			got, err := CheckDigit(tt.payload)
			if ruleOf(err) != tt.rule || got != tt.want {
				t.Errorf("CheckDigit(%q) = %q, %v, want %q, rule %q", tt.payload, got, err, tt.want, tt.rule)
			}
		})
	}
}

func TestNormalizeGTIN(t *testing.T) {
	tests := []struct {
		in, want, rule string
	}{
		{"96385074", "00000096385074", ""},
		{"036000291452", "00036000291452", ""},
		{"4006381333931", "04006381333931", ""},
		{"09506000134352", "09506000134352", ""},
		{"09506000134353", "", RuleCheckDigit},
		{"4006381333932", "", RuleCheckDigit},
		{"123456789", "", RuleLength},
		{"", "", RuleLength},
		{"0950600013435X", "", RuleCharset},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeGTIN(tt.in)
			if got != tt.want || ruleOf(err) != tt.rule {
				t.Errorf("NormalizeGTIN(%q) = %q, %v, want %q, rule %q", tt.in, got, err, tt.want, tt.rule)
			}
		})
	}
}

// TestCheckKey covers a good and a bad check digit for every key type.
func TestCheckKey(t *testing.T) {
	tests := []struct {
		in       string
		typ, val string
		rule     string
	}{
		{"4006381333931", "GTIN", "04006381333931", ""},
		{"(01)09506000134352", "GTIN", "09506000134352", ""},
		{"(01)09506000134353", "", "", RuleCheckDigit},
		{"(02)036000291452", "GTIN", "00036000291452", ""},
		{"(00)006141411234567890", "SSCC", "006141411234567890", ""},
		{"(00)006141411234567891", "", "", RuleCheckDigit},
		{"(414)9520123456788", "GLN", "9520123456788", ""},
		{"(414)9520123456789", "", "", RuleCheckDigit},
		{"(417)9520123456788", "GLN", "9520123456788", ""},
		{"(8018)123456789012345675", "GSRN", "123456789012345675", ""},
		{"(8017)123456789012345670", "", "", RuleCheckDigit},
		{"(253)1231231231232ABC", "GDTI", "1231231231232ABC", ""},
		{"(253)1231231231233ABC", "", "", RuleCheckDigit},
		{"(8003)00614141123452400", "GRAI", "00614141123452400", ""},
		{"(8003)00614141123453400", "", "", RuleCheckDigit},
		{"(8003)10614141123452400", "", "", RuleContent}, // first digit must be 0
		{"(8004)061414112345400", "GIAI", "061414112345400", ""},
		{"(8004)0614141 12345", "", "", RuleCharset},
		{"(402)12345678901234560", "GSIN", "12345678901234560", ""},
		{"(402)12345678901234561", "", "", RuleCheckDigit},
		{"(255)06141411234525678", "GCN", "06141411234525678", ""},
		{"(255)06141411234535678", "", "", RuleCheckDigit},
		{"(8006)095060001343520102", "ITIP", "095060001343520102", ""},
		{"(8006)095060001343520302", "", "", RuleContent}, // piece 03 of 02
		{"(8013)1987654Ad4X4bL5ttr2310c2K", "GMN", "1987654Ad4X4bL5ttr2310c2K", ""},
		{"(8013)1987654Ad4X4bL5ttr2310c2L", "", "", RuleCheckDigit},
		{"(8010)0200", "CPID", "0200", ""},
		{"(401)0614141ABC", "GINC", "0614141ABC", ""},
		{"(10)ABC", "", "", RuleNotPrimaryKey},
		{"(89)ABC", "", "", RuleUnknownAI},
		{"01)123", "", "", RuleLength},
		{"(01", "", "", RuleSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CheckKey(tt.in)
			if ruleOf(err) != tt.rule || got.Type != tt.typ || got.Value != tt.val {
				t.Errorf("CheckKey(%q) = %+v, %v, want %s %s, rule %q", tt.in, got, err, tt.typ, tt.val, tt.rule)
			}
		})
	}
}

func TestVerifyCheckDigit(t *testing.T) {
	for _, tt := range []struct{ in, rule string }{
		{"9520123456788", ""}, {"9520123456787", RuleCheckDigit}, {"7", RuleLength}, {"12x", RuleCharset},
	} {
		if err := VerifyCheckDigit(tt.in); ruleOf(err) != tt.rule {
			t.Errorf("VerifyCheckDigit(%q) = %v, want rule %q", tt.in, err, tt.rule)
		}
	}
}

func TestCheckCharacters(t *testing.T) {
	for _, tt := range []struct{ in, want, rule string }{
		{"1987654Ad4X4bL5ttr2310c", "2K", ""},
		{"12345678901234567890123", "NT", ""},
		{"ABC def", "", RuleCharset},
		{"", "", RuleLength},
	} {
		got, err := CheckCharacters(tt.in)
		if got != tt.want || ruleOf(err) != tt.rule {
			t.Errorf("CheckCharacters(%q) = %q, %v, want %q, rule %q", tt.in, got, err, tt.want, tt.rule)
		}
	}
}
