package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (npm axe-core, MPL-2.0, axe.LICENSE beside
// it), the accessibility engine the browser tests run on every page.
//
//go:embed axe.min.js
var axeSource string

// Violation is one axe-core rule a page breaks, with the elements that
// break it.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // the elements' CSS selectors
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// Axe runs axe-core on the tab's page (WCAG 2.x A and AA rules and the
// best practices) and returns the violations of serious or critical
// impact. It fails the test when axe does not run.
func Axe(t testing.TB, tab context.Context) []Violation {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`typeof axe === "object" || (function(){ `+axeSource+`
;return true })()`)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	vs, err := chromedp.Run(tab, chromedp.Evaluate[[]Violation](`axe.run(document, {resultTypes: ["violations"],
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
		({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return vs
}

// CheckAxe fails the test for every serious or critical violation axe-core
// finds on the tab's page, naming the page.
func CheckAxe(t testing.TB, tab context.Context, page string) {
	t.Helper()
	for _, v := range Axe(t, tab) {
		t.Errorf("%s: %s", page, v)
	}
}
