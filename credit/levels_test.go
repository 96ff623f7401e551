package credit

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"tracegate/customs"
)

var testSecret = []byte("tracegate-test-credit-secret-32-bytes!")

// TestSamplingRates: over 10,000 declarations per level, the share sampled
// is within 4 standard deviations of the configured rate.
func TestSamplingRates(t *testing.T) {
	r := DefaultRules()
	l, err := NewLevels(r, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	const n = 10_000
	for lvl := 1; lvl <= 4; lvl++ {
		code := fmt.Sprintf("E%d", lvl)
		l.Set(code, lvl)
		p := r.Sampling(lvl)
		k := 0
		for i := range n {
			cl, sampled, share := l.CreditSample(code, fmt.Sprintf("PLAT/ORDER%06d", i))
			if int(cl) != lvl || share != p {
				t.Fatalf("CreditSample level %d share %g, want %d, %g", cl, share, lvl, p)
			}
			if sampled {
				k++
			}
		}
		sd := math.Sqrt(n * p * (1 - p))
		if math.Abs(float64(k)-n*p) > 4*sd {
			t.Errorf("level %d: %d of %d sampled, want %.0f ± %.1f", lvl, k, n, n*p, 4*sd)
		}
		if lvl == 4 && k != n {
			t.Errorf("level 4: %d of %d sampled, want every declaration", k, n)
		}
	}
}

// TestSamplingDeterministicKeyed: a re-screen gives the same answer; another
// secret gives another sample.
func TestSamplingDeterministicKeyed(t *testing.T) {
	other := []byte(strings.Repeat("x", 32))
	same, differ := 0, 0
	for i := range 2000 {
		d := fmt.Sprintf("P/%d", i)
		a := Sampled(testSecret, "E", d, 0.3)
		if a != Sampled(testSecret, "E", d, 0.3) {
			t.Fatal("Sampled is not deterministic")
		}
		if a == Sampled(other, "E", d, 0.3) {
			same++
		} else {
			differ++
		}
	}
	if differ < 500 {
		t.Fatalf("another secret agrees on %d of 2000 declarations: the sample does not depend on the key", same)
	}
	if _, err := NewLevels(DefaultRules(), []byte("short")); err == nil {
		t.Fatal("NewLevels accepted a short secret")
	}
}

// TestScreenSampling: customs.Screen with Levels as its credit source
// reviews sampled declarations with rule credit naming the level, and
// leaves an unknown enterprise to the policy.
func TestScreenSampling(t *testing.T) {
	l, _ := NewLevels(DefaultRules(), testSecret)
	l.Set("EBC3", 3)
	l.Set("EBC4", 4)
	deps := customs.ScreeningDeps{Credit: l}
	count := 0
	for i := range 1000 {
		d := customs.Screen(customs.ScreeningInput{Line: customs.FirstLine, Enterprises: []string{"EBC3"}, Declaration: fmt.Sprintf("P/%d", i),
			Goods: []customs.GoodsLine{{Gnum: 1}}}, deps)
		for _, r := range d.Reasons {
			if r.Rule == customs.RuleCredit {
				count++
				if r.Outcome != customs.OutcomeReview || !strings.Contains(r.Message, "level 3") {
					t.Fatalf("reason = %+v, want review naming level 3", r)
				}
			}
		}
	}
	if count < 240 || count > 360 {
		t.Fatalf("%d of 1000 level-3 declarations sampled, want about 300", count)
	}
	d := customs.Screen(customs.ScreeningInput{Line: customs.FirstLine, Enterprises: []string{"EBC4", "NOBODY"}, Declaration: "P/1",
		Goods: []customs.GoodsLine{{Gnum: 1}}}, deps)
	var msgs []string
	for _, r := range d.Reasons {
		if r.Rule == customs.RuleCredit {
			msgs = append(msgs, r.Message)
		}
	}
	if len(msgs) != 2 || !strings.Contains(msgs[0], "level 4") || !strings.Contains(msgs[1], "not known") {
		t.Fatalf("credit reasons = %q, want level 4 sampled and the unknown enterprise reviewed by policy", msgs)
	}
	refuse := customs.DefaultCreditPolicy
	refuse[4] = customs.OutcomeRefuse
	d = customs.Screen(customs.ScreeningInput{Line: customs.FirstLine, Enterprises: []string{"EBC4"}, Declaration: "P/1",
		Goods: []customs.GoodsLine{{Gnum: 1}}}, customs.ScreeningDeps{Credit: l, CreditPolicy: refuse})
	if d.Status != customs.OutcomeRefuse || !strings.Contains(d.Reasons[len(d.Reasons)-1].Message, "refused by level") {
		t.Fatalf("policy refusing level 4: %+v", d)
	}
}
