package credit

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Grade is the outcome of Evaluate.
type Grade struct {
	Score   float64
	Level   int
	Entries []Entry
	// Reasons say how the level came about, in words a reader checks
	// against the entries: the score and its range, each kind's share, and
	// any recognition that raised or capped it.
	Reasons []string
	// Kinds are the kinds of entry that scored, most points first (what the
	// blacklist shows).
	Kinds []Kind
}

// Evaluate scores rec's facts at now under r and maps the score to a level,
// then applies the recognitions. An entry scores Points[kind] ×
// 0.5^(age/halfLife), nothing past the horizon, in the future, or with an
// upheld appeal. Scores are rounded to 0.01. It never fails.
func (r *Rules) Evaluate(rec *Record, now time.Time) Grade {
	appeals := map[string]*Appeal{}
	for i := range rec.Appeals {
		a := &rec.Appeals[i]
		if old, ok := appeals[a.Ref]; !ok || a.FiledAt.After(old.FiledAt) || old.Status == AppealOpen && a.Status != AppealOpen {
			appeals[a.Ref] = a
		}
	}
	g := Grade{Entries: make([]Entry, 0, len(rec.Facts))}
	byKind := map[Kind]float64{}
	counts := map[Kind]int{}
	for _, f := range rec.Facts {
		e := Entry{Kind: f.Kind, At: f.At, Ref: f.Ref, Appeal: appeals[f.Ref]}
		age := now.Sub(f.At).Hours() / 24
		if age >= 0 && age <= r.HorizonDays && (e.Appeal == nil || e.Appeal.Status != AppealUpheld) {
			e.Points = round2(r.Points[f.Kind] * math.Exp2(-age/r.HalfLifeDays))
		}
		if e.Points > 0 {
			byKind[f.Kind] += e.Points
			counts[f.Kind]++
		}
		g.Score += e.Points
		g.Entries = append(g.Entries, e)
	}
	slices.SortStableFunc(g.Entries, func(a, b Entry) int { return b.At.Compare(a.At) })
	g.Score = round2(g.Score)
	g.Level = r.Level(g.Score)
	lr := r.Levels[g.Level-1]
	rng := fmt.Sprintf("%g and up", lr.From)
	if lr.To != nil {
		rng = fmt.Sprintf("%g to %g", lr.From, *lr.To)
	}
	g.Reasons = append(g.Reasons, fmt.Sprintf("score %.2f is in the range of level %d (%s)", g.Score, g.Level, rng))
	for _, k := range Kinds {
		if counts[k] > 0 {
			g.Kinds = append(g.Kinds, k)
		}
	}
	slices.SortStableFunc(g.Kinds, func(a, b Kind) int {
		if byKind[a] > byKind[b] {
			return -1
		}
		if byKind[a] < byKind[b] {
			return 1
		}
		return 0
	})
	for _, k := range g.Kinds {
		g.Reasons = append(g.Reasons, fmt.Sprintf("%s: %d entries, %.2f points", k, counts[k], round2(byKind[k])))
	}
	r.recognise(&g, rec.Recognitions, now)
	return g
}

// recognise applies the recognitions valid at now: the worst recognised
// level raises (Raise), the best caps (Cap).
func (r *Rules) recognise(g *Grade, recs []Recognition, now time.Time) {
	var worst, best *Recognition
	for i := range recs {
		x := &recs[i]
		age := now.Sub(x.At).Hours() / 24
		if age < 0 || r.Recognition.ValidDays > 0 && age > r.Recognition.ValidDays || r.CheckLevel("", x.Level) != nil {
			continue
		}
		if worst == nil || x.Level > worst.Level {
			worst = x
		}
		if best == nil || x.Level < best.Level {
			best = x
		}
	}
	if r.Recognition.Raise && worst != nil && worst.Level > g.Level {
		g.Reasons = append(g.Reasons, fmt.Sprintf("raised from level %d to level %d, recognised by %s on %s (%s)",
			g.Level, worst.Level, worst.Agency, worst.At.Format(time.DateOnly), worst.Source))
		g.Level = worst.Level
		return
	}
	if r.Recognition.Cap && best != nil && g.Level < r.Dishonest() && g.Level > best.Level+r.Recognition.CapMargin {
		to := best.Level + r.Recognition.CapMargin
		g.Reasons = append(g.Reasons, fmt.Sprintf("capped from level %d to level %d, level %d recognised by %s on %s (%s)",
			g.Level, to, best.Level, best.Agency, best.At.Format(time.DateOnly), best.Source))
		g.Level = to
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
