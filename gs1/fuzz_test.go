package gs1

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedVectors adds the given column of a vector file to the fuzz corpus,
// when the shared vectors are there.
func seedVectors(f *testing.F, file string, cols ...string) {
	b, err := os.ReadFile(filepath.Join(vectorDir, file))
	if err != nil {
		return
	}
	var header []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if header == nil {
			header = fields
			continue
		}
		for i, h := range header {
			if i < len(fields) && slices.Contains(cols, h) && fields[i] != "" {
				f.Add(fields[i])
			}
		}
	}
}

var fuzzParsers = []Parser{
	{},
	{PermitZeroSuppressedGTIN: true, PermitConvenienceAlphas: true, PermitUnknownAIs: true, UnknownAIsAsAttributes: true, SkipRequisites: true},
}

// sortedAIs returns ais without repeats, sorted, for order-free comparison.
func sortedAIs(ais []AIValue) []AIValue {
	out := slices.Clone(ais)
	slices.SortFunc(out, func(a, b AIValue) int {
		if c := strings.Compare(a.AI, b.AI); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return slices.Compact(out)
}

// FuzzParseDigitalLink checks that nothing panics and that parse -> URI ->
// parse is stable: the same key, qualifiers and attribute set, and the
// second URI equals the first.
func FuzzParseDigitalLink(f *testing.F) {
	seedVectors(f, "parse-vectors.tsv", "uri")
	seedVectors(f, "generate-vectors.tsv", "uri")
	f.Add(benchURI)
	f.Add("https://id.gs1.org/01/09506000134352/21/ABC?17=261231&linkType=gs1:pip")
	f.Fuzz(func(t *testing.T, uri string) {
		for _, p := range fuzzParsers {
			d, err := p.ParseDigitalLink(uri)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("ParseDigitalLink(%q) error %T, want *Error", uri, err)
				}
				continue
			}
			u1 := d.String()
			d2, err := p.ParseDigitalLink(u1)
			if err != nil {
				t.Fatalf("%+v: ParseDigitalLink(%q) ok, but its URI %q fails: %v", p, uri, u1, err)
			}
			if d2.PrimaryKey != d.PrimaryKey || !slices.Equal(d2.Qualifiers, d.Qualifiers) ||
				!slices.Equal(sortedAIs(d2.Attributes), sortedAIs(d.Attributes)) || d2.Stem != d.Stem {
				t.Fatalf("%+v: ParseDigitalLink(%q) = %s, its URI %q parses to %s", p, uri, d.ElementString(), u1, d2.ElementString())
			}
			if u2 := d2.String(); u2 != u1 {
				t.Fatalf("%+v: URI of %q is %q, then %q", p, uri, u1, u2)
			}
			if _, err := d.MarshalJSON(); err != nil {
				t.Fatalf("MarshalJSON(%q) error %v", uri, err)
			}
		}
	})
}

// FuzzParseElementString checks that nothing panics, that bracketed and
// FNC1 forms parse back to the same AIs, and that a URI built from the AIs
// parses back to the same AI set.
func FuzzParseElementString(f *testing.F) {
	seedVectors(f, "generate-vectors.tsv", "input")
	seedVectors(f, "parse-vectors.tsv", "element_string")
	f.Add("(01)09506000134352(21)ABC(17)261231")
	f.Add("(01)09506000134352(10)A\\(B(3103)000195(99)x")
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range fuzzParsers {
			ais, err := p.ParseElementString(s)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("ParseElementString(%q) error %T, want *Error", s, err)
				}
				continue
			}
			forms := []string{ElementString(ais)}
			if !hasUnsizedAI(ais) {
				forms = append(forms, FNC1String(ais))
			}
			for _, form := range forms {
				again, err := p.ParseElementString(form)
				if err != nil || !slices.Equal(again, ais) {
					t.Fatalf("%+v: ParseElementString(%q) = %v, but %q gives %v, %v", p, s, ais, form, again, err)
				}
			}
			uri, err := p.BuildURI(DefaultStem, ais)
			if err != nil {
				continue
			}
			d, err := p.ParseDigitalLink(uri)
			if err != nil {
				t.Fatalf("%+v: BuildURI(%q) = %q, which fails to parse: %v", p, s, uri, err)
			}
			if !slices.Equal(sortedAIs(d.AIs()), sortedAIs(ais)) {
				t.Fatalf("%+v: BuildURI(%q) = %q, which parses to %s", p, s, uri, d.ElementString())
			}
			if again, err := p.BuildURI(DefaultStem, d.AIs()); err != nil || again != uri {
				t.Fatalf("%+v: BuildURI(%q) = %q, then %q, %v", p, s, uri, again, err)
			}
		}
	})
}

// hasUnsizedAI reports whether ais holds an unknown AI whose length its
// prefix does not fix: FNC1 data cannot say where such an AI ends.
func hasUnsizedAI(ais []AIValue) bool {
	for _, a := range ais {
		if lookupAI(a.AI) == nil && getTable().lenByPrefix[(a.AI[0]-'0')*10+a.AI[1]-'0'] == 0 {
			return true
		}
	}
	return false
}
