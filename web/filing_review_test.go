package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
	"tracegate/gs1"
	"tracegate/store/storetest"
)

// TestFilingReviewScenarios: an enterprise's filing is submitted, with the
// number it proposes; only a regulator approves it (assigning or confirming
// the 商品备案号) or rejects it with a reason; only the owner withdraws it,
// and to anyone else another's filing does not exist.
func TestFilingReviewScenarios(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ecom, plat, reg := f.keys[tracegate.RoleEcommerce], f.keys[tracegate.RolePlatform], f.keys[tracegate.RoleRegulator]
		file := func(body string) tracegate.Product {
			t.Helper()
			w := f.do("POST", "/api/products", ecom, "application/json", body)
			var p tracegate.Product
			if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &p) != nil {
				t.Fatalf("file = %d %s", w.Code, w.Body)
			}
			return p
		}
		p := file(`{"gtin":"9421902960031","name":"a2 Platinum Stage 1","nameZh":"a2 白金 1段","brand":"a2","specification":"900g","hsCode":"19011010","originCountry":"NZ","manufacturer":"Synlait Milk","filingNumber":"MY-OWN-NUMBER","status":"approved"}`)
		if p.Status != tracegate.FilingSubmitted {
			t.Fatalf("a filing sent as approved is %q: an enterprise cannot approve itself", p.Status)
		}
		q := file(`{"gtin":"4901234567894","name":"Shiseido Cream","nameZh":"资生堂面霜","brand":"Shiseido","specification":"50ml","hsCode":"33049900","originCountry":"JP","manufacturer":"Shiseido Co Ltd"}`)
		id, qid := strconv.FormatInt(p.ID, 10), strconv.FormatInt(q.ID, 10)
		for _, tc := range []struct {
			name, method, path, key, body string
			status                        int
			content, pointer              string
		}{
			{"queue", "GET", "/api/products?status=submitted", reg, "", 200, `"MY-OWN-NUMBER"`, ""},
			{"bad status filter", "GET", "/api/products?status=pending", reg, "", 400, "", "/status"},
			{"an enterprise cannot approve", "POST", "/api/filings/" + id + "/review", ecom, `{"status":"approved"}`, 403, "", ""},
			{"unknown decision", "POST", "/api/filings/" + id + "/review", reg, `{"status":"maybe"}`, 400, "", "/status"},
			{"a regulator does not withdraw", "POST", "/api/filings/" + id + "/review", reg, `{"status":"withdrawn"}`, 400, "", "/status"},
			{"reject without reason", "POST", "/api/filings/" + qid + "/review", reg, `{"status":"rejected"}`, 400, "", "/reason"},
			{"approve without a number", "POST", "/api/filings/" + qid + "/review", reg, `{"status":"approved"}`, 400, "", "/filingNumber"},
			{"unknown filing", "POST", "/api/filings/999999/review", reg, `{"status":"approved","filingNumber":"X"}`, 404, "", ""},
			{"stale version", "POST", "/api/filings/" + id + "/review", reg, `{"status":"approved","version":"2020-01-01T00:00:00Z"}`, 409, "", "/version"},
			{"approve, confirming the proposal", "POST", "/api/filings/" + id + "/review", reg, `{"status":"approved"}`, 200, `"filingNumber":"MY-OWN-NUMBER"`, ""},
			{"approve twice", "POST", "/api/filings/" + id + "/review", reg, `{"status":"approved","filingNumber":"Y"}`, 409, "", "/status"},
			{"reject with reason", "POST", "/api/filings/" + qid + "/review", reg, `{"status":"rejected","reason":"规格与条码不符"}`, 200, `"statusReason":"规格与条码不符"`, ""},
			{"another enterprise's filing is not found", "POST", "/api/filings/" + id + "/withdraw", plat, `{}`, 404, "", ""},
			{"the owner withdraws", "POST", "/api/filings/" + qid + "/withdraw", ecom, `{"reason":"停止进口"}`, 200, `"status":"withdrawn"`, ""},
			{"withdraw twice", "POST", "/api/filings/" + qid + "/withdraw", ecom, `{}`, 409, "", "/status"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := f.do(tc.method, tc.path, tc.key, "application/json", tc.body)
				if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.content) {
					t.Fatalf("%s %s = %d %s; want %d containing %q", tc.method, tc.path, w.Code, w.Body, tc.status, tc.content)
				}
				if w.Code >= 400 {
					checkProblem(t, w, tc.status, tc.pointer)
				}
			})
		}
		// Filing it again unchanged keeps the approval; a changed fact sends
		// it back to the regulator.
		w := f.do("POST", "/api/products", ecom, "application/json", `{"gtin":"9421902960031","name":"a2 Platinum Stage 1","nameZh":"a2 白金 1段","brand":"a2","specification":"900g","hsCode":"19011010","originCountry":"NZ","manufacturer":"Synlait Milk"}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"approved"`) || !strings.Contains(w.Body.String(), `"filingNumber":"MY-OWN-NUMBER"`) {
			t.Fatalf("unchanged refiling = %d %s, want still approved with its number", w.Code, w.Body)
		}
		w = f.do("POST", "/api/products", ecom, "application/json", `{"gtin":"9421902960031","name":"a2 Platinum Stage 1","nameZh":"a2 白金 1段","brand":"a2","specification":"800g","hsCode":"19011010","originCountry":"NZ","manufacturer":"Synlait Milk"}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"submitted"`) {
			t.Fatalf("changed refiling = %d %s, want submitted again", w.Code, w.Body)
		}
	})
}

// TestCustomsCountsApprovedFilingsOnly: a declaration whose goods have only
// a withdrawn filing is refused with filing_missing, like an unfiled one;
// approved, the same declaration passes.
func TestCustomsCountsApprovedFilingsOnly(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		ctx := context.Background()
		d := storetest.GenerateFault(0, "")
		if err := storetest.PreloadQuota(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		gtin, err := gs1.NormalizeGTIN(*d.Inventory.Inventories[0].Lines[0].BarCode)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.ListProducts(ctx, tracegate.ProductFilter{GTIN: gtin})
		if err != nil || len(list) != 1 || !list[0].Approved() {
			t.Fatalf("the demo filing of %s: %v, %v", gtin, list, err)
		}
		if _, err := s.ReviewProduct(ctx, list[0].ID, tracegate.ProductReview{Status: tracegate.FilingWithdrawn, By: list[0].OwnerID}); err != nil {
			t.Fatal(err)
		}
		sendAll(t, f, d, allDocs)
		got := getDecision(t, f, d)
		if r := reasonFor(got, customs.RuleFiling); got.Status != customs.OutcomeRefuse || r == nil {
			t.Fatalf("declaration of goods whose filing was withdrawn = %s %+v, want refused for %s", got.Status, got.Reasons, customs.RuleFiling)
		}
	})
}
