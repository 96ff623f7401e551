package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchAndItem finds an item by its code (typed grouped, or as its
// scan URL) and shows its page: the 21 items, the trace, the proof box;
// a GTIN shows the goods' stock; an enterprise's name finds it for a
// regulator only.
func TestSearchAndItem(t *testing.T) {
	f := newDemoFixture(t)
	it := f.labels.Items[0]
	officer, _ := f.session("reviewer")
	w := f.do("GET", "/console/search?q="+url.QueryEscape("https://tg.example/l/"+it.Code.Compact()), officer, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/items/"+it.Code.Compact() {
		t.Fatalf("search by scan URL = %d %s", w.Code, w.Header().Get("Location"))
	}
	w = f.do("GET", "/console/items/"+it.Code.String(), officer, nil)
	body := w.Body.String()
	if w.Code != 200 || strings.Count(body, `<span class="k">`) != 21 || !strings.Contains(body, `class="trace"`) || !strings.Contains(body, `data-proof`) {
		t.Fatalf("item page = %d %.500s", w.Code, body)
	}
	if w := f.do("GET", "/console/items/AAAA-BBBB", officer, nil); w.Code != 404 {
		t.Fatalf("unknown code = %d, want 404", w.Code)
	}
	// A GTIN: the stock of the goods.
	gtin := it.Product.GTIN
	w = f.do("GET", "/console/search?q="+gtin, officer, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="r-goods"`) {
		t.Fatalf("search by GTIN = %d %.400s", w.Code, w.Body)
	}
	// An enterprise by part of its name: a regulator finds it, a warehouse does not.
	name := []rune(f.wh.Name)
	part := string(name[len(name)-3:])
	if w := f.do("GET", "/console/search?q="+url.QueryEscape(part), officer, nil); !strings.Contains(w.Body.String(), f.wh.USCC) {
		t.Fatalf("search %q for a regulator misses %s", part, f.wh.Name)
	}
	dock, _ := f.session("dock")
	if w := f.do("GET", "/console/search?q="+url.QueryEscape(part), dock, nil); w.Code != 200 || strings.Contains(w.Body.String(), `id="r-ent"`) {
		t.Fatalf("search for a warehouse = %d, shows enterprises", w.Code)
	}
	if w := f.do("GET", "/console/search?q="+strings.Repeat("x", 201), dock, nil); w.Code != 400 {
		t.Fatalf("over-long search = %d, want 400", w.Code)
	}
}

// TestMeasures orders a measure as the regulator, refuses a bad order
// with its reason and stores nothing, and walks the owner's steps.
func TestMeasures(t *testing.T) {
	f := newDemoFixture(t)
	officer, tok := f.session("reviewer")
	p := f.data.Products[0]
	owner, err := f.store.FindEnterprise(t.Context(), p.OwnerID)
	if err != nil {
		t.Fatal(err)
	}
	bad := url.Values{"csrf": {tok}, "kind": {"recall"}, "gtin": {"123"}, "owner": {owner.USCC}, "reason": {"x"}}
	if w := f.do("POST", "/console/measures", officer, bad); w.Code != 400 || !strings.Contains(w.Body.String(), `role="alert"`) {
		t.Fatalf("bad order = %d %.300s", w.Code, w.Body)
	}
	before := f.do("GET", "/console/measures", officer, nil).Body.String()
	order := url.Values{"csrf": {tok}, "kind": {"stop_sale"}, "gtin": {p.GTIN}, "batch": {"B9"}, "owner": {owner.USCC}, "reason": {"抽检不合格"}, "deadline": {"2030-01-31"}}
	w := f.do("POST", "/console/measures", officer, order)
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/console/measures/") {
		t.Fatalf("order = %d %.300s", w.Code, w.Body)
	}
	path := w.Header().Get("Location")
	row := `<th scope="row"><a href="/console/measures/`
	if strings.Count(f.do("GET", "/console/measures", officer, nil).Body.String(), row) != strings.Count(before, row)+1 {
		t.Fatal("the list does not show one more measure")
	}
	page := f.do("GET", path, officer, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "抽检不合格") {
		t.Fatalf("measure page = %d", page.Code)
	}
	// The regulator may not start it: the owner does.
	if w := f.do("POST", path+"/in_progress", officer, url.Values{"csrf": {tok}}); w.Code != 403 || !strings.Contains(w.Body.String(), `role="alert"`) {
		t.Fatalf("regulator starting = %d", w.Code)
	}
	if w := f.do("POST", path+"/ack", officer, url.Values{"csrf": {"stale"}}); w.Code != 403 {
		t.Fatalf("stale token = %d", w.Code)
	}
	if w := f.do("POST", path+"/cancelled", officer, url.Values{"csrf": {tok}, "note": {"误下达"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("cancel = %d %.300s", w.Code, w.Body)
	}
	if w := f.do("GET", path, officer, nil); !strings.Contains(w.Body.String(), "误下达") {
		t.Fatal("the history does not show the cancellation")
	}
}
