package credit

import (
	"strings"
	"testing"

	"tracegate"
)

func TestDefaultRules(t *testing.T) {
	r := DefaultRules()
	if r.Dishonest() != 4 || r.Sampling(1) != 0.01 || r.Sampling(2) != 0.05 || r.Sampling(3) != 0.30 || r.Sampling(4) != 1 {
		t.Fatalf("default rules = %+v; want the seeds' four levels, sampling 1/5/30/100 %%", r)
	}
	for _, c := range []struct {
		score float64
		want  int
	}{{0, 1}, {4.99, 1}, {5, 2}, {14.99, 2}, {15, 3}, {39.99, 3}, {40, 4}, {1e9, 4}} {
		if got := r.Level(c.score); got != c.want {
			t.Errorf("Level(%g) = %d, want %d", c.score, got, c.want)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	def := string(DefaultRulesJSON)
	for _, c := range []struct {
		name, in, wantPtr string
	}{
		{"does not parse", strings.Replace(def, `"horizonDays": 1095,`, `"horizonDays": 1095`, 1), "line 4"},
		{"wrong type", strings.Replace(def, `"halfLifeDays": 365`, `"halfLifeDays": "a year"`, 1), "line 2"},
		{"unknown field", strings.Replace(def, `"halfLifeDays"`, `"halfLife"`, 1), "line 2"},
		{"gap between levels", strings.Replace(def, `"from": 15, "to": 40`, `"from": 16, "to": 40`, 1), "line 15: /levels/2/from"},
		{"overlap", strings.Replace(def, `"from": 40,`, `"from": 30,`, 1), "line 16: /levels/3/from"},
		{"first does not start at 0", strings.Replace(def, `"from": 0,`, `"from": 1,`, 1), "line 13: /levels/0/from"},
		{"last closed", strings.Replace(def, `"from": 40,`, `"from": 40, "to": 100,`, 1), "line 16: /levels/3/to"},
		{"middle open", strings.Replace(def, `"from": 5, "to": 15,`, `"from": 5,`, 1), "line 14: /levels/1"},
		{"numbering", strings.Replace(def, `{"level": 3,`, `{"level": 5,`, 1), "line 15: /levels/2/level"},
		{"unknown kind", strings.Replace(def, `"label_copy": 4`, `"lab_failure": 4`, 1), "line 9: /points/lab_failure"},
		{"sampling above 1", strings.Replace(def, `"sampling": 0.30`, `"sampling": 30`, 1), "line 15: /levels/2/sampling"},
		{"negative points", strings.Replace(def, `"goods_hold": 10`, `"goods_hold": -10`, 1), "line 8: /points/goods_hold"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.in == def {
				t.Fatal("the test's replacement did not apply")
			}
			_, err := ParseRules([]byte(c.in))
			var e *tracegate.Error
			if !tracegate.IsCode(err, tracegate.EINVALID) || !asError(err, &e) || !strings.HasPrefix(e.Pointer, c.wantPtr) {
				t.Fatalf("ParseRules() = %v, want invalid at %q", err, c.wantPtr)
			}
		})
	}
}

func asError(err error, e **tracegate.Error) bool {
	x, ok := err.(*tracegate.Error)
	*e = x
	return ok
}

// TestParseRulesThreeLevels: the scheme is configuration (customs decrees
// have used three, four and five grades).
func TestParseRulesThreeLevels(t *testing.T) {
	r, err := ParseRules([]byte(`{"halfLifeDays": 180, "horizonDays": 720, "points": {"goods_hold": 10},
		"levels": [{"level": 1, "from": 0, "to": 10, "sampling": 0.02}, {"level": 2, "from": 10, "to": 30, "sampling": 0.2},
		{"level": 3, "from": 30, "sampling": 1}], "recognition": {"raise": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Dishonest() != 3 || r.Level(29) != 2 || r.CheckLevel("/level", 4) == nil {
		t.Fatalf("three-level rules = %+v", r)
	}
}
