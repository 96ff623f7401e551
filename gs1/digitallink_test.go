package gs1

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseDigitalLinkJSON(t *testing.T) {
	const uri = "https://id.gs1.org/01/09506000134352/21/ABC?17=261231&linkType=gs1:pip"
	const want = `{"primaryKey":{"ai":"01","value":"09506000134352"},"qualifiers":[{"ai":"21","value":"ABC"}],"attributes":[{"ai":"17","value":"261231"}],"elementString":"(01)09506000134352(21)ABC(17)261231","otherParams":{"linkType":"gs1:pip"}}`
	d, err := ParseDigitalLink(uri)
	if err != nil {
		t.Fatalf("ParseDigitalLink(%q) error %v", uri, err)
	}
	got, err := json.Marshal(d)
	if err != nil || string(got) != want {
		t.Fatalf("json.Marshal(ParseDigitalLink(%q)) = %s, %v, want %s", uri, got, err, want)
	}
	var back DigitalLink
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s) error %v", got, err)
	}
	if again, _ := json.Marshal(back); string(again) != want {
		t.Errorf("JSON round trip = %s, want %s", again, want)
	}
	empty, _ := ParseDigitalLink("https://id.gs1.org/414/9520123456788")
	const wantEmpty = `{"primaryKey":{"ai":"414","value":"9520123456788"},"qualifiers":[],"attributes":[],"elementString":"(414)9520123456788","otherParams":{}}`
	if got, _ := json.Marshal(empty); string(got) != wantEmpty {
		t.Errorf("json.Marshal(no qualifiers) = %s, want %s", got, wantEmpty)
	}
}

func TestParseDigitalLink(t *testing.T) {
	tests := []struct {
		uri, stem, elem, params string
	}{
		{"https://id.gs1.org/01/09506000134352/21/ABC?17=261231&linkType=gs1:pip", "https://id.gs1.org", "(01)09506000134352(21)ABC(17)261231", "linkType=gs1:pip"},
		{"http://example.com/shop/products/01/09506000134352/10/L%2F1?3103=000195", "http://example.com/shop/products", "(01)09506000134352(10)L/1(3103)000195", ""},
		{"HTTPS://EXAMPLE.COM/414/9520123456788/254/A+B", "HTTPS://EXAMPLE.COM", "(414)9520123456788(254)A+B", ""},
		{"https://a/00/006141411234567890?02=09520123456788&37=25&x=a+b&flag", "https://a", "(00)006141411234567890(02)09520123456788(37)25", "x=a b&flag="},
		{"https://a/8004/0614141ABC/7040/1A2B", "https://a", "(8004)0614141ABC(7040)1A2B", ""},
		{"https://a/8010/0200/8011/12", "https://a", "(8010)0200(8011)12", ""},
		{"https://a/01/09506000134352/235/TPX1?10=L1", "https://a", "(01)09506000134352(235)TPX1(10)L1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			d, err := ParseDigitalLink(tt.uri)
			if err != nil {
				t.Fatalf("ParseDigitalLink(%q) error %v", tt.uri, err)
			}
			var ps []string
			for _, p := range d.OtherParams {
				ps = append(ps, p.Name+"="+p.Value)
			}
			if d.Stem != tt.stem || d.ElementString() != tt.elem || strings.Join(ps, "&") != tt.params {
				t.Errorf("ParseDigitalLink(%q) = stem %q, %s, params %q, want %q, %s, %q", tt.uri, d.Stem, d.ElementString(), strings.Join(ps, "&"), tt.stem, tt.elem, tt.params)
			}
		})
	}
}

// TestParseDigitalLinkRejects has one or more cases for each rule.
func TestParseDigitalLinkRejects(t *testing.T) {
	tests := []struct {
		uri, ai, rule string
	}{
		{"ftp://a/01/09506000134352", "", RuleSyntax},
		{"https://a/01/09506000134352 x", "", RuleSyntax},
		{"https://a/01/09506000134352/21/", "21", RuleSyntax},
		{"https://a/gtin/09506000134352", "", RuleNotPrimaryKey},
		{"https://a/10/ABC", "", RuleNotPrimaryKey},
		{"https://a/01/09506000134353", "01", RuleCheckDigit},
		{"https://a/00/006141411234567891", "00", RuleCheckDigit},
		{"https://a/01/0950600013435", "01", RuleLength},
		{"https://a/01/09506000134352/21/" + strings.Repeat("X", 21), "21", RuleLength},
		{"https://a/01/09506000134352/21/A%20B", "21", RuleCharset},
		{"https://a/01/09506000134352?17=261301", "17", RuleDate},
		{"https://a/01/09506000134352?17=260230", "17", RuleDate},
		{"https://a/01/09506000134352?89=X", "89", RuleUnknownAI},
		{"https://a/01/09506000134352/21/S/10/L", "10", RuleQualifierOrder},
		{"https://a/01/09506000134352/10/L/22/V", "22", RuleQualifierOrder},
		{"https://a/01/09506000134352/22/V/235/T", "235", RuleQualifierOrder},
		{"https://a/01/09506000134352/254/X", "254", RuleQualifierNotAllowed},
		{"https://a/00/006141411234567890/21/S", "21", RuleQualifierNotAllowed},
		{"https://a/01/09506000134352/99/X", "99", RuleQualifierNotAllowed},
		{"https://a/01/09506000134352/21/S?10=L", "10", RuleQualifierInQuery},
		{"https://a/01/09506000134352?21=S", "21", RuleNotAttribute},
		{"https://a/01/09506000134352/10/L?8200=x", "8200", RuleNotAttribute},
		{"https://a/01/09506000134352?17=261231&17=261231", "17", RuleRepeatedAI},
		{"https://a/01/09506000134352?01=09506000134352", "01", RuleRepeatedAI},
		{"https://a/01/09506000134352?02=09506000134352&37=5", "01", RuleExclusive},
		{"https://a/01/09506000134352?3103=000195&3105=000001", "3103", RuleExclusive},
		{"https://a/414/9520123456788?10=L", "10", RuleRequisite},
		{"https://a/01/09506000134352?" + strings.Repeat("99=A&", 64), "", RuleTooMany},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			d, err := ParseDigitalLink(tt.uri)
			if err == nil {
				t.Fatalf("ParseDigitalLink(%q) = %s, want rule %q", tt.uri, d.ElementString(), tt.rule)
			}
			e, ok := err.(*Error)
			if !ok || e.Rule != tt.rule || e.AI != tt.ai {
				t.Fatalf("ParseDigitalLink(%q) error %v, want AI %q rule %q", tt.uri, err, tt.ai, tt.rule)
			}
			if !strings.Contains(err.Error(), tt.rule) || (tt.ai != "" && !strings.Contains(err.Error(), "("+tt.ai+")")) {
				t.Errorf("ParseDigitalLink(%q).Error() = %q, want it to name AI %q and rule %q", tt.uri, err, tt.ai, tt.rule)
			}
		})
	}
}

func TestParserOptions(t *testing.T) {
	tests := []struct {
		p    Parser
		uri  string
		elem string
		rule string
	}{
		{Parser{}, "https://a/01/9506000134352", "", RuleLength},
		{Parser{PermitZeroSuppressedGTIN: true}, "https://a/01/9506000134352", "(01)09506000134352", ""},
		{Parser{PermitConvenienceAlphas: true}, "https://a/gtin/09506000134352/ser/A1", "(01)09506000134352(21)A1", ""},
		{Parser{PermitUnknownAIs: true}, "https://a/01/09506000134352?89=X", "", RuleNotAttribute},
		{Parser{PermitUnknownAIs: true, UnknownAIsAsAttributes: true}, "https://a/01/09506000134352?89=X", "(01)09506000134352(89)X", ""},
		{Parser{PermitUnknownAIs: true, UnknownAIsAsAttributes: true}, "https://a/01/09506000134352?011=X", "", RuleUnknownAI},
		{Parser{SkipRequisites: true}, "https://a/414/9520123456788?10=L", "(414)9520123456788(10)L", ""},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			d, err := tt.p.ParseDigitalLink(tt.uri)
			if ruleOf(err) != tt.rule || (err == nil && d.ElementString() != tt.elem) {
				t.Errorf("%+v.ParseDigitalLink(%q) = %v, %v, want %s, rule %q", tt.p, tt.uri, d, err, tt.elem, tt.rule)
			}
		})
	}
}

func TestBuildURI(t *testing.T) {
	tests := []struct {
		stem, elem, want, rule string
	}{
		{DefaultStem, "(01)09506000134352(21)ABC(17)261231", "https://id.gs1.org/01/09506000134352/21/ABC?17=261231", ""},
		{"https://example.com/x/", "(10)L/1(01)09506000134352(99)a+b(3103)000195", "https://example.com/x/01/09506000134352/10/L%2F1?3103=000195&99=a%2Bb", ""},
		{"", "(8004)0614141ABC", "/8004/0614141ABC", ""},
		{DefaultStem, "(99)261231", "", RuleNotPrimaryKey},
		{DefaultStem, "(01)09506000134352(17)261231(17)261231", "https://id.gs1.org/01/09506000134352?17=261231", ""},
		{DefaultStem, "(01)09506000134352(17)261231(17)261230", "", RuleRepeatedAI},
		{DefaultStem, "(414)9520123456788(10)L", "", RuleRequisite},
		{DefaultStem, "(01)09506000134352(21)ABC(8200)x", "", RuleNotAttribute},
	}
	for _, tt := range tests {
		t.Run(tt.elem, func(t *testing.T) {
			var ais []AIValue
			for part := range strings.SplitSeq(tt.elem[1:], "(") {
				ai, v, _ := strings.Cut(part, ")")
				ais = append(ais, AIValue{AI: ai, Value: v})
			}
			got, err := BuildURI(tt.stem, ais)
			if got != tt.want || ruleOf(err) != tt.rule {
				t.Errorf("BuildURI(%q, %s) = %q, %v, want %q, rule %q", tt.stem, tt.elem, got, err, tt.want, tt.rule)
			}
		})
	}
}

// TestRoundTrip checks parse -> URI -> parse gives the same AIs.
func TestRoundTrip(t *testing.T) {
	for _, uri := range []string{
		"https://id.gs1.org/01/09506000134352/21/ABC?17=261231&3103=000195",
		"https://a/b/c/01/09506000134352/22/V%2B1/10/L%25/21/S%26?99=x%3Dy",
		"https://a/8003/00614141123452400",
		"https://a/253/1231231231232TEST?8030=Zm9v",
	} {
		d, err := ParseDigitalLink(uri)
		if err != nil {
			t.Fatalf("ParseDigitalLink(%q) error %v", uri, err)
		}
		out := d.String()
		d2, err := ParseDigitalLink(out)
		if err != nil || d2.ElementString() != d.ElementString() || d2.Stem != d.Stem {
			t.Errorf("ParseDigitalLink(%q) = %v, %v, want %s", out, d2, err, d.ElementString())
		}
	}
}
