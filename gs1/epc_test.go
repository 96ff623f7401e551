package gs1

import "testing"

// Examples from the EPC Tag Data Standard (TDS 2.x, sections 6.3 and 7).
var epcCases = []struct {
	urn, elem, dl string
}{
	{"urn:epc:id:sgtin:0614141.812345.6789", "(01)80614141123458(21)6789", "https://id.gs1.org/01/80614141123458/21/6789"},
	{"urn:epc:id:sgtin:0614141.812345.400", "(01)80614141123458(21)400", "https://id.gs1.org/01/80614141123458/21/400"},
	{"urn:epc:id:sgtin:0614141.812345.a%2Fb%25", "(01)80614141123458(21)a/b%", "https://id.gs1.org/01/80614141123458/21/a%2Fb%25"},
	{"urn:epc:id:sscc:0614141.1234567890", "(00)106141412345678908", "https://id.gs1.org/00/106141412345678908"},
	{"urn:epc:id:sgln:0614141.12345.400", "(414)0614141123452(254)400", "https://id.gs1.org/414/0614141123452/254/400"},
	{"urn:epc:id:sgln:0614141.12345.0", "(414)0614141123452", "https://id.gs1.org/414/0614141123452"},
	{"urn:epc:id:grai:0614141.12345.400", "(8003)00614141123452400", "https://id.gs1.org/8003/00614141123452400"},
	{"urn:epc:id:giai:0614141.12345400", "(8004)061414112345400", "https://id.gs1.org/8004/061414112345400"},
	{"urn:epc:idpat:sgtin:0614141.812345.*", "(01)80614141123458", "https://id.gs1.org/01/80614141123458"},
	{"urn:epc:class:lgtin:0614141.812345.998877", "(01)80614141123458(10)998877", "https://id.gs1.org/01/80614141123458/10/998877"},
}

func TestEPCRoundTrip(t *testing.T) {
	gcp := FixedPrefixLength(7)
	for _, tt := range epcCases {
		t.Run(tt.urn, func(t *testing.T) {
			ais, err := ParseEPCURN(tt.urn)
			if err != nil || ElementString(ais) != tt.elem {
				t.Fatalf("ParseEPCURN(%q) = %s, %v, want %s", tt.urn, ElementString(ais), err, tt.elem)
			}
			if got, err := EPCURN(ais, gcp); got != tt.urn || err != nil {
				t.Errorf("EPCURN(%s) = %q, %v, want %q", tt.elem, got, err, tt.urn)
			}
			dl, err := EPCToDigitalLink(tt.urn, "")
			if dl != tt.dl || err != nil {
				t.Errorf("EPCToDigitalLink(%q) = %q, %v, want %q", tt.urn, dl, err, tt.dl)
			}
			if got, err := DigitalLinkToEPC(tt.dl, gcp); got != tt.urn || err != nil {
				t.Errorf("DigitalLinkToEPC(%q) = %q, %v, want %q", tt.dl, got, err, tt.urn)
			}
		})
	}
	if dl, _ := EPCToDigitalLink(epcCases[0].urn, "https://brand.example/"); dl != "https://brand.example/01/80614141123458/21/6789" {
		t.Errorf("EPCToDigitalLink with stem = %q", dl)
	}
}

func TestEPCErrors(t *testing.T) {
	sgtin := []AIValue{{"01", "80614141123458"}, {"21", "6789"}}
	lookup := func(d string) int {
		if d[:7] == "0614141" {
			return 7
		}
		return 0
	}
	tests := []struct {
		name string
		ais  []AIValue
		gcp  PrefixLengthFunc
		want string
		rule string
	}{
		{"lookup", sgtin, lookup, "urn:epc:id:sgtin:0614141.812345.6789", ""},
		{"nil lookup", sgtin, nil, "", RuleCompanyPrefix},
		{"unknown prefix", []AIValue{{"01", "09506000134352"}}, lookup, "", RuleCompanyPrefix},
		{"too long prefix", sgtin, FixedPrefixLength(13), "", RuleCompanyPrefix},
		{"too short prefix", sgtin, FixedPrefixLength(5), "", RuleCompanyPrefix},
		{"no key", []AIValue{{"99", "x"}}, lookup, "", RuleNotPrimaryKey},
		{"unserialised grai", []AIValue{{"8003", "00614141123452"}}, lookup, "", RuleNotPrimaryKey},
		{"giai prefix not digits", []AIValue{{"8004", "0614ABC12345400"}}, lookup, "", RuleCompanyPrefix},
		{"giai without asset reference", []AIValue{{"8004", "0614141"}}, lookup, "", RuleCompanyPrefix},
		{"bad check digit", []AIValue{{"01", "80614141123459"}}, lookup, "", RuleCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EPCURN(tt.ais, tt.gcp)
			if got != tt.want || ruleOf(err) != tt.rule {
				t.Errorf("EPCURN(%s) = %q, %v, want %q, rule %q", ElementString(tt.ais), got, err, tt.want, tt.rule)
			}
		})
	}
	for _, tt := range []struct{ urn, rule string }{
		{"urn:epc:id:sgtin:0614141.812345", RuleSyntax},
		{"urn:epc:id:sgtin:06141.8123456.1", RuleCompanyPrefix},
		{"urn:epc:id:sgtin:0614141.81234.1", RuleSyntax},
		{"urn:epc:id:sgtin:0614141.812345.", RuleSyntax},
		{"urn:epc:id:sgtin:0614141.812345.a%20b", RuleCharset},
		{"urn:epc:idpat:sgtin:0614141.812345.1", RuleSyntax},
		{"urn:epc:id:sgln:0614141.1234X.0", RuleSyntax},
		{"urn:epc:id:grai:0614141.12345.", RuleSyntax},
		{"urn:epc:id:sgtin:0614141.812345." + "123456789012345678901", RuleLength},
		{"urn:epc:id:gdti:0614141.12345.1", RuleSyntax},
		{"https://id.gs1.org/01/80614141123458", RuleSyntax},
	} {
		if got, err := ParseEPCURN(tt.urn); ruleOf(err) != tt.rule {
			t.Errorf("ParseEPCURN(%q) = %v, %v, want rule %q", tt.urn, got, err, tt.rule)
		}
	}
}
