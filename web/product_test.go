package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"tracegate"
)

func TestProductScenarios(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ecom, reg, lab := f.keys[tracegate.RoleEcommerce], f.keys[tracegate.RoleRegulator], f.keys[tracegate.RoleLab]
		ecomUSCC, platUSCC := f.ents[tracegate.RoleEcommerce].USCC, f.ents[tracegate.RolePlatform].USCC
		good := `{"gtin":"9421902960031","name":"a2 Platinum Stage 1","nameZh":"a2 白金 1段","brand":"a2","specification":"900g","hsCode":"1901.10.10.00","originCountry":"nz","manufacturer":"Synlait Milk"}`
		csvHeader := "gtin,name,name_zh,brand,specification,hs_code,origin_country,manufacturer,filing_number,owner_uscc\n"
		// approveShiseido has the regulator approve the Shiseido filing with
		// the number its owner proposed: only then is the number taken.
		approveShiseido := func(t *testing.T) {
			var got struct{ Filings []tracegate.Product }
			w := f.do("GET", "/api/products/4901234567894", ecom, "", "")
			if json.Unmarshal(w.Body.Bytes(), &got) != nil || len(got.Filings) != 1 {
				t.Fatalf("the Shiseido filing: %d %s", w.Code, w.Body)
			}
			if w := f.do("POST", "/api/filings/"+strconv.FormatInt(got.Filings[0].ID, 10)+"/review", reg, "application/json", `{"status":"approved"}`); w.Code != 200 {
				t.Fatalf("approve = %d %s", w.Code, w.Body)
			}
		}
		setups := map[string]func(*testing.T){"csv duplicate filing number": approveShiseido}
		tests := []struct {
			name, method, path, key, ct, body string
			status                            int
			content, pointer                  string
		}{
			{"file", "POST", "/api/products", ecom, "application/json", good, 201, `"gtin":"09421902960031"`, ""},
			{"file again updates", "POST", "/api/products", ecom, "application/json", good, 200, `"hsCode":"1901101000"`, ""},
			{"bad gtin", "POST", "/api/products", ecom, "application/json", strings.Replace(good, "960031", "960032", 1), 400, "check digit", "/gtin"},
			{"bad origin", "POST", "/api/products", ecom, "application/json", strings.Replace(good, `"nz"`, `"New Zealand"`, 1), 400, "", "/originCountry"},
			{"for another enterprise", "POST", "/api/products", ecom, "application/json", strings.Replace(good, `{`, `{"ownerUscc":"`+platUSCC+`",`, 1), 403, "", ""},
			{"regulator without owner", "POST", "/api/products", reg, "application/json", good, 400, "", "/ownerUscc"},
			{"regulator for platform", "POST", "/api/products", reg, "application/json", strings.Replace(good, `{`, `{"ownerUscc":"`+platUSCC+`",`, 1), 201, platUSCC, ""},
			{"lab may not file", "POST", "/api/products", lab, "application/json", good, 403, "", ""},
			{"own filing", "GET", "/api/products/9421902960031", ecom, "", "", 200, ecomUSCC, ""},
			{"regulator sees both", "GET", "/api/products/09421902960031", reg, "", "", 200, platUSCC, ""},
			{"lab sees none", "GET", "/api/products/9421902960031", lab, "", "", 404, "", ""},
			{"bad gtin path", "GET", "/api/products/123", ecom, "", "", 400, "", "/gtin"},
			{"csv import", "POST", "/api/products/import", ecom, "text/csv", csvHeader +
				"4901234567894,Shiseido Cream,资生堂面霜,Shiseido,50ml,3304990099,JP,Shiseido Co Ltd,GZ2026-0001,\n" +
				"9421902960031,a2 Platinum Stage 1,a2 白金 1段,a2,800g,1901101000,NZ,Synlait Milk,,\n", 200, `"created":1`, ""},
			{"csv bad cell", "POST", "/api/products/import", ecom, "text/csv", csvHeader +
				"4006381333931,Nivea,妮维雅,Nivea,50ml,3304990099,DE,Beiersdorf,,\n" +
				"4006381333932,Nivea,妮维雅,Nivea,50ml,3304990099,DE,Beiersdorf,,\n", 400, "line 3", "/rows/3/gtin"},
			{"csv unknown column", "POST", "/api/products/import", ecom, "text/csv", "gtin,colour\n", 400, "colour", "/rows/1/2"},
			{"csv missing column", "POST", "/api/products/import", ecom, "text/csv", "gtin,name\n", 400, "missing", "/rows/1"},
			{"csv owner mismatch", "POST", "/api/products/import", ecom, "text/csv", csvHeader +
				"4006381333931,Nivea,妮维雅,Nivea,50ml,3304990099,DE,Beiersdorf,," + platUSCC + "\n", 403, "", ""},
			{"csv duplicate filing number", "POST", "/api/products/import", reg, "text/csv", csvHeader +
				"4006381333931,Nivea,妮维雅,Nivea,50ml,3304990099,DE,Beiersdorf,GZ2026-0001," + platUSCC + "\n", 409, "", "/filingNumber"},
			{"csv wrong content type", "POST", "/api/products/import", ecom, "application/json", "{}", 415, "", ""},
			{"list own", "GET", "/api/products", ecom, "", "", 200, "Shiseido", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if setup := setups[tt.name]; setup != nil {
					setup(t)
				}
				w := f.do(tt.method, tt.path, tt.key, tt.ct, tt.body)
				if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.content) {
					t.Fatalf("%s %s = %d %s; want %d containing %q", tt.method, tt.path, w.Code, w.Body, tt.status, tt.content)
				}
				if w.Code >= 400 {
					checkProblem(t, w, tt.status, tt.pointer)
				}
			})
		}
		// The refused imports stored nothing: the e-commerce enterprise has
		// exactly its two filings, the platform one.
		var list struct{ Products []tracegate.Product }
		w := f.do("GET", "/api/products", reg, "", "")
		json.Unmarshal(w.Body.Bytes(), &list)
		if len(list.Products) != 3 {
			t.Fatalf("after the scenarios: %d filings, want 3: %s", len(list.Products), w.Body)
		}
	})
}
