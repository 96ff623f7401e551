package web

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/credit"
	"tracegate/ledger"
)

// TestCreditBlacklist: a published edition is served, without a key, as a
// page in Chinese and English and as JSON (byte for byte the ledger leaf's
// content), CSV and Atom.
func TestCreditBlacklist(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		if w := f.do("GET", "/credit/blacklist", "", "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "尚未发布名单") {
			t.Fatalf("page before any edition = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/credit/blacklist.json", "", "", ""); w.Code != 404 {
			t.Fatalf("json before any edition = %d, want 404", w.Code)
		}
		ent := f.ents[tracegate.RoleEcommerce]
		body := `{"uscc":"` + ent.USCC + `","agency":"国家市场监督管理总局","level":4,"at":"2026-06-01T00:00:00Z","source":"严重违法失信名单 2026-118"}`
		if w := f.do("POST", "/api/credit/recognitions", f.keys[tracegate.RoleRegulator], "application/json", body); w.Code != 201 {
			t.Fatalf("recognise = %d %s", w.Code, w.Body)
		}
		w := f.do("POST", "/api/credit/blacklist/editions", f.keys[tracegate.RoleRegulator], "", "")
		if w.Code != 201 {
			t.Fatalf("publish = %d %s", w.Code, w.Body)
		}
		published := w.Body.String()

		w = f.do("GET", "/credit/blacklist.json", "", "", "")
		var e credit.Edition
		if w.Code != 200 || w.Body.String() != published || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Edition != 1 || len(e.Entries) != 1 ||
			e.Entries[0].USCC != ent.USCC || e.Entries[0].Name != ent.Name || e.Entries[0].Level != 4 || e.Entries[0].Since.IsZero() ||
			len(e.Entries[0].Reasons) != 1 || e.Entries[0].Reasons[0] != "recognised" {
			t.Fatalf("json = %d %s", w.Code, w.Body)
		}
		idx, _ := strconv.ParseInt(w.Header().Get("X-Ledger-Index"), 10, 64)
		leaves, err := s.ReadEntries(t.Context(), idx, idx+1)
		if err != nil || len(leaves) != 1 {
			t.Fatal(err)
		}
		l, err := ledger.ParseLeaf(leaves[0])
		sum := sha256.Sum256(w.Body.Bytes())
		if err != nil || l.Kind != ledger.KindCreditBlacklist || l.ContentHash != "ni:///sha-256;"+hex.EncodeToString(sum[:]) {
			t.Fatalf("leaf %d = %+v, %v; want a credit-blacklist leaf over the served JSON", idx, l, err)
		}
		for _, c := range []struct{ path, want string }{
			{"/credit/blacklist", "失信企业名单"}, {"/credit/blacklist", "其他部门认定的信用等级"}, {"/credit/blacklist", ent.USCC},
			{"/credit/blacklist?lang=en", "Credit blacklist"}, {"/credit/blacklist?lang=en", "a level recognised by another agency"},
			{"/credit/blacklist?lang=en", `lang="en"`}, {"/credit/blacklist", `name="viewport"`},
		} {
			if w := f.do("GET", c.path, "", "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("GET %s = %d, want %q in it", c.path, w.Code, c.want)
			}
		}
		w = f.do("GET", "/credit/blacklist.csv", "", "", "")
		rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if w.Code != 200 || err != nil || len(rows) != 2 || rows[1][2] != "listed" || rows[1][3] != ent.USCC {
			t.Fatalf("csv = %d %q %v", w.Code, rows, err)
		}
		w = f.do("GET", "/credit/blacklist.atom", "", "", "")
		var feed struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		if w.Code != 200 || xml.Unmarshal(w.Body.Bytes(), &feed) != nil || len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].Title, ent.USCC) {
			t.Fatalf("atom = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/credit/blacklist.json?edition=x", "", "", ""); w.Code != 400 {
			t.Fatalf("edition=x = %d, want 400", w.Code)
		}
		if w := f.do("GET", "/credit/blacklist.json?edition=2", "", "", ""); w.Code != 404 {
			t.Fatalf("edition=2 = %d, want 404", w.Code)
		}
	})
}
