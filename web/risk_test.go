package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/risk"
	"tracegate/store/storetest"
)

type webDrafter struct{ kinds []string }

func (d *webDrafter) DraftMeasure(_ context.Context, m risk.MeasureDraft) (string, error) {
	d.kinds = append(d.kinds, m.Kind+" "+m.Selector.GTIN+"/"+m.Selector.Batch)
	return "measure-" + strconv.Itoa(len(d.kinds)), nil
}

// riskFixture is the web fixture with risk monitoring and a product filed
// by the platform.
func riskFixture(t *testing.T, s Store) (*fixture, *risk.Service) {
	t.Helper()
	f := newFixture(t, s)
	svc, err := risk.NewService(context.Background(), s.(risk.Store), risk.ServiceConfig{})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Risk: svc})
	p := storetest.Product(f.ents[tracegate.RolePlatform].ID, "09421902960055")
	if _, err := s.SaveProducts(context.Background(), []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	return f, svc
}

func TestRiskSignalsAPI(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, svc := riskFixture(t, s)
		reg, lab, plat, wh := f.keys[tracegate.RoleRegulator], f.keys[tracegate.RoleLab], f.keys[tracegate.RolePlatform], f.keys[tracegate.RoleWarehouse]
		pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7 lab report"))
		exe := base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00 not a report"))
		big := base64.StdEncoding.EncodeToString(append([]byte("%PDF-"), make([]byte, risk.MaxAttachmentBytes)...))
		one := func(extra string) string {
			return `{"kind":"lab_test","selector":{"gtin":"9421902960055","batch":"B1"},"hazard":"microbial","severity":"high","title":"Cronobacter detected"` + extra + `}`
		}
		tests := []struct {
			name, key, ct, body string
			status              int
			want                string // in the body
		}{
			{"unknown kind", lab, "", strings.Replace(one(""), "lab_test", "rumour", 1), 400, `"/kind"`},
			{"unknown severity", lab, "", strings.Replace(one(""), `"high"`, `"grave"`, 1), 400, `"/severity"`},
			{"future", lab, "", one(`,"observedAt":"2099-01-01T00:00:00Z"`), 400, `"/observedAt"`},
			{"bad selector", lab, "", strings.Replace(one(""), "9421902960055", "9421902960056", 1), 400, `"/selector/gtin"`},
			{"no subject", lab, "", `{"kind":"inspection","selector":{"container":"urn:epc:id:sscc:0614141.1234567890"},"hazard":"other","severity":"low","title":"t"}`, 400, `"/selector"`},
			{"wrong type", lab, "", one(`,"attachments":[{"name":"r.pdf","data":"` + exe + `"}]`), 400, `"/attachments/0"`},
			{"oversized", lab, "", one(`,"attachments":[{"name":"r.pdf","data":"` + big + `"}]`), 400, "at most"},
			{"platform on another's goods", plat, "", strings.Replace(one(""), "9421902960055", "4006381333931", 1), 403, ""},
			{"warehouse may not", wh, "", one(""), 403, ""},
			{"list: second bad", lab, "", `{"signals":[` + one("") + `,` + strings.Replace(one(""), "high", "x", 1) + `]}`, 400, `"/signals/1/severity"`},
			{"csv bad row", reg, "text/csv", "kind,gtin,batch,hazard,severity,title\nlab_test,9421902960055,B1,microbial,high,ok\ncomplaint,9421902960055,B1,other,awful,bad\n", 400, `"/row/3/severity"`},
		}
		for _, tt := range tests {
			w := f.do("POST", "/api/risk/signals", tt.key, tt.ct, tt.body)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%s: POST /api/risk/signals = %d %s; want %d with %s", tt.name, w.Code, w.Body, tt.status, tt.want)
			}
		}
		if sigs, _ := svc.Signals(context.Background(), risk.SignalFilter{}); len(sigs) != 0 {
			t.Fatalf("refused requests stored %d signals", len(sigs))
		}

		// A failed lab result and two complaints on the batch.
		w := f.do("POST", "/api/risk/signals", lab, "", one(`,"source":"CIQ lab","attachments":[{"name":"r.pdf","data":"`+pdf+`"}]`))
		if w.Code != 201 {
			t.Fatalf("POST lab signal = %d %s", w.Code, w.Body)
		}
		var sig risk.Signal
		json.Unmarshal(w.Body.Bytes(), &sig)
		if len(sig.Attachments) != 1 || sig.Attachments[0].Type != "application/pdf" || len(sig.Subjects) != 6 {
			t.Fatalf("stored signal = %+v", sig)
		}
		if w := f.do("GET", "/api/risk/attachments/"+itoa64(sig.Attachments[0].ID), reg, "", ""); w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("GET attachment = %d %v", w.Code, w.Header())
		}
		csv := "kind,source,gtin,batch,hazard,severity,title\ncomplaint,consumer:a,9421902960055,B1,other,medium,lumps\ncomplaint,consumer:b,9421902960055,B1,other,medium,smell\n"
		if w := f.do("POST", "/api/risk/signals", reg, "text/csv", csv); w.Code != 201 || strings.Count(w.Body.String(), `"kind":"complaint"`) != 2 {
			t.Fatalf("POST CSV = %d %s", w.Code, w.Body)
		}
		// The platform reports a finding about its own goods.
		if w := f.do("POST", "/api/risk/signals", plat, "", `{"kind":"analytics","selector":{"gtin":"9421902960055"},"hazard":"labelling","severity":"low","title":"spec differs"}`); w.Code != 201 {
			t.Fatalf("platform's own finding = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/risk/signals?subject=batch:09421902960055/B1", reg, "", ""); w.Code != 200 || strings.Count(w.Body.String(), `"observedAt"`) != 3 {
			t.Fatalf("GET signals?subject=batch = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/risk/signals", plat, "", ""); strings.Count(w.Body.String(), `"observedAt"`) != 1 {
			t.Fatalf("the platform sees others' signals: %s", w.Body)
		}
		if w := f.do("GET", "/api/risk/signals/"+itoa64(sig.ID), plat, "", ""); w.Code != 404 {
			t.Fatalf("platform GET lab's signal = %d; want 404", w.Code)
		}
		if w := f.do("GET", "/api/risk/signals?subject=lot:1", reg, "", ""); w.Code != 400 {
			t.Fatalf("bad subject = %d", w.Code)
		}

		// Scores rise, with the signals listed.
		w = f.do("GET", "/api/risk/assessments/batch/09421902960055/B1", reg, "", "")
		var a risk.Assessment
		json.Unmarshal(w.Body.Bytes(), &a)
		if w.Code != 200 || a.Score != 8 || a.Level != risk.LevelWarning || len(a.Signals) != 3 {
			t.Fatalf("GET assessment(batch) = %d %s", w.Code, w.Body)
		}
		w = f.do("GET", "/api/risk/assessments?kind=gtin&limit=5", lab, "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"value":"09421902960055"`) || !strings.Contains(w.Body.String(), `"level":"warning"`) {
			t.Fatalf("GET assessments?kind=gtin = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/risk/assessments?kind=planet", lab, "", ""); w.Code != 400 {
			t.Fatalf("GET assessments?kind=planet = %d", w.Code)
		}

		// A warning is open; confirming needs a measures engine.
		w = f.do("GET", "/api/risk/warnings?status=open&subject=batch:09421902960055/B1", reg, "", "")
		var ws struct{ Warnings []risk.Warning }
		json.Unmarshal(w.Body.Bytes(), &ws)
		if w.Code != 200 || len(ws.Warnings) != 1 {
			t.Fatalf("GET warnings = %d %s", w.Code, w.Body)
		}
		id := itoa64(ws.Warnings[0].ID)
		if w := f.do("GET", "/api/risk/warnings/"+id, reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"why"`) {
			t.Fatalf("GET warning = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/risk/warnings/"+id+"/confirm", reg, "", `{"measure":"recall"}`); w.Code != 503 {
			t.Fatalf("confirm without measures = %d %s; want 503", w.Code, w.Body)
		}
		d := &webDrafter{}
		svc.SetDrafter(d)
		if w := f.do("POST", "/api/risk/warnings/"+id+"/confirm", reg, "", `{"measure":"sink"}`); w.Code != 400 {
			t.Fatalf("confirm(sink) = %d", w.Code)
		}
		if w := f.do("POST", "/api/risk/warnings/"+id+"/confirm", reg, "", `{"measure":"recall"}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"measure":"measure-1"`) {
			t.Fatalf("confirm = %d %s", w.Code, w.Body)
		}
		if len(d.kinds) != 1 || d.kinds[0] != "recall 09421902960055/B1" {
			t.Fatalf("drafts = %v", d.kinds)
		}
		if w := f.do("POST", "/api/risk/warnings/"+id+"/dismiss", reg, "", `{"reason":"late"}`); w.Code != 409 {
			t.Fatalf("dismiss a confirmed warning = %d", w.Code)
		}
		if w := f.do("POST", "/api/risk/warnings/"+itoa64(ws.Warnings[0].ID-1)+"/dismiss", reg, "", `{}`); w.Code != 400 {
			t.Fatalf("dismiss without reason = %d", w.Code)
		}
		if w := f.do("GET", "/api/risk/stock?gtin=9421902960055&batch=B1", reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"warehouses":[]`) {
			t.Fatalf("GET stock = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/risk/stock?gtin=123", plat, "", ""); w.Code != 400 {
			t.Fatalf("GET stock(bad gtin) = %d", w.Code)
		}
		if w := f.do("GET", "/api/risk/overview", reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"key":"lab_test"`) {
			t.Fatalf("GET overview = %d %s", w.Code, w.Body)
		}
		if w := f.do("PUT", "/api/risk/config", reg, "", `{"halfLifeDays":-1}`); w.Code != 400 {
			t.Fatalf("PUT bad config = %d", w.Code)
		}
	})
}
