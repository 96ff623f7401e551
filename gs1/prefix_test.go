package gs1

import "testing"

func TestIssuingOrganisation(t *testing.T) {
	tests := []struct {
		ai, v, want, rule string
	}{
		{"01", "06901234567892", "GS1 China", ""},
		{"01", "6901234567892", "GS1 China", ""}, // GTIN-13
		{"01", "14891234567895", "GS1 Hong Kong, China", ""},
		{"01", "4711234567899", "GS1 Chinese Taipei", ""},
		{"01", "4006381333931", "GS1 Germany", ""},
		{"01", "036000291452", "GS1 US", ""}, // GTIN-12
		{"01", "80614141123458", "GS1 US", ""},
		{"00", "106141411234567897", "GS1 US", ""},
		{"414", "9520123456788", "Used for demonstrations and examples of the GS1 system", ""},
		{"8003", "00614141123452400", "GS1 US", ""},
		{"01", "1400000000007", "", RuleCompanyPrefix}, // 140 is not allocated
		{"01", "96385074", "", RuleNotPrimaryKey},      // GTIN-8
		{"01", "00000096385074", "", RuleNotPrimaryKey},
		{"10", "ABC", "", RuleNotPrimaryKey},
		{"89", "1", "", RuleUnknownAI},
		{"01", "06901234567893", "", RuleCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.ai+"/"+tt.v, func(t *testing.T) {
			got, err := IssuingOrganisation(tt.ai, tt.v)
			if got != tt.want || ruleOf(err) != tt.rule {
				t.Errorf("IssuingOrganisation(%q, %q) = %q, %v, want %q, rule %q", tt.ai, tt.v, got, err, tt.want, tt.rule)
			}
		})
	}
}

func TestPrefixTableLoads(t *testing.T) {
	if n := len(loadPrefixes()); n != 149 {
		t.Errorf("gs1-prefixes.tsv has %d ranges, want 149", n)
	}
}
