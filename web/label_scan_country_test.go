package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/label"
)

// TestScanDeclaredDepartureAndTransport scans labels dispatched under
// declarations received over HTTP: a direct-mail inventory (9610) from New
// Zealand (customs code 609) by air (trafMode 5) shows the country by name
// and the transport mode in items 14 and 16; a bonded inventory (1210,
// country 142 as the rules want) shows no departure country, and its
// trafMode as the exit from the zone (4, road) or, when a filer gave the
// code of the area (Y 保税港区), no transport mode but the area with the
// warehouse in item 20.
func TestScanDeclaredDepartureAndTransport(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, svc := customsFixture(t, s)
		f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: f.ledger.web, Customs: svc, Labels: f.labels})
		wh := f.keys[tracegate.RoleWarehouse]
		prod := f.fileProduct(t, "9421902960031")
		codes := f.requestLabels(t, wh, 3)
		intake := map[string]any{"codes": codes, "gtin": prod.GTIN, "batch": "LNZ26A", "productionDate": "2026-08-01",
			"expiryDate": "2028-01-31", "location": "urn:epc:id:sgln:6901234.00020.0"}
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake)); w.Code != http.StatusOK {
			t.Fatalf("intake = %d %s", w.Code, w.Body)
		}
		var decls []*customs.Declaration // clean ones: they pass and are released
		day := customs.GenerateDay(11, 60, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		for i := range day {
			if day[i].Fault == "" && len(decls) < 3 {
				decls = append(decls, &day[i])
			}
		}
		direct, bonded, area := decls[0], decls[1], decls[2]
		h := &direct.Inventory.Inventories[0].Head
		h.TradeMode, h.Country, h.TrafMode = customs.TradeModeDirect, "609", "5"
		area.Inventory.Inventories[0].Head.TrafMode = "Y"
		for i, d := range []*customs.Declaration{direct, bonded, area} {
			// goods leave the zone after release: the whole declaration, passed
			a := sendAll(t, f, d, allDocs)
			if dec := a.Documents[0].Decision; dec == nil || dec.Status != customs.OutcomePass {
				t.Fatalf("declaration %d: %+v, want passed", i, a.Documents[0].Decision)
			}
			ih := d.Inventory.Inventories[0].Head
			dispatch := map[string]any{"codes": codes[i : i+1], "ebpCode": ih.EbpCode, "orderNo": ih.OrderNo,
				"logisticsCode": ih.LogisticsCode, "waybillNo": ih.LogisticsNo}
			if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(dispatch)); w.Code != http.StatusOK {
				t.Fatalf("dispatch = %d %s", w.Code, w.Body)
			}
		}
		items := func(code, lang string) label.Items {
			req := httptest.NewRequest("GET", "/l/"+code+"?lang="+lang, nil)
			req.Header.Set("Accept", "application/json")
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Fatalf("scan = %d %s", w.Code, w.Body)
			}
			var v label.ScanView
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatalf("scan JSON: %v %s", err, w.Body)
			}
			return v.Items
		}
		for _, tc := range []struct {
			code, lang               string
			item14, item16, item20in string
		}{
			{codes[0], "zh", "新西兰 (NZ)", "航空运输", ""},
			{codes[0], "en", "New Zealand (NZ)", "Air", ""},
			{codes[1], "zh", "未记录", "公路运输（二线出区）", ""},
			{codes[1], "en", "not recorded", "Road (leaving the bonded zone)", ""},
			{codes[2], "zh", "未记录", "未记录", "区域 保税港区"},
			{codes[2], "en", "not recorded", "not recorded", "area Bonded port area"},
		} {
			it := items(tc.code, tc.lang)
			if it[13].Value != tc.item14 || it[15].Value != tc.item16 || !strings.Contains(it[19].Value, tc.item20in) {
				t.Errorf("scan (%s): item 14 %q, 16 %q, 20 %q; want %q, %q and 20 with %q",
					tc.lang, it[13].Value, it[15].Value, it[19].Value, tc.item14, tc.item16, tc.item20in)
			}
		}
	})
}
