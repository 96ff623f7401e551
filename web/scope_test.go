package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tracegate"
	"tracegate/measure"
)

func TestScopeGet(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh, reg := f.keys[tracegate.RoleWarehouse], f.keys[tracegate.RoleRegulator]
		prod := f.fileProduct(t, "9421902960031")
		codes := f.requestLabels(t, wh, 5)
		intake := map[string]any{"codes": codes[:4], "gtin": prod.GTIN, "batch": "LNZ26A", "productionDate": "2026-08-01",
			"location": "urn:epc:id:sgln:6901234.00020.0"}
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake)); w.Code != http.StatusOK {
			t.Fatalf("intake = %d %s", w.Code, w.Body)
		}
		f.declareReleased(t, 0, "4401960001", "HG202611230001", "4401980002", "SF1234567890")
		dispatch := map[string]any{"codes": codes[:2], "ebpCode": "4401960001", "orderNo": "HG202611230001",
			"logisticsCode": "4401980002", "waybillNo": "SF1234567890"}
		if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(dispatch)); w.Code != http.StatusOK {
			t.Fatalf("dispatch = %d %s", w.Code, w.Body)
		}
		lot := "/api/scope?gtin=" + prod.GTIN + "&batch=LNZ26A"
		w := f.do("GET", lot, reg, "", "")
		var sum measure.Summary
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &sum) != nil {
			t.Fatalf("GET scope = %d %s", w.Code, w.Body)
		}
		if sum.Items != (measure.StatusCounts{Total: 4, InStock: 2, Dispatched: 2}) || sum.Orders != 1 || sum.Consumers != 1 ||
			len(sum.Batches) != 1 || sum.Batches[0].Items != 4 || len(sum.Warehouses) != 1 {
			t.Fatalf("scope = %s", w.Body)
		}

		w = f.do("GET", lot+"&format=csv", reg, "", "")
		rows, err := csv.NewReader(w.Body).ReadAll()
		if w.Code != http.StatusOK || err != nil || len(rows) != 5 || strings.Join(rows[0], ",") !=
			"gtin,product,batch,warehouse,status,ebp_code,order_no,logistics_code,waybill_no,consignee,consignee_phone,consignee_address,label" {
			t.Fatalf("CSV scope = %d %v %v", w.Code, rows, err)
		}
		dispatched := 0
		for _, r := range rows[1:] {
			if r[4] == "dispatched" {
				dispatched++
				if r[6] != "HG202611230001" || r[8] != "SF1234567890" || r[9] == "" || strings.Contains(r[9]+r[10], "*") {
					t.Errorf("regulator's CSV row %v; want the order, waybill and consignee in full", r)
				}
			}
			if r[0] != prod.GTIN || r[2] != "LNZ26A" || !strings.HasPrefix(r[12], "urn:tracegate:label:") || strings.Contains(strings.Join(r, ","), codes[0]) {
				t.Errorf("CSV row %v", r)
			}
		}
		if dispatched != 2 {
			t.Errorf("CSV has %d dispatched rows; want 2", dispatched)
		}

		w = f.do("GET", lot+"&format=xlsx", reg, "", "")
		book, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if w.Code != http.StatusOK || err != nil {
			t.Fatalf("XLSX scope = %d %v", w.Code, err)
		}
		sheet, err := book.GetRows("scope")
		if err != nil || len(sheet) != 5 || sheet[0][0] != "gtin" || sheet[0][12] != "label" || sheet[1][0] != prod.GTIN {
			t.Fatalf("XLSX sheet = %v, %v", sheet, err)
		}

		// Bad input points at the parameter; others may not read it.
		for _, c := range []struct{ query, pointer string }{
			{"", "/query"},
			{"gtin=123", "/query/gtin"},
			{"batch=B1", "/query/batch"},
			{"origin=XX", "/query/origin"},
			{"container=" + url.QueryEscape("not an id"), "/query/container"},
			{"gtin=" + prod.GTIN + "&shoe=1", "/query/shoe"},
			{"gtin=" + prod.GTIN + "&format=pdf", "/query/format"},
			{"gtin=" + prod.GTIN + "&at=yesterday", "/query/at"},
		} {
			checkProblem(t, f.do("GET", "/api/scope?"+c.query, reg, "", ""), http.StatusBadRequest, c.pointer)
		}
		if w := f.do("GET", lot, f.keys[tracegate.RoleEcommerce], "", ""); w.Code != http.StatusForbidden {
			t.Fatalf("scope by an enterprise = %d; want 403", w.Code)
		}
	})
}
