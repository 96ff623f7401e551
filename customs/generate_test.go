package customs

import (
	"reflect"
	"testing"
	"time"
)

var testDay = time.Date(2026, 11, 23, 0, 0, 0, 0, chinaTime)

// demoDeps returns the demo tables as screening dependencies.
func demoDeps(t testing.TB) ScreeningDeps {
	t.Helper()
	deps, err := DemoTables().Deps()
	if err != nil {
		t.Fatalf("DemoTables().Deps(): %v", err)
	}
	return deps
}

func TestGenerateDayValid(t *testing.T) {
	rates := map[string]float64{}
	for _, f := range generatorFaults {
		rates[f] = 1.0 / float64(len(generatorFaults)+1)
	}
	decls := GenerateDayWith(7, 48, testDay, rates)
	if len(decls) != 48 {
		t.Fatalf("got %d declarations, want 48", len(decls))
	}
	for i, d := range decls {
		for _, m := range []Message{d.Order, d.Payment, d.Waybill, d.Inventory} {
			if err := Validate(m, Version202205); err != nil {
				t.Fatalf("declaration %d (%s): %s does not validate: %v", i, d.Fault, m.MessageType(), err)
			}
		}
	}
	again := GenerateDayWith(7, 48, testDay, rates)
	if !reflect.DeepEqual(decls, again) {
		t.Error("GenerateDayWith is not reproducible from its seed")
	}
	if GenerateDay(1, 0, testDay) != nil {
		t.Error("GenerateDay(n = 0) is not nil")
	}
}

// TestGenerateDayScreens checks that every generated declaration screens as
// its fault says: clean ones pass, each fault fails its rule.
func TestGenerateDayScreens(t *testing.T) {
	deps := demoDeps(t)
	rates := map[string]float64{}
	for _, f := range generatorFaults {
		rates[f] = 1.0 / float64(len(generatorFaults)+1)
	}
	decls := GenerateDayWith(11, 120, testDay, rates)
	seen := map[string]int{}
	for i, d := range decls {
		seen[d.Fault]++
		dec := Screen(d.ScreeningInput(), deps)
		if d.Fault == "" {
			if dec.Status != OutcomePass || dec.Tax.Total <= 0 {
				t.Errorf("clean declaration %d: %+v, want pass with tax", i, dec)
			}
			continue
		}
		want := OutcomeRefuse
		if d.Fault == RuleBarcodeRisk || d.Fault == RuleCredit {
			want = OutcomeReview
		}
		var rules []string
		for _, r := range dec.Reasons {
			if r.Outcome != OutcomePass {
				rules = append(rules, r.Rule)
			}
		}
		if dec.Status != want || len(rules) == 0 || rules[0] != d.Fault {
			t.Errorf("declaration %d with fault %s: status %s, rules %v; want %s by %s only", i, d.Fault, dec.Status, rules, want, d.Fault)
		}
		for _, r := range rules {
			if r != d.Fault {
				t.Errorf("declaration %d with fault %s also fails %s: %+v", i, d.Fault, r, dec.Reasons)
			}
		}
	}
	for _, f := range append(generatorFaults, "") {
		if seen[f] == 0 {
			t.Errorf("no declaration with fault %q among %d", f, len(decls))
		}
	}
}

func BenchmarkGenerateDay(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		GenerateDay(1, 1000, testDay)
	}
}
