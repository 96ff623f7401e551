package main

import (
	"strings"
	"testing"
)

func TestDigitalLinkCommands(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string // exact, when set
		stderrHas string
		stdoutHas string
	}{
		{"parse (the issue's example)", []string{"dl", "parse", "https://id.gs1.org/01/09506000134352/21/ABC?17=261231&linkType=gs1:pip"}, 0,
			`{"primaryKey":{"ai":"01","value":"09506000134352"},"qualifiers":[{"ai":"21","value":"ABC"}],"attributes":[{"ai":"17","value":"261231"}],"elementString":"(01)09506000134352(21)ABC(17)261231","otherParams":{"linkType":"gs1:pip"}}` + "\n", "", ""},
		{"parse bad check digit", []string{"dl", "parse", "https://id.gs1.org/01/09506000134353"}, 1, "", "invalid: gs1: AI (01): check digit", ""},
		{"parse qualifier out of order", []string{"dl", "parse", "https://example.com/01/09506000134352/21/A/10/B"}, 1, "", "invalid: ", ""},
		{"parse bad date", []string{"dl", "parse", "https://id.gs1.org/01/09506000134352?17=261340"}, 1, "", "(17)", ""},
		{"parse zero-suppressed when allowed", []string{"dl", "parse", "--zero-suppressed", "https://id.gs1.org/01/9506000134352"}, 0, "", "", `"value":"09506000134352"`},
		{"build", []string{"dl", "build", "--host", "https://id.example.com", "(01)09506000134352(21)ABC(17)261231"}, 0,
			"https://id.example.com/01/09506000134352/21/ABC?17=261231\n", "", ""},
		{"build bad element string", []string{"dl", "build", "(01)123"}, 1, "", "invalid: ", ""},
		{"check GTIN-13", []string{"gs1", "check", "9506000134352"}, 0, "", "", "valid GTIN (01)09506000134352"},
		{"check SSCC", []string{"gs1", "check", "(00)106141411234567897"}, 0, "", "", "valid SSCC"},
		{"check bad", []string{"gs1", "check", "9506000134353"}, 1, "", "check digit", ""},
		{"parse without URI", []string{"dl", "parse"}, 2, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, nil, tt.args...)
			if code != tt.code || (tt.stdout != "" && out != tt.stdout) || !strings.Contains(errOut, tt.stderrHas) || !strings.Contains(out, tt.stdoutHas) {
				t.Fatalf("%v = %d stdout %q stderr %q; want %d, stdout %q / containing %q, stderr containing %q",
					tt.args, code, out, errOut, tt.code, tt.stdout, tt.stdoutHas, tt.stderrHas)
			}
			if tt.code == 1 && (out != "" || strings.Count(errOut, "\n") != 1) {
				t.Fatalf("%v: a refusal prints one line on stderr and nothing on stdout; got %q %q", tt.args, out, errOut)
			}
		})
	}
}
