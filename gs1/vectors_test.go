package gs1

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// vectorDir holds the GS1 Digital Link vectors (testdata/SOURCES.md says
// where they came from).
const vectorDir = "../testdata/digital-link/"

// readTSV reads a vector file: '#' lines are comments, the first other line
// is the header. Each row is returned as a map from column name to field.
func readTSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatalf("open vectors: %v", err)
	}
	defer f.Close()
	var header []string
	var rows []map[string]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if header == nil {
			header = fields
			continue
		}
		row := map[string]string{}
		for i, h := range header {
			if i < len(fields) {
				row[h] = fields[i]
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows", name)
	}
	return rows
}

// parserFor maps the engine options named in a vector's flags column to a
// Parser. Unknown flags fail the test.
func parserFor(t *testing.T, flags string) Parser {
	t.Helper()
	var p Parser
	for f := range strings.SplitSeq(flags, ",") {
		switch f {
		case "":
		case "permit_zero_suppressed_gtin":
			p.PermitZeroSuppressedGTIN = true
		case "permit_convenience_alphas":
			p.PermitConvenienceAlphas = true
		case "permit_unknown_ais":
			p.PermitUnknownAIs = true
		case "no_validate_unknown_ai_not_dl_attr":
			p.UnknownAIsAsAttributes = true
		default:
			t.Fatalf("unknown flag %q", f)
		}
	}
	return p
}

func TestParseVectors(t *testing.T) {
	rows := readTSV(t, "parse-vectors.tsv")
	passed := 0
	for _, r := range rows {
		t.Run(r["src_line"], func(t *testing.T) {
			p := parserFor(t, r["flags"])
			d, err := p.ParseDigitalLink(r["uri"])
			if r["expect"] == "fail" {
				if err == nil {
					t.Fatalf("ParseDigitalLink(%q) [%s] = %s, want error (%s)", r["uri"], r["flags"], d.ElementString(), r["note"])
				}
				passed++
				return
			}
			if err != nil {
				t.Fatalf("ParseDigitalLink(%q) [%s] error %v, want %s", r["uri"], r["flags"], err, r["element_string"])
			}
			if got := FNC1String(d.AIs()); got != r["element_string"] {
				t.Fatalf("ParseDigitalLink(%q) = %s, want %s", r["uri"], got, r["element_string"])
			}
			passed++
		})
	}
	t.Logf("parse-vectors.tsv: %d of %d rows pass", passed, len(rows))
}

func TestGenerateVectors(t *testing.T) {
	rows := readTSV(t, "generate-vectors.tsv")
	passed := 0
	for _, r := range rows {
		t.Run(r["src_line"], func(t *testing.T) {
			p := parserFor(t, r["flags"])
			stem := r["stem"]
			if stem == "NULL" {
				stem = DefaultStem
			}
			in := r["input"]
			var got string
			var err error
			if strings.HasPrefix(in, "http") {
				var d *DigitalLink
				if d, err = p.ParseDigitalLink(in); err == nil {
					got = d.URI(stem)
				}
			} else {
				var ais []AIValue
				if ais, err = p.ParseElementString(in); err == nil {
					got, err = p.BuildURI(stem, ais)
				}
			}
			if r["expect"] == "fail" {
				if err == nil {
					t.Fatalf("BuildURI(%q, %q) = %s, want error (%s)", stem, in, got, r["note"])
				}
				passed++
				return
			}
			if err != nil || got != r["uri"] {
				t.Fatalf("BuildURI(%q, %q) = %q, %v, want %q", stem, in, got, err, r["uri"])
			}
			passed++
		})
	}
	t.Logf("generate-vectors.tsv: %d of %d rows pass", passed, len(rows))
}

// cUnescape decodes the \xNN and \\ notation of uri-percent-vectors.tsv.
func cUnescape(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '\\' {
			b.WriteByte('\\')
			i++
			continue
		}
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			n, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				t.Fatalf("bad escape in %q", s)
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestPercentVectors(t *testing.T) {
	rows := readTSV(t, "uri-percent-vectors.tsv")
	for _, r := range rows {
		t.Run(r["op"]+"/"+r["src_line"], func(t *testing.T) {
			in := cUnescape(t, r["input"])
			for _, query := range []bool{false, true} {
				want := cUnescape(t, r["path_form"])
				if query {
					want = cUnescape(t, r["query_form"])
				}
				var got string
				if r["op"] == "escape" {
					got = Escape(in, query)
				} else {
					var err error
					if got, err = Unescape(in, query); err != nil {
						t.Fatalf("Unescape(%q, %v) error %v", in, query, err)
					}
				}
				if got != want {
					t.Errorf("%s(%q, query=%v) = %q, want %q", r["op"], in, query, got, want)
				}
			}
		})
	}
	if _, err := Unescape("A%00B", false); err == nil {
		t.Errorf("Unescape(%q) = nil error, want rule syntax", "A%00B")
	}
	t.Logf("uri-percent-vectors.tsv: %d rows", len(rows))
}

func TestKeyQualifierVectors(t *testing.T) {
	rows := readTSV(t, "dl-key-qualifiers.tsv")
	for _, r := range rows {
		t.Run(strings.ReplaceAll(r["sequence"], " ", "_"), func(t *testing.T) {
			key := lookupAI(r["key"])
			if key == nil || !key.dlpkey {
				t.Fatalf("key %s is not a primary key in the dictionary", r["key"])
			}
			var quals []AIValue
			for q := range strings.FieldsSeq(r["qualifiers"]) {
				quals = append(quals, AIValue{AI: q})
			}
			if err := checkPathSequence(key, quals); err != nil {
				t.Errorf("checkPathSequence(%s) = %v, want nil", r["sequence"], err)
			}
		})
	}
	t.Logf("dl-key-qualifiers.tsv: %d rows", len(rows))
}

func TestPrimaryKeysFromDictionary(t *testing.T) {
	rows := readTSV(t, "dl-pkeys-from-dictionary.tsv")
	want := map[string]bool{}
	for _, r := range rows {
		want[r["ai"]] = true
		info, err := LookupAI(r["ai"])
		if err != nil {
			t.Fatalf("LookupAI(%q) error %v", r["ai"], err)
		}
		if !info.PrimaryKey {
			t.Errorf("LookupAI(%q).PrimaryKey = false, want true", r["ai"])
		}
		if got := strings.Join(info.Qualifiers, "|"); got != r["qualifiers"] {
			t.Errorf("LookupAI(%q).Qualifiers = %q, want %q", r["ai"], got, r["qualifiers"])
		}
		flags := ""
		if info.FixedLength {
			flags += "*"
		}
		if info.DataAttribute {
			flags += "?"
		}
		if flags != r["flags"] {
			t.Errorf("LookupAI(%q) flags = %q, want %q", r["ai"], flags, r["flags"])
		}
	}
	for _, e := range getTable().entries {
		if e.dlpkey && !want[e.ai] {
			t.Errorf("AI %s is a primary key in the dictionary but not in the vectors", e.ai)
		}
	}
	t.Logf("dl-pkeys-from-dictionary.tsv: %d rows", len(rows))
}
