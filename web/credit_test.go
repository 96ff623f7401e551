package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/store/storetest"
)

// TestCreditAPI: the record is the enterprise's own and the regulators';
// recognitions and appeals go through the API; bad input stores nothing.
func TestCreditAPI(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		ent, reg := f.ents[tracegate.RoleEcommerce], f.ents[tracegate.RoleRegulator]
		p := storetest.Product(ent.ID, "09421902960048")
		if _, err := s.SaveProducts(ctx, []*tracegate.Product{p}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReviewProduct(ctx, p.ID, tracegate.ProductReview{Status: tracegate.FilingRejected, Reason: "标签不符", By: reg.ID}); err != nil {
			t.Fatal(err)
		}
		path := "/api/credit/enterprises/" + ent.USCC
		wrongCheck := ent.USCC[:17] + map[bool]string{true: "1", false: "0"}[ent.USCC[17] == '0']
		for _, c := range []struct {
			name, path string
			role       tracegate.Role
			want       int
			contains   string
		}{
			{"own", path, tracegate.RoleEcommerce, 200, `"kind":"filing_rejected"`},
			{"regulator", path, tracegate.RoleRegulator, 200, `"ref":"product:` + strconv.FormatInt(p.ID, 10) + `"`},
			{"another enterprise", path, tracegate.RolePlatform, 404, ""},
			{"unknown", "/api/credit/enterprises/" + storetest.USCC(9999), tracegate.RoleRegulator, 404, ""},
			{"wrong check character", "/api/credit/enterprises/" + wrongCheck, tracegate.RoleRegulator, 400, "/uscc"},
			{"overview", "/api/credit/enterprises?level=1", tracegate.RoleRegulator, 200, `"distribution":{"1":0,"2":0,"3":0,"4":0}`},
			{"level outside the scheme", "/api/credit/enterprises?level=5", tracegate.RoleRegulator, 400, "outside the credit scheme"},
		} {
			w := f.do("GET", c.path, f.keys[c.role], "", "")
			if w.Code != c.want || !strings.Contains(w.Body.String(), c.contains) {
				t.Errorf("%s: GET %s = %d %s; want %d with %s", c.name, c.path, w.Code, w.Body, c.want, c.contains)
			}
		}

		rec := func(body string) string {
			return `{"uscc":"` + ent.USCC + `","agency":"国家市场监督管理总局","at":"2026-06-01T00:00:00Z","source":"国市监信〔2026〕12号",` + body + `}`
		}
		future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		for _, c := range []struct {
			name, body string
			want       int
			contains   string
		}{
			{"level 5", rec(`"level":5`), 400, "/level"},
			{"in the future", strings.Replace(rec(`"level":4`), "2026-06-01T00:00:00Z", future, 1), 400, "/at"},
			{"unknown enterprise", strings.Replace(rec(`"level":4`), ent.USCC, storetest.USCC(9999), 1), 404, ""},
			{"wrong check character", strings.Replace(rec(`"level":4`), ent.USCC, wrongCheck, 1), 400, "/uscc"},
		} {
			if w := f.do("POST", "/api/credit/recognitions", f.keys[tracegate.RoleRegulator], "application/json", c.body); w.Code != c.want ||
				!strings.Contains(w.Body.String(), c.contains) {
				t.Errorf("%s: POST recognition = %d %s; want %d with %s", c.name, w.Code, w.Body, c.want, c.contains)
			}
		}
		var v credit.View
		get := func() {
			t.Helper()
			w := f.do("GET", path, f.keys[tracegate.RoleEcommerce], "", "")
			v = credit.View{}
			if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &v) != nil {
				t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
			}
		}
		get()
		if len(v.Recognitions) != 0 || len(v.History) != 0 {
			t.Fatalf("bad recognitions stored something: %+v", v)
		}
		if w := f.do("POST", "/api/credit/recognitions", f.keys[tracegate.RoleRegulator], "application/json", rec(`"level":4`)); w.Code != 201 {
			t.Fatalf("POST recognition = %d %s", w.Code, w.Body)
		}
		get()
		if v.Level != 4 || len(v.History) != 1 || v.History[0].Level != 4 || !strings.Contains(strings.Join(v.History[0].Reasons, ";"), "国家市场监督管理总局") {
			t.Fatalf("after a level-4 recognition: %+v", v)
		}
		w := f.do("GET", "/api/credit/enterprises?level=4", f.keys[tracegate.RoleRegulator], "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `{"uscc":"`+ent.USCC+`","level":4}`) || !strings.Contains(w.Body.String(), `"4":1`) ||
			!strings.Contains(w.Body.String(), `"changes":[{`) {
			t.Fatalf("overview = %d %s", w.Code, w.Body)
		}

		// An appeal against the rejected filing, upheld.
		ref := "product:" + strconv.FormatInt(p.ID, 10)
		w = f.do("POST", "/api/credit/appeals", f.keys[tracegate.RoleEcommerce], "application/json", `{"ref":"`+ref+`","note":"备案已补正"}`)
		var a credit.Appeal
		if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &a) != nil || a.Status != credit.AppealOpen {
			t.Fatalf("POST appeal = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/credit/appeals", f.keys[tracegate.RolePlatform], "application/json", `{"ref":"`+ref+`","note":"x"}`); w.Code != 400 {
			t.Fatalf("appeal against another's entry = %d %s, want 400", w.Code, w.Body)
		}
		apath := "/api/credit/appeals/" + strconv.FormatInt(a.ID, 10)
		if w := f.do("POST", apath, f.keys[tracegate.RoleRegulator], "application/json", `{"status":"maybe","resolution":"x"}`); w.Code != 400 {
			t.Fatalf("resolve(maybe) = %d %s, want 400", w.Code, w.Body)
		}
		if w := f.do("POST", apath, f.keys[tracegate.RoleRegulator], "application/json", `{"status":"upheld","resolution":"资料齐全"}`); w.Code != 200 {
			t.Fatalf("resolve = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", apath, f.keys[tracegate.RoleRegulator], "application/json", `{"status":"upheld","resolution":"again"}`); w.Code != 409 {
			t.Fatalf("resolve twice = %d %s, want 409", w.Code, w.Body)
		}
		get()
		if len(v.Entries) != 1 || v.Entries[0].Points != 0 || v.Entries[0].Appeal == nil || v.Entries[0].Appeal.Status != credit.AppealUpheld {
			t.Fatalf("after the upheld appeal: entries %+v", v.Entries)
		}
	})
}

// TestCreditWiredScreening: with credit wired into customs, a level-4
// enterprise's declaration is reviewed with rule credit naming the level
// (every declaration is sampled at level 4), and a level-1 enterprise's
// declarations are sampled at about 1 %.
func TestCreditWiredScreening(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		levels, err := credit.NewLevels(credit.DefaultRules(), []byte("tracegate-test-credit-secret-32-bytes!"))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := customsFixture(t, s)
		svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour, Credit: levels}, s)
		if err != nil {
			t.Fatal(err)
		}
		f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: f.ledger.web, Customs: svc})
		// The generated declarations name their enterprises by customs code
		// (the parties model will map them to USCCs): level them here.
		d4 := storetest.GenerateFault(2, customs.RuleCredit)
		levels.Set(d4.Inventory.Inventories[0].Head.EbcCode, 4)
		clean := storetest.GenerateFault(3, "")
		levels.Set(clean.Inventory.Inventories[0].Head.EbcCode, 1)
		for _, d := range []*customs.Declaration{d4, clean} {
			if err := storetest.PreloadQuota(context.Background(), s, d); err != nil {
				t.Fatal(err)
			}
			sendAll(t, f, d, allDocs)
		}
		got := getDecision(t, f, d4)
		if r := reasonFor(got, customs.RuleCredit); got.Status != customs.OutcomeReview || r == nil || !strings.Contains(r.Message, "level 4") {
			t.Fatalf("level-4 decision = %+v, want review by rule credit naming level 4", got)
		}
		got = getDecision(t, f, clean)
		if r := reasonFor(got, customs.RuleCredit); r != nil && !strings.Contains(r.Message, "level 1") {
			t.Fatalf("level-1 credit reason = %+v", r)
		}
	})
}
