package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tracegate/internal/browsertest"
)

// TestConsoleInBrowser walks the console of `tracegate demo` in Chromium as
// its users do: the officer signs in on a desktop, sees every dashboard
// chart drawn, resolves a manual review with the keyboard, finds the
// delivered tin by its code and verifies its ledger proof in the page, and
// opens the warnings, measures, users and audit screens; the warehouse's
// admin signs in on a tablet and binds labels through the scanner screen
// by typing them as a wedge scanner does (code, Enter, at once), sees each
// verdict and the totals, and undoes one. axe-core runs on every page: no
// violation of serious or critical impact. Screenshots of each page at
// desktop and tablet sizes go to $TRACEGATE_ARTIFACTS.
func TestConsoleInBrowser(t *testing.T) {
	if browsertest.ChromiumPath() == "" {
		t.Skip("no chromium: install Debian's chromium to run the browser tests")
	}
	base, out, stop := startInProcess(t, nil, "demo", "--addr", "127.0.0.1:0")
	defer stop()
	pw := map[string]string{}
	for _, m := range regexp.MustCompile(`login (\S+)\s+password (\S+)`).FindAllStringSubmatch(out.String(), -1) {
		pw[m[1]] = m[2]
	}
	if pw["officer"] == "" || pw["warehouse"] == "" {
		t.Fatalf("the demo printed no console users:\n%s", out)
	}
	t.Run("officer", func(t *testing.T) { officerWalk(t, base, pw["officer"]) })
	t.Run("warehouse", func(t *testing.T) { warehouseWalk(t, base, out.String(), pw["warehouse"]) })
}

type walk struct {
	t    *testing.T
	tab  context.Context
	base string
	w, h int
}

func (w *walk) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	if err := chromedp.Do(w.tab, actions...); err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
}

func (w *walk) poll(what, expr string) {
	w.t.Helper()
	if _, err := chromedp.Run(w.tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		w.t.Fatalf("%s: %v (page text: %.600s)", what, err, strings.Join(browsertest.Texts(w.t, w.tab, "main"), ""))
	}
}

// page opens path, waits for the main landmark, runs axe-core and keeps
// screenshots at the walk's size and the other one.
func (w *walk) page(name, path string) {
	w.t.Helper()
	if path != "" {
		w.do("open "+path, chromedp.Navigate(w.base+path), chromedp.WaitVisible("main h1"))
	}
	w.check(name)
}

func (w *walk) check(name string) {
	w.t.Helper()
	browsertest.CheckAxe(w.t, w.tab, name)
	sizes := [][2]int{{1280, 900}, {800, 1280}}
	if w.w == 800 {
		sizes[0], sizes[1] = sizes[1], sizes[0]
	}
	for _, sz := range sizes {
		w.do("viewport", chromedp.EmulateViewport(int64(sz[0]), int64(sz[1]), chromedp.EmulateScale(1)))
		kind := "desktop"
		if sz[0] == 800 {
			kind = "tablet"
		}
		browsertest.SaveArtifact(w.t, "console-"+name+"-"+kind+".png", browsertest.Screenshot(w.t, w.tab))
	}
	w.do("viewport", chromedp.EmulateViewport(int64(w.w), int64(w.h), chromedp.EmulateScale(1)))
}

func (w *walk) signIn(login, password string) {
	w.t.Helper()
	w.page("sign-in-"+login, "")
	w.do("sign in as "+login,
		chromedp.SendKeys("#login", login),
		chromedp.SendKeys("#password", password+kb.Enter),
		chromedp.WaitVisible("header nav"))
}

func officerWalk(t *testing.T, base, password string) {
	w := &walk{t: t, base: base, w: 1280, h: 900}
	w.tab = browsertest.OpenPageFor(t, base+"/console/sign-in", w.w, w.h, 3*time.Minute)
	w.signIn("officer", password)
	// The dashboard: every chart has data and is drawn.
	w.poll("charts drawn", `(() => { const cs = document.querySelectorAll('[data-chart]');
		return cs.length === document.querySelectorAll('.chart-card').length && cs.length >= 6 &&
			[...cs].every(c => c.dataset.rendered === 'true' && c.querySelector('canvas')); })()`)
	w.check("dashboard")
	// The review queue, by keyboard: j selects the first review, p releases it.
	w.page("reviews", "/console/reviews")
	w.do("keys j p", chromedp.KeyEvent("j"), chromedp.KeyEvent("p"))
	w.poll("review released", `!!document.querySelector('.queue-item p.ok[role=status]')`)
	w.check("reviews-resolved")
	// Find the delivered tin by its code and verify its proof in the page.
	w.page("search", "/console/search")
	w.do("search the code", chromedp.SendKeys("#q", "CRNQ-Q3NJ-18MP-RS1A-SHCP-S"+kb.Enter), chromedp.WaitVisible("[data-proof]"))
	w.do("verify", chromedp.WaitVisible("[data-verify]"), chromedp.Click("[data-verify]"))
	w.poll("proof checked", `document.querySelector('[data-proof-result]').dataset.verified !== undefined`)
	if got := browsertest.Evaluate[string](t, w.tab, `document.querySelector('[data-proof-result]').dataset.verified`); got != "true" {
		t.Errorf("the proof did not verify in the page: %q", browsertest.Evaluate[[]string](t, w.tab, `[...document.querySelectorAll('[data-proof-result] li')].map(l => l.className + ": " + l.textContent)`))
	}
	if n := browsertest.Evaluate[int](t, w.tab, `document.querySelectorAll('.items21 li').length`); n != 21 {
		t.Errorf("the item view shows %d items, want 21", n)
	}
	w.check("item")
	for _, p := range []struct{ name, path string }{{"warnings", "/console/warnings"}, {"measures", "/console/measures"},
		{"users", "/console/users"}, {"audit", "/console/audit"}, {"search-gtin", "/console/search?q=09421902960031"}} {
		w.page(p.name, p.path)
	}
	if got := browsertest.Texts(t, w.tab, "main"); len(got) == 0 || !strings.Contains(got[0], "09421902960031") {
		t.Errorf("search by GTIN shows %q", got)
	}
}

var groupedCode = regexp.MustCompile(`[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}-[0-9A-Z]`)

func warehouseWalk(t *testing.T, base, demoOut, password string) {
	key := regexp.MustCompile(`(?m)^\s+warehouse\s.*?(tgk_\S+)\s*$`).FindStringSubmatch(demoOut)
	if key == nil {
		t.Fatalf("the demo printed no warehouse key:\n%s", demoOut)
	}
	req, _ := http.NewRequest("POST", base+"/api/labels/requests", strings.NewReader(`{"count":3,"caption":"browser test"}`))
	req.Header.Set("Authorization", "Bearer "+key[1])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	codes := groupedCode.FindAllString(string(body), -1)
	if resp.StatusCode != 201 && resp.StatusCode != 200 || len(codes) != 3 {
		t.Fatalf("issue labels = %d, %d codes: %.300s", resp.StatusCode, len(codes), body)
	}
	w := &walk{t: t, base: base, w: 800, h: 1280}
	w.tab = browsertest.OpenPageFor(t, base+"/console/sign-in", w.w, w.h, 3*time.Minute)
	w.signIn("warehouse", password)
	w.check("home-warehouse")
	w.page("scan-setup", "/console/scan/intake")
	w.do("set up", chromedp.SendKeys("#s-gtin", "09421902960031"), chromedp.SendKeys("#s-batch", "BT1"+kb.Enter), chromedp.WaitVisible("#code"))
	// The wedge scanner: code and Enter, one after another, no pause; the
	// second code twice (refused), one as the URL its QR holds.
	scans := []string{codes[0], base + "/l/" + strings.ReplaceAll(codes[1], "-", ""), codes[1], codes[2]}
	for _, c := range scans {
		w.do("scan "+c, chromedp.SendKeys("#code", c+kb.Enter))
	}
	w.poll("four verdicts", `document.querySelectorAll('#verdicts li').length === 4`)
	if got := browsertest.Evaluate[[]string](t, w.tab, `[...document.querySelectorAll('[data-total]')].map(e => e.textContent)`); len(got) != 2 || got[0] != "3" || got[1] != "1" {
		t.Errorf("totals = %q, want 3 bound and 1 refused", got)
	}
	if got := browsertest.Evaluate[[]string](t, w.tab, `[...document.querySelectorAll('#verdicts li')].map(e => e.className)`); strings.Join(got, ",") != "verdict ok,verdict bad,verdict ok,verdict ok" {
		t.Errorf("verdicts newest first = %q", got)
	}
	if f := browsertest.Evaluate[string](t, w.tab, `document.activeElement.id`); f != "code" {
		t.Errorf("focus is on %q after the scans, want the code input", f)
	}
	w.check("scan")
	w.do("undo the last", chromedp.Click("#verdicts li:first-child button"))
	w.poll("undone", `!!document.querySelector('#verdicts li.undone') && document.querySelector('[data-total=bound]').textContent === '2'`)
	w.check("scan-undone")
	w.page("measures-warehouse", "/console/measures")
}
