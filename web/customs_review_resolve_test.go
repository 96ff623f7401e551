package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
	"tracegate/store/storetest"
)

func TestCustomsReviewResolveOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		reg := f.keys[tracegate.RoleRegulator]
		d := storetest.GenerateFault(0, customs.RuleBarcodeRisk)
		sendAll(t, f, d, allDocs)
		w := f.do("GET", "/api/customs/reviews", reg, "", "")
		var q struct {
			Reviews []customs.Review `json:"reviews"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &q) != nil || len(q.Reviews) != 1 || q.Reviews[0].ID <= 0 {
			t.Fatalf("reviews = %d %s; want one with an id", w.Code, w.Body)
		}
		path := "/api/customs/reviews/" + strconv.FormatInt(q.Reviews[0].ID, 10)
		for _, c := range []struct {
			name, path, body string
			status           int
			pointer          string
		}{
			{"refuse without reason", path, `{"decision":"refuse"}`, 400, "/reason"},
			{"unknown decision", path, `{"decision":"maybe","reason":"x"}`, 400, "/decision"},
			{"unknown field", path, `{"decision":"pass","officer":"me"}`, 400, ""},
			{"not an id", "/api/customs/reviews/abc", `{"decision":"pass"}`, 404, ""},
			{"unknown id", "/api/customs/reviews/999999", `{"decision":"pass"}`, 404, ""},
		} {
			w := f.do("POST", c.path, reg, "application/json", c.body)
			if w.Code != c.status || w.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(w.Body.String(), c.pointer) {
				t.Errorf("%s: %d %s; want %d problem naming %q", c.name, w.Code, w.Body, c.status, c.pointer)
			}
		}
		if w := f.do("POST", path, f.keys[tracegate.RolePlatform], "application/json", `{"decision":"pass"}`); w.Code != 403 {
			t.Fatalf("resolution as a platform = %d", w.Code)
		}
		w = f.do("POST", path, reg, "application/json", `{"decision":"refuse","reason":"货证不符"}`)
		var res customs.ResolvedReview
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil {
			t.Fatalf("resolve = %d %s", w.Code, w.Body)
		}
		if o := res.Decision.Officer; res.Decision.Status != customs.OutcomeRefuse || o == nil || o.USCC != f.ents[tracegate.RoleRegulator].USCC ||
			o.Reason != "货证不符" || !strings.Contains(res.Receipt, "<returnStatus>100<") {
			t.Fatalf("resolved = %s; want refused by the regulator with a 100 receipt", w.Body)
		}
		if got := getDecision(t, f, d); got.Status != customs.OutcomeRefuse || got.Officer == nil || reasonFor(got, customs.RuleReview) == nil {
			t.Fatalf("decision after the resolution = %+v", got)
		}
		if w := f.do("POST", path, reg, "application/json", `{"decision":"pass"}`); w.Code != 409 {
			t.Fatalf("resolving twice = %d %s, want 409", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/customs/reviews", reg, "", ""); !strings.Contains(w.Body.String(), `"reviews":[]`) {
			t.Fatalf("reviews after the resolution = %s", w.Body)
		}
	})
}

func TestCustomsCancelAndRefusalReceiptsOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := storetest.GenerateFault(6, "")
		msgs := storetest.CustomsMessages(t, d)
		if a := postMessage(t, f, tracegate.RolePlatform, msgs[customs.DocOrder]); !strings.Contains(a.Documents[0].Receipt, "CEB312Message") ||
			!strings.Contains(a.Documents[0].Receipt, "<returnStatus>120<") {
			t.Fatalf("order receipt = %q, want a CEB312 of 120", a.Documents[0].Receipt)
		}
		postMessage(t, f, tracegate.RolePayment, msgs[customs.DocPayment])
		postMessage(t, f, tracegate.RoleLogistics, msgs[customs.DocWaybill])
		postMessage(t, f, tracegate.RoleEcommerce, msgs[customs.DocInventory])
		body, err := customs.Marshal(storetest.CancelMessage(d, "C2000000-0000-4000-8000-000000000623"))
		if err != nil {
			t.Fatal(err)
		}
		a := postMessage(t, f, tracegate.RoleEcommerce, body)
		if doc := a.Documents[0]; doc.Decision == nil || doc.Decision.Status != customs.OutcomeCancelled || !strings.Contains(doc.Receipt, "CEB624Message") ||
			!strings.Contains(doc.Receipt, "<returnStatus>399<") || doc.Restored == "0.00" {
			t.Fatalf("cancel = %+v, want cancelled with a 399 CEB624 and quota restored", doc)
		}
		if got := getDecision(t, f, d); got.Status != customs.OutcomeCancelled || reasonFor(got, customs.RuleCancel) == nil {
			t.Fatalf("decision after the cancel = %+v", got)
		}
		// A refused order message: problem+json with the refusal receipt.
		e := storetest.GenerateFault(7, "")
		bad := strings.Replace(string(storetest.CustomsMessages(t, e)[customs.DocOrder]), "<ceb:currency>142</ceb:currency>", "<ceb:currency>USD</ceb:currency>", 1)
		w := f.do("POST", "/api/customs/messages", f.keys[tracegate.RolePlatform], "application/xml", bad)
		var p struct {
			Code    string `json:"code"`
			Pointer string `json:"pointer"`
			Receipt string `json:"receipt"`
		}
		if w.Code != 400 || w.Header().Get("Content-Type") != "application/problem+json" || json.Unmarshal(w.Body.Bytes(), &p) != nil ||
			p.Code != tracegate.EINVALID || !strings.HasSuffix(p.Pointer, "currency") || !strings.Contains(p.Receipt, "CEB312Message") ||
			!strings.Contains(p.Receipt, "<returnStatus>100<") {
			t.Fatalf("refused order = %d %s; want a problem with a 100 CEB312 receipt", w.Code, w.Body)
		}
	})
}
