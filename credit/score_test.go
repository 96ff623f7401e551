package credit

import (
	"math"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func days(n float64) time.Time { return now.Add(-time.Duration(n * 24 * float64(time.Hour))) }

// TestEvaluateEachKind: each input scores its points, halved by each
// half-life of age, nothing past the horizon or in the future.
func TestEvaluateEachKind(t *testing.T) {
	r := DefaultRules()
	for _, c := range []struct {
		kind Kind
		age  float64
		want float64
	}{
		{KindCustomsRefused, 0, 2}, {KindReviewRefused, 0, 5}, {KindFilingRejected, 0, 3}, {KindGoodsHold, 0, 10}, {KindLabelCopy, 0, 4},
		{KindGoodsHold, 365, 5}, {KindGoodsHold, 730, 2.5}, {KindGoodsHold, 1095, 1.25}, {KindGoodsHold, 1096, 0}, {KindGoodsHold, -1, 0},
	} {
		g := r.Evaluate(&Record{Facts: []Fact{{Kind: c.kind, At: days(c.age), Ref: "x:1"}}}, now)
		if math.Abs(g.Score-c.want) > 0.005 || g.Entries[0].Points != g.Score {
			t.Errorf("Evaluate(%s aged %g days) = %.2f, want %.2f", c.kind, c.age, g.Score, c.want)
		}
	}
}

func TestEvaluateLevelsAndReasons(t *testing.T) {
	r := DefaultRules()
	facts := []Fact{{KindGoodsHold, now, "hold:1"}, {KindGoodsHold, now, "hold:2"}, {KindGoodsHold, now, "hold:3"},
		{KindReviewRefused, now, "customs-decision:9"}, {KindCustomsRefused, now, "customs-decision:8"}}
	g := r.Evaluate(&Record{Facts: facts}, now)
	if g.Score != 37 || g.Level != 3 || len(g.Kinds) != 3 || g.Kinds[0] != KindGoodsHold {
		t.Fatalf("Evaluate = %+v, want 37, level 3, holds first", g)
	}
	if !strings.Contains(g.Reasons[0], "level 3") || !strings.Contains(strings.Join(g.Reasons, "; "), "goods_hold: 3 entries, 30.00 points") {
		t.Fatalf("reasons = %q", g.Reasons)
	}
	facts = append(facts, Fact{KindFilingRejected, now, "product:4"})
	if g := r.Evaluate(&Record{Facts: facts}, now); g.Level != 4 {
		t.Fatalf("40 points: level %d, want 4 (dishonest)", g.Level)
	}
}

func TestEvaluateAppeal(t *testing.T) {
	r := DefaultRules()
	rec := &Record{Facts: []Fact{{KindGoodsHold, now, "hold:1"}, {KindGoodsHold, now, "hold:2"}},
		Appeals: []Appeal{{Ref: "hold:1", Status: AppealUpheld, FiledAt: days(1)}, {Ref: "hold:2", Status: AppealOpen, FiledAt: days(1)}}}
	g := r.Evaluate(rec, now)
	if g.Score != 10 || g.Level != 2 {
		t.Fatalf("upheld appeal: score %.2f level %d, want 10, level 2 (an open appeal still counts)", g.Score, g.Level)
	}
	for _, e := range g.Entries {
		if e.Appeal == nil {
			t.Fatalf("entry %s has no appeal", e.Ref)
		}
	}
}

func TestEvaluateRecognition(t *testing.T) {
	r := DefaultRules()
	hold := []Fact{{KindGoodsHold, now, "hold:1"}, {KindGoodsHold, now, "hold:2"}} // 20: level 3
	for _, c := range []struct {
		name  string
		facts []Fact
		recs  []Recognition
		want  int
	}{
		{"worse raises", nil, []Recognition{{Agency: "A", Level: 4, At: days(10)}}, 4},
		{"better caps", hold, []Recognition{{Agency: "A", Level: 1, At: days(10)}}, 2},
		{"cap keeps margin", hold, []Recognition{{Agency: "A", Level: 2, At: days(10)}}, 3},
		{"expired", nil, []Recognition{{Agency: "A", Level: 4, At: days(731)}}, 1},
		{"future ignored", nil, []Recognition{{Agency: "A", Level: 4, At: now.Add(time.Hour)}}, 1},
		{"never out of dishonest", append(hold, hold[0], hold[1]), []Recognition{{Agency: "A", Level: 1, At: days(1)}}, 4},
		{"outside scheme ignored", nil, []Recognition{{Agency: "A", Level: 9, At: days(1)}}, 1},
	} {
		g := r.Evaluate(&Record{Facts: c.facts, Recognitions: c.recs}, now)
		if g.Level != c.want {
			t.Errorf("%s: level %d (reasons %q), want %d", c.name, g.Level, g.Reasons, c.want)
		}
	}
	noRaise := DefaultRules()
	noRaise.Recognition.Raise = false
	if g := noRaise.Evaluate(&Record{Recognitions: []Recognition{{Agency: "A", Level: 4, At: days(1)}}}, now); g.Level != 1 {
		t.Errorf("raise off: level %d, want 1", g.Level)
	}
}
