package customs

import (
	"strings"
	"testing"
)

func TestAmountOf(t *testing.T) {
	for _, c := range []struct {
		s, unit string
		want    Money
		ok      bool
	}{
		{"50ml/瓶", "ml", 5000, true},
		{"1.5 ml", "ml", 150, true},
		{"2 x 30ml", "ml", 3000, true},
		{"500mlx", "ml", 0, false},
		{"50g", "ml", 0, false},
		{"ml", "ml", 0, false},
		{"30g/盒 50ml", "ml", 5000, true},
	} {
		got, ok := amountOf(c.s, c.unit)
		if got != c.want || ok != c.ok {
			t.Errorf("amountOf(%q, %q) = %v, %v; want %v, %v", c.s, c.unit, got, ok, c.want, c.ok)
		}
	}
}

func TestGTIN14(t *testing.T) {
	for in, want := range map[string]string{"4901234560017": "04901234560017", " 12345670 ": "00000012345670",
		"09421902960031": "09421902960031", "2345123": "", "49012345600A9": "", "4901234560019": "", "12345678": ""} {
		if got := gtin14(in); got != want {
			t.Errorf("gtin14(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRiskCSV(t *testing.T) {
	tags, n, err := parseRiskCSV(strings.NewReader("gtin,tag,severity,note\n4901234560017,misclassified,warning,三个税号\n4901234560017,underpriced,notice,\n"), "gtin")
	if err != nil || n != 2 || len(tags["04901234560017"]) != 2 || tags["04901234560017"][0].Severity != SeverityWarning {
		t.Fatalf("parseRiskCSV() = %v, %d, %v", tags, n, err)
	}
	for _, bad := range []string{"", "gtin,tag\n1,2\n", "gtin,tag,severity,note\n49012345600A9,x,notice,\n",
		"gtin,tag,severity,note\n4901234560017,x,severe,\n", "gtin,tag,severity,note\n4901234560017,,notice,\n", "gtin,tag,severity,note\n", "gtin,tag,severity,note\n4901234560019,x,notice,\n", "gtin,tag,severity,note\n12,x,notice,\n"} {
		if _, _, err := parseRiskCSV(strings.NewReader(bad), "gtin"); err == nil {
			t.Errorf("parseRiskCSV(%q) = nil error", bad)
		}
	}
}
