package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tracegate"
	"tracegate/measure"
)

// TestMeasureScope reads a recall's scope over HTTP as each party: the
// regulator and the owner see every item with its consignee in full, a
// holder its items masked, anyone else no measure at all.
func TestMeasureScope(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		codes := f.boundLabels(t, measureGTIN, 3, true) // filed by the e-commerce enterprise, bound and dispatched by the warehouse
		importer := f.ents[tracegate.RoleImporter]
		order := func(owner string) string {
			body := `{"kind":"recall","selector":{"gtin":"9421902960031","batch":"LNZ26A"},"owner":"` + owner +
				`","reason":"检出阪崎肠杆菌","reasonEn":"Cronobacter found"}`
			return decodeMeasure(t, f.measureDo(t, tracegate.RoleRegulator, "POST", "/api/measures", body, http.StatusCreated)).ID
		}
		id, byImporter := order(f.ents[tracegate.RoleEcommerce].USCC), order(importer.USCC)

		var sum measure.Summary
		if err := json.Unmarshal(f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+id+"/scope", "", 200).Body.Bytes(), &sum); err != nil {
			t.Fatal(err)
		}
		if sum.Measure != id || sum.Items != (measure.StatusCounts{Total: 3, Dispatched: 3}) || sum.Orders != 1 || sum.Consumers != 1 ||
			len(sum.Batches) != 1 || sum.Batches[0] != (measure.BatchCount{GTIN: measureGTIN, Batch: "LNZ26A", Items: 3}) ||
			len(sum.Warehouses) != 1 || sum.Done != 0 || sum.Percent != 0 || sum.AsOf.IsZero() {
			t.Fatalf("regulator's scope = %+v", sum)
		}

		csvRows := func(role tracegate.Role, id string) [][]string {
			t.Helper()
			w := f.measureDo(t, role, "GET", "/api/measures/"+id+"/scope?format=csv", "", 200)
			rows, err := csv.NewReader(w.Body).ReadAll()
			if err != nil || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
				!strings.Contains(w.Header().Get("Content-Disposition"), "scope-"+id+".csv") {
				t.Fatalf("CSV scope as %s: %v %v", role, w.Header(), err)
			}
			if !slices.Equal(rows[0], measure.ExportColumns) {
				t.Fatalf("CSV header = %v", rows[0])
			}
			return rows[1:]
		}
		// The columns the contract names, in its order, first.
		want := "gtin,product,batch,warehouse,status,ebp_code,order_no,logistics_code,waybill_no,consignee,consignee_phone,consignee_address"
		if got := strings.Join(measure.ExportColumns[:12], ","); got != want {
			t.Fatalf("export columns = %s; want %s first", got, want)
		}
		full := func(r []string) bool { return r[9] != "" && !strings.Contains(r[9]+r[10]+r[11], "*") }
		for _, c := range []struct {
			role tracegate.Role
			id   string
			full bool
		}{
			{tracegate.RoleRegulator, id, true},
			{tracegate.RoleEcommerce, id, true},        // owner and filer
			{tracegate.RoleImporter, byImporter, true}, // owner: must notify the buyers
			{tracegate.RoleWarehouse, id, false},       // holder: its own items, masked
		} {
			rows := csvRows(c.role, c.id)
			if len(rows) != 3 {
				t.Fatalf("%s reads %d rows of %s; want 3", c.role, len(rows), c.id)
			}
			for _, r := range rows {
				if r[0] != measureGTIN || r[2] != "LNZ26A" || r[4] != "dispatched" || r[6] != "HG202611230001" ||
					full(r) != c.full || !strings.HasPrefix(r[12], "urn:tracegate:label:") {
					t.Errorf("%s's row %v; want consignee in full %v", c.role, r, c.full)
				}
				for _, code := range codes {
					if strings.Contains(strings.Join(r, ","), code) {
						t.Errorf("%s's row %v shows a label code", c.role, r)
					}
				}
			}
			if !c.full && !strings.Contains(rows[0][10], "****") {
				t.Errorf("masked phone %q", rows[0][10])
			}
		}
		// The importer owns nothing of the other recall: it may not see it.
		f.measureDo(t, tracegate.RoleImporter, "GET", "/api/measures/"+id+"/scope", "", 404)
		f.measureDo(t, tracegate.RolePlatform, "GET", "/api/measures/"+id+"/scope?format=csv", "", 404)
		f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/M20990101-XXXXXXXX/scope", "", 404)

		w := f.measureDo(t, tracegate.RoleEcommerce, "GET", "/api/measures/"+id+"/scope?format=xlsx", "", 200)
		book, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := book.GetRows("scope")
		if err != nil || len(sheet) != 4 || strings.Join(sheet[0][:12], ",") != want || sheet[1][0] != measureGTIN {
			t.Fatalf("XLSX sheet = %v, %v", sheet, err)
		}
		for q, ptr := range map[string]string{"format=pdf": "/query/format", "gtin=1": "/query/gtin", "at=soon": "/query/at"} {
			if p := problemPointer(t, f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+id+"/scope?"+q, "", 400)); p != ptr {
				t.Errorf("?%s: pointer %q; want %q", q, p, ptr)
			}
		}
		// As of before the dispatch, the items are in stock.
		var before measure.Summary
		at := sum.AsOf.Add(-365 * 24 * time.Hour).Format(time.RFC3339)
		_ = json.Unmarshal(f.measureDo(t, tracegate.RoleRegulator, "GET", "/api/measures/"+id+"/scope?at="+at, "", 200).Body.Bytes(), &before)
		if before.Items.Total != 0 {
			t.Errorf("scope a year before = %+v; want nothing bound yet", before.Items)
		}
	})
}
