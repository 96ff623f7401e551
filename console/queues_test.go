package console_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/console"
	"tracegate/customs"
	"tracegate/demo"
	"tracegate/label"
	"tracegate/measure"
	"tracegate/risk"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
	"tracegate/web"
)

// demoFixture is a console over the demo's data with every service the
// daily screens use, and the demo's officer and warehouse admin.
type demoFixture struct {
	*fixture
	data    *demo.Data
	labels  *demo.LabelData
	customs *customs.Service
	risk    *risk.Service
	binder  *label.Service
}

func newDemoFixture(t *testing.T) *demoFixture {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "demo.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	data, err := demo.Seed(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedCustoms(ctx, s, cs, data, time.Now()); err != nil {
		t.Fatal(err)
	}
	ms, err := measure.NewService(measure.Config{Enterprises: s, Products: s}, s)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := label.NewService(label.ServiceConfig{Secret: storetest.LabelSecret, BaseURL: "https://tg.example", Parties: s, Declarations: cs, Measures: ms}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	ld, err := demo.SeedLabels(ctx, s, ls, cs, data, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rs, err := risk.NewService(ctx, s, risk.ServiceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedConsole(ctx, s, data, tracegate.RoleWarehouse); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: s}
	for _, e := range data.Enterprises {
		if e.HasRole(tracegate.RoleRegulator) && f.reg == nil {
			f.reg = e
		}
		if e.HasRole(tracegate.RoleWarehouse) && f.wh == nil {
			f.wh = e
		}
	}
	f.addUser(f.reg, "reviewer", tracegate.RoleRegulator, false)
	f.addUser(f.wh, "dock", tracegate.RoleWarehouse, false)
	cons, err := console.New(console.Config{Store: s, Customs: cs, Labels: ls, Risk: rs, Measures: ms, Status: web.ProblemStatus})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = web.New(web.Config{Store: s, Console: cons, Customs: cs, Labels: ls, Measures: ms, Risk: rs})
	return &demoFixture{fixture: f, data: data, labels: ld, customs: cs, risk: rs, binder: ls}
}

// session signs login in and returns its cookie and the CSRF token of
// its start page.
func (f *demoFixture) session(login string) (cookie, csrf string) {
	f.t.Helper()
	cookie = f.signIn(login)
	w := f.do("GET", "/console/", cookie, nil)
	return cookie, csrfOf(f.t, w.Body.String())
}

var reviewIDRE = regexp.MustCompile(`id="review-(\d+)"`)

func TestReviewQueue(t *testing.T) {
	f := newDemoFixture(t)
	ctx := context.Background()
	before, err := f.customs.Reviews(ctx, 1000)
	if err != nil || len(before) < 2 {
		t.Fatalf("the demo has %d reviews (%v), want two or more", len(before), err)
	}
	officer, tok := f.session("reviewer")
	page := f.do("GET", "/console/reviews", officer, nil)
	ids := reviewIDRE.FindAllStringSubmatch(page.Body.String(), -1)
	if page.Code != 200 || len(ids) != len(before) || !strings.Contains(page.Body.String(), before[0].OrderNo) {
		t.Fatalf("reviews page = %d with %d reviews, want %d", page.Code, len(ids), len(before))
	}
	first, second := ids[0][1], ids[1][1]
	// A warehouse user may not see the queue, nor resolve a review.
	dock, dtok := f.session("dock")
	if w := f.do("GET", "/console/reviews", dock, nil); w.Code != 403 {
		t.Fatalf("reviews for a warehouse = %d, want 403", w.Code)
	}
	if w := f.do("POST", "/console/reviews/"+first, dock, url.Values{"csrf": {dtok}, "decision": {"pass"}}); w.Code != 403 {
		t.Fatalf("a warehouse resolving = %d, want 403", w.Code)
	}
	// Without the token, or refusing without a reason: nothing changes.
	if w := f.do("POST", "/console/reviews/"+first, officer, url.Values{"decision": {"pass"}}); w.Code != 403 {
		t.Fatalf("resolve without CSRF = %d, want 403", w.Code)
	}
	w := f.do("POST", "/console/reviews/"+first, officer, url.Values{"csrf": {tok}, "decision": {"refuse"}}, "HX-Request", "true")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "needs a reason") || strings.Contains(w.Body.String(), "<html") {
		t.Fatalf("refuse without a reason (htmx) = %d %.400s", w.Code, w.Body)
	}
	if now, _ := f.customs.Reviews(ctx, 1000); len(now) != len(before) {
		t.Fatalf("refused forms resolved reviews: %d left of %d", len(now), len(before))
	}
	// Refuse one with htmx: the fragment shows the outcome; release the
	// other without JavaScript: back to the queue.
	w = f.do("POST", "/console/reviews/"+first, officer, url.Values{"csrf": {tok}, "decision": {"refuse"}, "reason": {"申报价格明显偏低"}}, "HX-Request", "true")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="review-`+first+`"`) || !strings.Contains(w.Body.String(), "退单") {
		t.Fatalf("refuse (htmx) = %d %.400s", w.Code, w.Body)
	}
	w = f.do("POST", "/console/reviews/"+second, officer, url.Values{"csrf": {tok}, "decision": {"pass"}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/console/reviews?done=") {
		t.Fatalf("pass = %d %s", w.Code, w.Header().Get("Location"))
	}
	if now, _ := f.customs.Reviews(ctx, 1000); len(now) != len(before)-2 {
		t.Fatalf("%d reviews left of %d, want two resolved", len(now), len(before))
	}
	// Twice: a conflict, shown on the review.
	w = f.do("POST", "/console/reviews/"+second, officer, url.Values{"csrf": {tok}, "decision": {"pass"}})
	if w.Code != 409 {
		t.Fatalf("resolving again = %d, want 409", w.Code)
	}
	// A stale token through htmx: the problem alone, not a whole page.
	w = f.do("POST", "/console/reviews/"+ids[2][1], officer, url.Values{"csrf": {"stale"}, "decision": {"pass"}}, "HX-Request", "true")
	if w.Code != 403 || !strings.Contains(w.Body.String(), `role="alert"`) || strings.Contains(w.Body.String(), "<html") {
		t.Fatalf("stale token (htmx) = %d %.300s", w.Code, w.Body)
	}
	if w := f.do("GET", "/console/audit", officer, nil); !strings.Contains(w.Body.String(), "resolve-refuse") {
		t.Fatal("the audit trail does not show the refusal")
	}
}

func TestWarningQueue(t *testing.T) {
	f := newDemoFixture(t)
	ctx := context.Background()
	var lab *tracegate.Enterprise
	for _, e := range f.data.Enterprises {
		if e.HasRole(tracegate.RoleLab) {
			lab = e
		}
	}
	gtin := f.data.Products[0].GTIN
	p := tracegate.Principal{EnterpriseID: lab.ID, USCC: lab.USCC, Role: tracegate.RoleLab, Enterprise: lab}
	for i, sev := range []risk.Severity{"serious", "serious"} {
		sig := &risk.Signal{Kind: "lab_test", Source: "lab " + itoa(int64(i)), Selector: tracegate.Selector{GTIN: gtin, Batch: "B1"}, Hazard: "microbial", Severity: sev, Title: "Cronobacter"}
		if _, err := f.risk.AddSignals(ctx, p, []*risk.Signal{sig}); err != nil {
			t.Fatal(err)
		}
	}
	open, err := f.risk.Warnings(ctx, risk.WarningFilter{Status: risk.WarningOpen})
	if err != nil || len(open) == 0 {
		t.Fatalf("warnings = %v, %v", open, err)
	}
	id := itoa(open[0].ID)
	officer, tok := f.session("reviewer")
	page := f.do("GET", "/console/warnings", officer, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), `id="warning-`+id+`"`) {
		t.Fatalf("warnings page = %d %.500s", page.Code, page.Body)
	}
	dock, dtok := f.session("dock")
	if w := f.do("POST", "/console/warnings/"+id+"/dismiss", dock, url.Values{"csrf": {dtok}, "note": {"x"}}); w.Code != 403 {
		t.Fatalf("a warehouse dismissing = %d, want 403", w.Code)
	}
	w := f.do("POST", "/console/warnings/"+id+"/dismiss", officer, url.Values{"csrf": {tok}}, "HX-Request", "true")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "needs a reason") {
		t.Fatalf("dismiss without a reason = %d %.300s", w.Code, w.Body)
	}
	w = f.do("POST", "/console/warnings/"+id+"/nonsense", officer, url.Values{"csrf": {tok}})
	if w.Code != 404 {
		t.Fatalf("unknown action = %d, want 404", w.Code)
	}
	w = f.do("POST", "/console/warnings/"+id+"/dismiss", officer, url.Values{"csrf": {tok}, "note": {"同一实验室重复送检"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("dismiss = %d %.300s", w.Code, w.Body)
	}
	v, err := f.risk.Warning(ctx, open[0].ID)
	if err != nil || v.Status != risk.WarningDismissed || v.Reason != "同一实验室重复送检" {
		t.Fatalf("warning after dismissal = %+v, %v", v, err)
	}
	if w := f.do("GET", "/console/warnings?status=dismissed", officer, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "同一实验室重复送检") {
		t.Fatalf("dismissed warnings = %d", w.Code)
	}
}
