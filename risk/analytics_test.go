package risk

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMedianBySelection(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 7 {
		v := make([]int64, n)
		for i := range v {
			v[i] = r.Int64N(50)
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		want := float64(sorted[n/2])
		if n%2 == 0 {
			want = (float64(sorted[n/2-1]) + float64(sorted[n/2])) / 2
		}
		if got := median(v); got != want {
			t.Errorf("median(%d values) = %v, want %v", n, got, want)
		}
	}
}

func TestSpecHashFolds(t *testing.T) {
	if SpecHash("50ml/瓶") != SpecHash("50 ML／瓶") {
		t.Error(`SpecHash("50ml/瓶") != SpecHash("50 ML／瓶")`)
	}
	if SpecHash("50ml/瓶") == SpecHash("100ml/瓶") {
		t.Error(`SpecHash("50ml/瓶") == SpecHash("100ml/瓶")`)
	}
}

func TestMemberCountries(t *testing.T) {
	for mo, want := range map[string]string{"GS1 Japan": "JP", "GS1 New Zealand": "NZ", "GS1 UK": "GB", "GS1 Global Office": "", "GS1 Australia": "AU"} {
		got := memberCountries(mo)
		if want == "" && got != nil || want != "" && !slices.Contains(got, want) {
			t.Errorf("memberCountries(%q) = %v, want %q", mo, got, want)
		}
	}
}

// TestAnalyserFindings: one GTIN's lines give the findings of each kind,
// naming the declarations involved.
func TestAnalyserFindings(t *testing.T) {
	const g = 4901234567894 // GS1 Japan
	var lines []Line
	for i := int64(1); i <= 20; i++ {
		lines = append(lines, Line{GTIN: g, DeclarationID: i, HS: 3304990099, Price: 10000, Total: 10000, Spec: 1, Unit: 7, Origin: 116, Declarant: 1, DeclaredAt: 1e9 + i})
	}
	lines[3].HS = 3304100000                  // another HS code
	lines[5].Price, lines[5].Total = 900, 900 // under-declared
	lines[7].Spec = 2                         // another spec
	lines[9].Declarant = 2                    // not the filer
	lines[11].Origin = 142                    // China, not Japan
	var got []Finding
	a := newAnalyser(AnalyticsConfig{}, map[string][]Filing{GTINString(g): {{OwnerID: 1, HS: "3304990099"}}}, nil, func(f Finding) { got = append(got, f) })
	for i := range lines {
		a.add(&lines[i])
	}
	a.flush()
	want := map[FindingKind]int64{FindingSameGTINHS: 4, FindingSameGTINPrice: 6, FindingSameGTINSpec: 8, FindingFiledByOther: 10, FindingPrefixOrigin: 12}
	for _, f := range got {
		id, ok := want[f.Kind]
		if !ok {
			t.Errorf("unexpected finding %s: %s", f.Kind, f.Detail)
			continue
		}
		if len(f.Declarations) != 1 || f.Declarations[0].DeclarationID != id {
			t.Errorf("%s lists %+v, want declaration %d alone", f.Kind, f.Declarations, id)
		}
		delete(want, f.Kind)
	}
	for k := range want {
		t.Errorf("no %s finding", k)
	}
}
