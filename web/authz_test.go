package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// TestAuthorizationMatrix calls every registered route as an anonymous
// caller and as each role, and checks the outcome against the expected
// matrix: A = allowed (neither 401 nor 403), F = 403, U = 401.
func TestAuthorizationMatrix(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		// Columns: anonymous, then tracegate.Roles in order:
		// platform ecommerce logistics warehouse payment manufacturer importer lab regulator.
		want := map[string]string{
			"GET /{$}":                                        "A AAAAAAAAA",
			"GET /static/{name}":                              "A AAAAAAAAA",
			"GET /l":                                          "A AAAAAAAAA",
			"GET /healthz":                                    "A AAAAAAAAA",
			"GET /readyz":                                     "A AAAAAAAAA",
			"GET /metrics":                                    "A AAAAAAAAA",
			"GET /openapi.json":                               "A AAAAAAAAA",
			"GET /problems/{code}":                            "A AAAAAAAAA",
			"GET /api/me":                                     "U AAAAAAAAA",
			"GET /api/enterprises":                            "U FFFFFFFFA",
			"POST /api/enterprises":                           "U FFFFFFFFA",
			"GET /api/enterprises/{id}":                       "U AAAAAAAAA",
			"GET /api/enterprises/{id}/apikeys":               "U AAAAAAAAA",
			"POST /api/enterprises/{id}/apikeys":              "U FFFFFFFFA",
			"GET /api/enterprises/{id}/gs1-prefixes":          "U AAAAAAAAA",
			"POST /api/enterprises/{id}/gs1-prefixes":         "U FFFFFFFFA",
			"DELETE /api/apikeys/{id}":                        "U AAAAAAAAA",
			"POST /api/products":                              "U AAFFFAAFA",
			"POST /api/products/import":                       "U AAFFFAAFA",
			"GET /api/products":                               "U AAAAAAAAA",
			"GET /api/products/{gtin}":                        "U AAAAAAAAA",
			"PUT /api/products/{gtin}/photo":                  "U AAFFFAAFA",
			"GET /photos/{sha256}":                            "A AAAAAAAAA",
			"POST /api/filings/{id}/review":                   "U FFFFFFFFA",
			"POST /api/filings/{id}/withdraw":                 "U AAFFFAAFA",
			"OPTIONS /epcis/capture":                          "U AAAAAAAAA",
			"POST /epcis/capture":                             "U AAAAAAAAA",
			"GET /epcis/capture/{id}":                         "U AAAAAAAAA",
			"GET /epcis/events":                               "U AAAAAAAAA",
			"GET /epcis/events/{eventID...}":                  "U AAAAAAAAA",
			"GET /epcis/epcs/{epc}/events":                    "U AAAAAAAAA",
			"GET /epcis/containment/{epc}":                    "U AAAAAAAAA",
			"GET /epcis/containers/{epc}":                     "U AAAAAAAAA",
			"POST /epcis/queries":                             "U AAAAAAAAA",
			"GET /epcis/queries":                              "U AAAAAAAAA",
			"GET /epcis/queries/{name}":                       "U AAAAAAAAA",
			"DELETE /epcis/queries/{name}":                    "U AAAAAAAAA",
			"GET /epcis/queries/{name}/events":                "U AAAAAAAAA",
			"POST /epcis/queries/{name}/subscriptions":        "U AAAAAAAAA",
			"GET /epcis/queries/{name}/subscriptions":         "U AAAAAAAAA",
			"DELETE /epcis/queries/{name}/subscriptions/{id}": "U AAAAAAAAA",
			"GET /epcis/eventTypes":                           "U AAAAAAAAA",
			"GET /epcis/bizSteps":                             "U AAAAAAAAA",
			"GET /log/checkpoint":                             "A AAAAAAAAA",
			"GET /log/vkey":                                   "A AAAAAAAAA",
			"GET /log/tile/{path...}":                         "A AAAAAAAAA",
			"GET /log/proof/event/{eventID...}":               "A AAAAAAAAA",
			"POST /api/customs/messages":                      "U AAAAAFFFA",
			"GET /api/customs/inventories":                    "U AAAAAFFFA",
			"GET /api/customs/reviews":                        "U FFFFFFFFA",
			"POST /api/customs/reviews/{id}":                  "U FFFFFFFFA",
			"POST /api/customs/tables/{kind}":                 "U FFFFFFFFA",
			"GET /api/customs/tables/{kind}":                  "U FFFFFFFFA",
			"POST /api/labels/requests":                       "U FAFAFFFFF",
			"POST /api/labels/intake":                         "U FAFAFFFFF",
			"POST /api/labels/dispatch":                       "U FAFAFFFFF",
			"POST /api/labels/unbind":                         "U FAFAFFFFF",
			"GET /api/labels/{code}":                          "U AAAAAAAAA",
			"GET /api/labels/{code}/qr":                       "U AAAAAAAAA",
			"POST /api/holds":                                 "U FFFFFFFFA",
			"GET /api/holds":                                  "U AAAAAAAAA",
			"GET /api/complaints":                             "U AAFFFAAFA",
			"GET /api/complaints/{id}":                        "U AAFFFAAFA",
			"POST /api/complaints/{id}/replies":               "U AAFFFAAFA",
			"GET /api/complaints/{id}/photo":                  "U AAFFFAAFA",
			"GET /complaints/{ref}":                           "A AAAAAAAAA",
			"GET /api/credit/enterprises":                     "U FFFFFFFFA",
			"GET /api/credit/enterprises/{uscc}":              "U AAAAAAAAA",
			"POST /api/credit/recognitions":                   "U FFFFFFFFA",
			"POST /api/credit/appeals":                        "U AAAAAAAAA",
			"POST /api/credit/appeals/{id}":                   "U FFFFFFFFA",
			"POST /api/credit/blacklist/editions":             "U FFFFFFFFA",
			"GET /credit/blacklist":                           "A AAAAAAAAA",
			"GET /credit/blacklist.json":                      "A AAAAAAAAA",
			"GET /credit/blacklist.csv":                       "A AAAAAAAAA",
			"GET /credit/blacklist.atom":                      "A AAAAAAAAA",
			"GET /l/{code}":                                   "A AAAAAAAAA",
			"GET /l/{code}/proof":                             "A AAAAAAAAA",
			"POST /l/{code}/complaints":                       "A AAAAAAAAA",

			// The parties: customs codes and client relations (issue 11).
			"GET /api/enterprises/{id}/customs-codes":           "U AAAAAAAAA",
			"POST /api/enterprises/{id}/customs-codes":          "U AAAAAAAAA",
			"DELETE /api/enterprises/{id}/customs-codes/{code}": "U AAAAAAAAA",
			"POST /api/customs-codes/{code}/confirm":            "U FFFFFFFFA",
			"GET /api/enterprises/{id}/handlings":               "U AAAAAAAAA",
			"POST /api/enterprises/{id}/handlers":               "U AAAAAAAAA",
			"DELETE /api/enterprises/{id}/handlers/{handler}":   "U AAAAAAAAA",
		}
		for _, ai := range resolverKeys {
			want["GET /"+ai+"/{path...}"] = "A AAAAAAAAA"
		}
		for pattern, row := range matrixRows {
			if _, dup := want[pattern]; dup {
				t.Errorf("matrix row %s is given twice", pattern)
			}
			want[pattern] = row
		}
		seen := map[string]bool{}
		for _, rt := range f.srv.routes {
			pattern := rt.Pattern()
			row, ok := want[pattern]
			if !ok {
				t.Errorf("route %s is not in the authorization matrix", pattern)
				continue
			}
			seen[pattern] = true
			cells := strings.ReplaceAll(row, " ", "")
			callers := append([]tracegate.Role{""}, tracegate.Roles...)
			for i, role := range callers {
				key, own := "", f.ents[tracegate.RolePlatform]
				if role != "" {
					key, own = f.keys[role], f.ents[role]
				}
				path, body := matrixRequest(t, f, rt.Path, own, role)
				ct := "application/json"
				if strings.HasSuffix(path, "/import") {
					ct = "text/csv"
				}
				if path == "/epcis/capture" {
					ct = "application/ld+json"
				}
				w := f.do(rt.Method, path, key, ct, body)
				got := "A"
				switch w.Code {
				case 401:
					got = "U"
				case 403:
					got = "F"
				}
				if got != string(cells[i]) {
					t.Errorf("%s as %q: %d %s; want %c", pattern, role, w.Code, w.Body, cells[i])
				}
			}
		}
		for p := range want {
			if !seen[p] {
				t.Errorf("matrix row %s matches no registered route", p)
			}
		}
	})
}

// matrixRequest fills a route's path parameters with resources the caller
// owns and gives it a valid body, so only authorization can refuse it.
func matrixRequest(t *testing.T, f *fixture, path string, own *tracegate.Enterprise, role tracegate.Role) (string, string) {
	t.Helper()
	body := ""
	switch path {
	case "/api/enterprises":
		body = `{"uscc":"` + storetest.USCC(5000+len(role)*31+int(own.ID)) + `","name":"新企业","roles":["lab"]}`
	case "/api/products":
		body = `{"gtin":"9421902960031","name":"Formula","nameZh":"奶粉","brand":"a2","specification":"900g","hsCode":"1901101000","originCountry":"NZ","manufacturer":"Synlait","ownerUscc":"` + own.USCC + `"}`
	case "/api/products/import":
		body = "gtin,name,name_zh,brand,specification,hs_code,origin_country,manufacturer,owner_uscc\n9421902960031,Formula,奶粉,a2,900g,1901101000,NZ,Synlait," + own.USCC + "\n"
	case "/epcis/queries":
		body = `{"name":"q` + string(role) + `","query":{"EQ_bizStep":"shipping"}}`
	case "/epcis/queries/{name}/subscriptions":
		body = `{"dest":"https://example.com/hook","signatureToken":"0123456789abcdef","stream":true}`
	case "/epcis/capture":
		body = `{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[]}}`
	case "/api/customs/inventories":
		return path + "?ebpCode=1105910159&orderNo=order2016030811340001", ""
	case "/api/customs/reviews/{id}":
		body = `{"decision":"refuse","reason":"matrix"}`
	case "/api/complaints/{id}/replies":
		body = `{"text":"matrix"}`
	case "/api/customs/tables/{kind}":
		return "/api/customs/tables/tariff", "hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit\n33049900,0.01,0.13,0.15,10,CNY/ml\n"
	case "/api/credit/recognitions":
		body = `{"uscc":"` + own.USCC + `","agency":"海关总署","level":2,"at":"2026-01-01T00:00:00Z","source":"matrix"}`
	case "/api/credit/appeals":
		body = `{"ref":"hold:1","note":"matrix"}`
	case "/api/credit/appeals/{id}":
		body = `{"status":"upheld","resolution":"matrix"}`
	case "/api/enterprises/{id}/apikeys":
		body = `{"role":"` + string(own.Roles[0]) + `"}`
	case "/api/enterprises/{id}/customs-codes":
		body = fmt.Sprintf(`{"code":"99019%05d","kind":"ebc"}`, own.ID*10+int64(len(role)))
	case "/api/enterprises/{id}/handlers":
		body = `{"handlerId":` + strconv.FormatInt(f.ents[tracegate.RoleLab].ID, 10) + `}`
	case "/api/apikeys/{id}":
		k, _, err := tracegate.IssueAPIKey(context.Background(), f.store, own, own.Roles[0], "matrix")
		if err != nil {
			t.Fatal(err)
		}
		return "/api/apikeys/" + strconv.FormatInt(k.ID, 10), ""
	}
	path = strings.ReplaceAll(path, "{id}", strconv.FormatInt(own.ID, 10))
	path = strings.ReplaceAll(path, "{handler}", strconv.FormatInt(f.ents[tracegate.RoleLab].ID, 10))
	if strings.Contains(path, "customs-codes/{code}") {
		path = strings.ReplaceAll(path, "{code}", "9902000000")
	}
	path = strings.ReplaceAll(path, "{code}", "invalid")
	path = strings.ReplaceAll(path, "{uscc}", own.USCC)
	path = strings.ReplaceAll(path, "{gtin}", "9421902960031")
	path = strings.ReplaceAll(path, "{path...}", "9421902960031")
	path = strings.ReplaceAll(path, "{eventID...}", "urn:uuid:nothing")
	path = strings.ReplaceAll(path, "{epc}", "urn:epc:id:sgtin:9506000.013435.1")
	path = strings.ReplaceAll(path, "{name}", "absent")
	path = strings.ReplaceAll(path, "{$}", "")
	return path, body
}

func TestCrossEnterpriseRevokeForbidden(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		k, _, err := tracegate.IssueAPIKey(context.Background(), s, f.ents[tracegate.RoleLab], tracegate.RoleLab, "")
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/apikeys/" + strconv.FormatInt(k.ID, 10)
		if w := f.do("DELETE", path, f.keys[tracegate.RolePlatform], "", ""); w.Code != 403 {
			t.Fatalf("platform revoking a lab key = %d, want 403", w.Code)
		}
		if w := f.do("DELETE", path, f.keys[tracegate.RoleLab], "", ""); w.Code != 204 {
			t.Fatalf("lab revoking its own key = %d %s, want 204", w.Code, w.Body)
		}
		if w := f.do("DELETE", path, f.keys[tracegate.RoleRegulator], "", ""); w.Code != 409 {
			t.Fatalf("revoking twice = %d, want 409", w.Code)
		}
	})
}

func TestRevokedKeyStopsAtOnce(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		e := f.ents[tracegate.RoleWarehouse]
		k, secret, _ := tracegate.IssueAPIKey(context.Background(), s, e, tracegate.RoleWarehouse, "")
		if w := f.do("GET", "/api/me", secret, "", ""); w.Code != 200 {
			t.Fatalf("fresh key = %d", w.Code)
		}
		if w := f.do("DELETE", "/api/apikeys/"+strconv.FormatInt(k.ID, 10), secret, "", ""); w.Code != 204 {
			t.Fatalf("self-revoke = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/me", secret, "", ""); w.Code != 401 {
			t.Fatalf("revoked key (cached before) = %d, want 401", w.Code)
		}
	})
}
