package console_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"tracegate"
	"tracegate/label"
)

// TestScannerBinding binds codes as a wedge scanner types them: one code
// a post, its verdict at once, the totals carried along, and an undo.
func TestScannerBinding(t *testing.T) {
	f := newDemoFixture(t)
	ctx := context.Background()
	p := &tracegate.Principal{EnterpriseID: f.wh.ID, USCC: f.wh.USCC, Role: tracegate.RoleWarehouse, Enterprise: f.wh}
	_, codes, err := f.binder.Issue(ctx, p, 3, "scanner test", false)
	if err != nil {
		t.Fatal(err)
	}
	dock, tok := f.session("dock")
	gtin := f.data.Products[0].GTIN
	page := f.do("GET", "/console/scan/intake?gtin="+gtin+"&batch=S1", dock, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), `id="code"`) || !strings.Contains(page.Body.String(), "autofocus") {
		t.Fatalf("scan page = %d %.300s", page.Code, page.Body)
	}
	if w := f.do("GET", "/console/scan/intake", dock, nil); !strings.Contains(w.Body.String(), `name="gtin"`) || strings.Contains(w.Body.String(), `id="code"`) {
		t.Fatal("the scan page without a setup does not ask for it first")
	}
	scan := func(code string, bound, refused int, htmx bool) string {
		t.Helper()
		form := url.Values{"csrf": {tok}, "gtin": {gtin}, "batch": {"S1"}, "code": {code}, "bound": {itoa(int64(bound))}, "refused": {itoa(int64(refused))}}
		var hdr []string
		if htmx {
			hdr = []string{"HX-Request", "true"}
		}
		w := f.do("POST", "/console/scan/intake", dock, form, hdr...)
		if w.Code != 200 {
			t.Fatalf("scan %s = %d %.300s", code, w.Code, w.Body)
		}
		return w.Body.String()
	}
	// As the QR's URL, through htmx: a fragment with the verdict and the totals.
	body := scan("https://tg.example/l/"+codes[0].String(), 0, 0, true)
	if !strings.Contains(body, `class="verdict ok"`) || !strings.Contains(body, `data-total="bound">1<`) || strings.Contains(body, "<html") {
		t.Fatalf("first scan = %.600s", body)
	}
	// The same code again: refused, with the service's reason.
	body = scan(codes[0].String(), 1, 0, true)
	if !strings.Contains(body, `class="verdict bad"`) || !strings.Contains(body, `data-total="refused">1<`) {
		t.Fatalf("second scan of a code = %.600s", body)
	}
	// Not a code; then a good one without JavaScript: the whole page.
	if body := scan("HELLO", 1, 1, true); !strings.Contains(body, "not a genuine label code") {
		t.Fatalf("a bad code = %.600s", body)
	}
	body = scan(strings.ToLower(codes[1].String()), 1, 2, false)
	if !strings.Contains(body, "<html") || !strings.Contains(body, `data-total="bound">2<`) || !strings.Contains(body, codes[1].String()) {
		t.Fatalf("scan without JavaScript = %.600s", body)
	}
	bound := func(c label.Code) bool {
		st, err := f.store.FindLabel(ctx, f.binder.Hash(c))
		if err != nil {
			t.Fatal(err)
		}
		return st.ProductID != 0
	}
	if !bound(codes[0]) || !bound(codes[1]) || bound(codes[2]) {
		t.Fatal("the scanned codes are not bound as their verdicts say")
	}
	// Undo the second.
	w := f.do("POST", "/console/scan/intake/undo", dock, url.Values{"csrf": {tok}, "code": {codes[1].String()}, "bound": {"2"}, "refused": {"2"}}, "HX-Request", "true")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `class="verdict undone"`) || !strings.Contains(w.Body.String(), `data-total="bound">1<`) {
		t.Fatalf("undo = %d %.600s", w.Code, w.Body)
	}
	if bound(codes[1]) {
		t.Fatal("undo left the code bound")
	}
	// A platform may not bind; a stale token binds nothing.
	if w := f.do("POST", "/console/scan/intake", dock, url.Values{"csrf": {"stale"}, "gtin": {gtin}, "batch": {"S1"}, "code": {codes[2].String()}}); w.Code != 403 {
		t.Fatalf("stale token = %d", w.Code)
	}
	officer, otok := f.session("reviewer")
	if w := f.do("POST", "/console/scan/intake", officer, url.Values{"csrf": {otok}, "gtin": {gtin}, "batch": {"S1"}, "code": {codes[2].String()}}); w.Code != 403 {
		t.Fatalf("a regulator binding = %d, want 403", w.Code)
	}
	if bound(codes[2]) {
		t.Fatal("a refused form bound a code")
	}
}
