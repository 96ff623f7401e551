package web

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"tracegate"
)

func TestResolver(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		w := f.do("POST", "/api/products", f.keys[tracegate.RoleEcommerce], "application/json",
			`{"gtin":"09506000134352","name":"Manuka Honey UMF 10+","nameZh":"麦卢卡蜂蜜 UMF 10+","brand":"Comvita","specification":"250g","hsCode":"0409000000","originCountry":"NZ","manufacturer":"Comvita NZ Ltd"}`)
		if w.Code != 201 {
			t.Fatalf("file product: %d %s", w.Code, w.Body)
		}
		// Submitted, the filing is not public yet: the resolver knows no such
		// product until a regulator approves it.
		if w := f.do("GET", "/01/09506000134352", "", "", ""); w.Code != 404 {
			t.Fatalf("resolver on a filing not yet approved = %d %s, want 404", w.Code, w.Body)
		}
		var filed tracegate.Product
		json.Unmarshal(w.Body.Bytes(), &filed)
		if w := f.do("POST", "/api/filings/"+strconv.FormatInt(filed.ID, 10)+"/review", f.keys[tracegate.RoleRegulator],
			"application/json", `{"status":"approved","filingNumber":"GZ2026-004352"}`); w.Code != 200 {
			t.Fatalf("approve: %d %s", w.Code, w.Body)
		}
		tests := []struct {
			name, path, accept string
			status             int
			ctype, content     string
			pointer            string
		}{
			{"default link is the product page", "/01/09506000134352", "text/html", 200, "text/html", "麦卢卡蜂蜜", ""},
			{"english", "/01/09506000134352?linkType=gs1:pip&lang=en", "", 200, "text/html", "Manuka Honey", ""},
			{"json", "/01/09506000134352?linkType=gs1:pip", "application/json", 200, "application/json", `"brand":"Comvita"`, ""},
			{"gtin-13 in the path", "/01/9506000134352", "application/json", 200, "application/json", `"gtin":"09506000134352"`, ""},
			{"linkset by accept", "/01/09506000134352", "application/linkset+json", 200, "application/linkset+json", `"https://gs1.org/voc/pip"`, ""},
			{"linkset by linkType", "/01/09506000134352?linkType=all", "", 200, "application/linkset+json", `"anchor":"https://tg.example/01/09506000134352"`, ""},
			{"full link type URI", "/01/09506000134352?linkType=https://gs1.org/voc/pip", "application/json", 200, "application/json", "Comvita", ""},
			{"absent link type", "/01/09506000134352?linkType=gs1:recallStatus", "", 404, "application/problem+json", "available: gs1:pip", ""},
			{"bad check digit", "/01/09506000134353", "", 400, "application/problem+json", "check-digit", "/01"},
			{"qualifier out of order", "/01/09506000134352/21/ABC/10/LOT1", "", 400, "application/problem+json", "", "/10"},
			{"bad date attribute", "/01/09506000134352?17=261340", "", 400, "application/problem+json", "(17)", "/17"},
			{"unknown gtin", "/01/09421902960031", "", 404, "application/problem+json", "no product", ""},
			{"a brand's serialised link resolves to its product", "/01/09506000134352/21/ABC", "application/json", 200, "application/json", `"brand":"Comvita"`, ""},
			{"and its linkset is anchored at the item", "/01/09506000134352/10/LOT1/21/ABC?linkType=all", "", 200, "application/linkset+json", `"anchor":"https://tg.example/01/09506000134352/10/LOT1/21/ABC"`, ""},
			{"serialised item of an unknown gtin", "/01/09421902960031/21/ABC", "", 404, "application/problem+json", "no product", ""},
			{"sscc", "/00/106141411234567897", "", 404, "application/problem+json", "", ""},
			{"gln", "/414/9520123456788", "", 404, "application/problem+json", "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := httptest.NewRequest("GET", "http://tracegate.test"+tt.path, nil)
				if tt.accept != "" {
					req.Header.Set("Accept", tt.accept)
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				if w.Code != tt.status || !strings.HasPrefix(w.Header().Get("Content-Type"), tt.ctype) || !strings.Contains(w.Body.String(), tt.content) {
					t.Fatalf("GET %s = %d %s %s; want %d %s containing %q", tt.path, w.Code, w.Header().Get("Content-Type"), w.Body, tt.status, tt.ctype, tt.content)
				}
				if w.Code >= 400 {
					checkProblem(t, w, tt.status, tt.pointer)
				}
				if tt.ctype == "application/linkset+json" {
					var ls struct{ Linkset []map[string]json.RawMessage }
					if err := json.Unmarshal(w.Body.Bytes(), &ls); err != nil || len(ls.Linkset) != 1 {
						t.Fatalf("linkset %s: %v", w.Body, err)
					}
				}
			})
		}
	})
}
