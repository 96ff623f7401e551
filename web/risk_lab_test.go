package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/storetest"
)

func TestRiskLabAPI(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, svc := riskFixture(t, s)
		ctx := context.Background()
		reg, lab, plat := f.keys[tracegate.RoleRegulator], f.keys[tracegate.RoleLab], f.keys[tracegate.RolePlatform]
		e := &tracegate.Enterprise{USCC: storetest.USCC(1090), Name: "另一实验室", Roles: []tracegate.Role{tracegate.RoleLab}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		_, other, err := tracegate.IssueAPIKey(ctx, s, e, tracegate.RoleLab, "")
		if err != nil {
			t.Fatal(err)
		}
		labUSCC := f.ents[tracegate.RoleLab].USCC
		order := `{"gtin":"09421902960055","batch":"B1","items":6,"tests":["Cronobacter","melamine"],"purpose":"pre_listing","lab":"` + labUSCC + `"}`
		for _, tt := range []struct{ body, ptr string }{
			{strings.Replace(order, `"items":6`, `"items":0`, 1), `"/items"`},
			{strings.Replace(order, `"melamine"`, `"Cronobacter"`, 1), `"/tests/1"`},
			{strings.Replace(order, labUSCC, f.ents[tracegate.RoleRegulator].USCC, 1), `"/lab"`},
			{strings.Replace(order, `"B1"`, `""`, 1), `"/batch"`},
		} {
			if w := f.do("POST", "/api/risk/lab-orders", reg, "", tt.body); w.Code != 400 || !strings.Contains(w.Body.String(), tt.ptr) {
				t.Errorf("POST lab order = %d %s; want 400 at %s", w.Code, w.Body, tt.ptr)
			}
		}
		w := f.do("POST", "/api/risk/lab-orders", reg, "", order)
		var o risk.LabOrder
		if json.Unmarshal(w.Body.Bytes(), &o); w.Code != 201 || o.ID == 0 || o.Lab != labUSCC || o.Status != risk.LabOrdered {
			t.Fatalf("POST lab order = %d %s", w.Code, w.Body)
		}
		id := itoa64(o.ID)
		if w := f.do("GET", "/api/risk/lab-orders/"+id, plat, "", ""); w.Code != 404 {
			t.Fatalf("GET another's lab order = %d; want 404", w.Code)
		}
		if w := f.do("GET", "/api/risk/lab-orders", lab, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"id":`+id) {
			t.Fatalf("GET lab orders (lab) = %d %s", w.Code, w.Body)
		}
		pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7 CNAS report"))
		png := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nphoto"))
		failed := `{"results":[{"test":"Cronobacter","passed":false,"hazard":"microbial","severity":"serious","detail":"2 of 6","report":{"name":"r.pdf","data":"` + pdf + `"}}]}`
		if w := f.do("POST", "/api/risk/lab-orders/"+id+"/results", other, "", failed); w.Code != 404 {
			t.Fatalf("results by another lab = %d; want 404", w.Code)
		}
		if w := f.do("POST", "/api/risk/lab-orders/"+id+"/results", lab, "", strings.Replace(failed, pdf, png, 1)); w.Code != 400 || !strings.Contains(w.Body.String(), `"/results/0/report/data"`) {
			t.Fatalf("results with a PNG report = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/risk/lab-orders/"+id+"/results", lab, "", strings.Replace(failed, `"serious"`, `"grave"`, 1)); w.Code != 400 || !strings.Contains(w.Body.String(), `"/results/0/severity"`) {
			t.Fatalf("results with a bad severity = %d %s", w.Code, w.Body)
		}
		if sigs, _ := svc.Signals(ctx, risk.SignalFilter{}); len(sigs) != 0 {
			t.Fatalf("refused results stored %d signals", len(sigs))
		}
		w = f.do("POST", "/api/risk/lab-orders/"+id+"/results", lab, "", failed)
		if json.Unmarshal(w.Body.Bytes(), &o); w.Code != 201 || len(o.Results) != 1 || o.Results[0].Signal == 0 {
			t.Fatalf("POST results = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/risk/lab-orders/"+id+"/results", lab, "", failed); w.Code != 409 {
			t.Fatalf("POST results again = %d; want 409", w.Code)
		}
		if w := f.do("GET", "/api/risk/signals/"+itoa64(o.Results[0].Signal), reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"kind":"lab_test"`) ||
			!strings.Contains(w.Body.String(), `"severity":"serious"`) {
			t.Fatalf("GET the result's signal = %d %s", w.Code, w.Body)
		}
		rep := "/api/risk/lab-orders/" + id + "/reports/" + itoa64(o.Results[0].Report.ID)
		if w := f.do("GET", rep, reg, "", ""); w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("GET report = %d %v", w.Code, w.Header())
		}
		if w := f.do("GET", rep, other, "", ""); w.Code != 404 {
			t.Fatalf("GET report (another lab) = %d", w.Code)
		}
		if w := f.do("GET", "/api/risk/assessments/batch/09421902960055/B1", reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"kind":"lab_test"`) {
			t.Fatalf("the batch's assessment = %d %s", w.Code, w.Body)
		}

		if w := f.do("PUT", "/api/risk/pre-listing", plat, "", `{}`); w.Code != 400 {
			t.Fatalf("PUT pre-listing {} = %d", w.Code)
		}
		if w := f.do("PUT", "/api/risk/pre-listing", plat, "", `{"required":true}`); w.Code != 200 {
			t.Fatalf("PUT pre-listing = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/risk/pre-listing", plat, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"required":true`) {
			t.Fatalf("GET pre-listing = %d %s", w.Code, w.Body)
		}
	})
}
