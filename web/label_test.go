package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// requestLabels asks for n labels with key and returns their codes.
func (f *fixture) requestLabels(t *testing.T, key string, n int) []string {
	t.Helper()
	w := f.do("POST", "/api/labels/requests", key, "application/json", fmt.Sprintf(`{"count":%d,"caption":"a2 白金版"}`, n))
	if w.Code != http.StatusCreated || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" || w.Header().Get("Label-Request-Id") == "" {
		t.Fatalf("POST /api/labels/requests = %d %v %s", w.Code, w.Header(), w.Body)
	}
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(rows) != n+1 || rows[0][0] != "code" || rows[0][1] != "url" {
		t.Fatalf("label CSV = %d rows, %v", len(rows), err)
	}
	var codes []string
	for _, row := range rows[1:] {
		c, err := label.ParseCode(row[0])
		if err != nil || row[1] != "https://tg.example/l/"+c.Compact() {
			t.Fatalf("label row %v: %v", row, err)
		}
		codes = append(codes, row[0])
	}
	return codes
}

// fileProduct files gtin for the e-commerce enterprise of the fixture.
func (f *fixture) fileProduct(t *testing.T, gtin string) *tracegate.Product {
	t.Helper()
	p := storetest.Product(f.ents[tracegate.RoleEcommerce].ID, gtin)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SaveProducts(context.Background(), []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	storetest.ApproveProducts(t, f.store, f.ents[tracegate.RoleRegulator].ID, p)
	return p
}

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// problemDetails decodes a problem+json answer's details.
func problemDetails(t *testing.T, w *httptest.ResponseRecorder) map[string]string {
	t.Helper()
	var pb struct {
		Errors []tracegate.FieldError `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &pb); err != nil {
		t.Fatalf("problem %s: %v", w.Body, err)
	}
	out := map[string]string{}
	for _, e := range pb.Errors {
		out[e.Pointer] = e.Detail
	}
	return out
}

func TestLabelsEndToEnd(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		prod := f.fileProduct(t, "9421902960031")
		codes := f.requestLabels(t, wh, 6)

		// Printable sheets and single QR codes.
		w := f.do("POST", "/api/labels/requests", wh, "application/json", `{"count":30,"format":"pdf","layout":"a4"}`)
		if w.Code != http.StatusCreated || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
			t.Fatalf("PDF request = %d %.100s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/labels/requests", wh, "application/json", `{"count":0}`); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"/count"`) {
			t.Fatalf("count 0 = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/labels/"+codes[0]+"/qr?format=png&size=200", wh, "", ""); w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("QR PNG = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/labels/"+codes[0]+"/qr", f.keys[tracegate.RoleLogistics], "", ""); w.Code != http.StatusNotFound {
			t.Fatalf("QR of another enterprise's label = %d; want 404", w.Code)
		}

		// Intake, then dispatch, each all or nothing with reasons.
		intake := map[string]any{"codes": codes[:4], "gtin": prod.GTIN, "batch": "LNZ26A", "productionDate": "2026-08-01",
			"expiryDate": "2028-07-31", "location": "urn:epc:id:sgln:6901234.00020.0"}
		w = f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"bound":4`) {
			t.Fatalf("intake = %d %s", w.Code, w.Body)
		}
		intake["codes"] = []string{codes[4], codes[0], "not-a-code"}
		w = f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake))
		if w.Code != http.StatusBadRequest || problemDetails(t, w)["/codes/2"] == "" {
			t.Fatalf("intake with a malformed code = %d %s", w.Code, w.Body)
		}
		bad := map[string]any{"codes": codes[4:5], "gtin": "09421902960032", "batch": "a b"}
		w = f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(bad))
		if d := problemDetails(t, w); w.Code != http.StatusBadRequest || !strings.Contains(d["/gtin"], "check digit") || d["/batch"] == "" {
			t.Fatalf("intake with a bad GTIN and batch = %d %s", w.Code, w.Body)
		}
		intake["codes"] = []string{codes[4], codes[0]}
		w = f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake))
		if d := problemDetails(t, w); w.Code != http.StatusConflict || !strings.Contains(d["/codes/1"], "already bound") || len(d) != 1 {
			t.Fatalf("intake of a bound code = %d %s", w.Code, w.Body)
		}
		f.declareReleased(t, 0, "4401960001", "HG202611230001", "4401980002", "SF1234567890")
		dispatch := map[string]any{"codes": codes[:2], "ebpCode": "4401960001", "orderNo": "HG202611230001",
			"logisticsCode": "4401980002", "waybillNo": "SF1234567890"}
		if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(dispatch)); w.Code != http.StatusOK {
			t.Fatalf("dispatch = %d %s", w.Code, w.Body)
		}
		// Another enterprise's labels are answered as unknown ones (issue 11, finding 13).
		if w := f.do("POST", "/api/labels/dispatch", f.keys[tracegate.RoleEcommerce], "application/json", jsonBody(dispatch)); w.Code != http.StatusNotFound ||
			!strings.Contains(problemDetails(t, w)["/codes/0"], "not a code issued") {
			t.Fatalf("dispatch by another enterprise = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/labels/"+codes[0], wh, "", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"waybillNo":"SF1234567890"`) {
			t.Fatalf("GET label = %d %s", w.Code, w.Body)
		}
		f.publish(t)

		// The scan: anonymous JSON, twice.
		scan := func(code, key, accept string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", "/l/"+code+"?lat=23.13&lon=113.26", nil)
			req.RemoteAddr = "203.0.113.7:5555"
			req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
			req.Header.Set("Accept", accept)
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, req)
			return w
		}
		compact := strings.ReplaceAll(codes[0], "-", "")
		var view label.ScanView
		for i := 1; i <= 2; i++ {
			w := scan(strings.ToLower(compact), "", "application/json")
			if w.Code != http.StatusOK {
				t.Fatalf("scan = %d %s", w.Code, w.Body)
			}
			view = label.ScanView{}
			if err := json.Unmarshal(w.Body.Bytes(), &view); err != nil {
				t.Fatal(err)
			}
			if view.Authenticity.Status != label.AuthGenuine || view.Authenticity.ScanCount != i || view.Authenticity.FirstScan != (i == 1) {
				t.Fatalf("scan %d authenticity = %+v", i, view.Authenticity)
			}
		}
		if view.Authenticity.FirstScanPlace != "广州" || view.Restricted != nil || view.Proof.Status != label.ProofIncluded {
			t.Fatalf("anonymous view: %+v %+v %+v", view.Authenticity, view.Restricted, view.Proof)
		}
		if v := view.Items[0].Value; !strings.Contains(v, prod.NameZH) {
			t.Fatalf("item 1 = %q; want the product name", v)
		}
		for _, it := range view.Items {
			if strings.Contains(it.Value, "SF1234567890") {
				t.Fatalf("an anonymous view shows the full waybill number: %+v", it)
			}
		}
		var warehouseStep bool
		for _, st := range view.Timeline {
			warehouseStep = warehouseStep || st.Step == label.StepWarehouse && st.Recorded
		}
		if !warehouseStep {
			t.Fatalf("timeline %+v has no warehouse step from the intake", view.Timeline)
		}
		if w := scan(compact, f.keys[tracegate.RoleRegulator], "application/json"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"waybillNo":"SF1234567890"`) {
			t.Fatalf("regulator's view = %d %s", w.Code, w.Body)
		}
		if w := scan(compact, "", "application/linkset+json"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "verificationService") {
			t.Fatalf("linkset = %d %s", w.Code, w.Body)
		}

		if strings.Contains(f.logs.String(), compact) || strings.Contains(f.logs.String(), strings.ToLower(compact)) {
			t.Fatal("a label code reached the access log")
		}

		// The proof verifies offline and commits to the scanned code.
		w = f.do("GET", "/l/"+compact+"/proof", "", "", "")
		if w.Code != http.StatusOK {
			t.Fatalf("proof = %d %s", w.Code, w.Body)
		}
		v, err := ledger.VerifyInclusion(w.Body.Bytes(), f.ledger.vkey)
		c, _ := label.ParseCode(codes[0])
		if err != nil || v.Leaf == nil || v.Leaf.Kind != ledger.KindLabelIssuance || !v.Leaf.HasItem(c.Commitment()) {
			t.Fatalf("VerifyInclusion() = %+v, %v", v, err)
		}

		// Unknown codes: 404 alike, then 429 from the same network.
		other, _ := label.NewCode()
		for i := range 5 {
			if w := scan(other.Compact(), "", "application/json"); w.Code != http.StatusNotFound {
				t.Fatalf("unknown code %d = %d", i, w.Code)
			}
		}
		if w := scan("1234", "", "text/html"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("6th unknown code = %d %v", w.Code, w.Header())
		}
		// Past the limit a genuine code answers as an unknown one does: the
		// 429 tells nothing (issue 11, finding 14).
		if w := scan(compact, "", "text/html"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("a genuine code after the limit = %d; want 429 like an unknown one", w.Code)
		}
		m := f.do("GET", "/metrics", "", "", "").Body.String()
		for _, want := range []string{`tracegate_label_scans_total{verdict="genuine"} 4`, `tracegate_label_scans_total{verdict="unknown"} 5`,
			`tracegate_label_scans_total{verdict="rate_limited"} 2`} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}

		// A complaint with a photo, from the page.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("category", "quality")
		mw.WriteField("text", "罐子漏气")
		mw.WriteField("lang", "en")
		fw, _ := mw.CreateFormFile("photo", "p.png")
		fw.Write(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...))
		mw.Close()
		w = f.do("POST", "/l/"+compact+"/complaints", "", mw.FormDataContentType(), body.String())
		if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "complaint=sent") {
			t.Fatalf("complaint = %d %v %s", w.Code, w.Header(), w.Body)
		}
		w = f.do("POST", "/l/"+compact+"/complaints", "", "application/x-www-form-urlencoded", "category=nonsense&text=x")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "/category") {
			t.Fatalf("bad complaint = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/complaints", f.keys[tracegate.RoleRegulator], "", ""); w.Code != http.StatusOK ||
			!strings.Contains(w.Body.String(), "罐子漏气") || !strings.Contains(w.Body.String(), `"photoType":"image/png"`) {
			t.Fatalf("complaints = %d %s", w.Code, w.Body)
		}

		// A recall shows at once and refuses binding.
		hold := `{"kind":"recall","gtin":"` + prod.GTIN + `","batch":"LNZ26A","text":"召回：批次 LNZ26A","textEn":"Recall of batch LNZ26A"}`
		if w := f.do("POST", "/api/holds", f.keys[tracegate.RoleRegulator], "application/json", `{"kind":"recall","gtin":"123","text":"x"}`); w.Code != http.StatusBadRequest ||
			!strings.Contains(w.Body.String(), `"pointer":"/gtin"`) || strings.Contains(w.Body.String(), "internal") {
			t.Fatalf("hold on a bad GTIN = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/holds", f.keys[tracegate.RoleRegulator], "application/json", hold); w.Code != http.StatusCreated {
			t.Fatalf("hold = %d %s", w.Code, w.Body)
		}
		if w := f.scanFrom("/l/"+compact, "198.51.100.9:4000", "application/json"); !strings.Contains(w.Body.String(), `"kind":"recall"`) {
			t.Fatalf("scan under a recall = %s", w.Body)
		}
		dispatch["codes"] = []string{codes[2]}
		if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(dispatch)); w.Code != http.StatusConflict ||
			!strings.Contains(problemDetails(t, w)["/codes/0"], "recall") {
			t.Fatalf("dispatch under a recall = %d %s", w.Code, w.Body)
		}
	})
}

// TestScanPageLiveInBrowser opens the page the server answers for a label
// requested, bound at intake and dispatched through the API, in headless
// Chromium at phone size: the 21 items are there, and a screenshot is kept.
func TestScanPageLiveInBrowser(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("no Chromium on this machine (CI installs Debian's chromium)")
	}
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "live.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := newFixture(t, s)
	wh := f.keys[tracegate.RoleWarehouse]
	prod := f.fileProduct(t, "9421902960031")
	codes := f.requestLabels(t, wh, 1)
	if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(map[string]any{"codes": codes, "gtin": prod.GTIN,
		"batch": "LNZ2609", "productionDate": "2026-09-01", "expiryDate": "2028-08-31"})); w.Code != http.StatusOK {
		t.Fatalf("intake = %d %s", w.Code, w.Body)
	}
	f.declareReleased(t, 0, "4401960001", "HG202611230001", "4401980002", "SF1234567890")
	if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(map[string]any{"codes": codes, "ebpCode": "4401960001",
		"orderNo": "HG202611230001", "logisticsCode": "4401980002", "waybillNo": "SF1234567890"})); w.Code != http.StatusOK {
		t.Fatalf("dispatch = %d %s", w.Code, w.Body)
	}
	f.publish(t)
	srv := httptest.NewServer(f.srv)
	defer srv.Close()
	texts, png := browse(t, srv.URL+"/l/"+strings.ReplaceAll(codes[0], "-", ""), 390, 844, "[id^=item-]")
	if len(texts) != label.ItemCount {
		t.Fatalf("%d items on the page, want %d", len(texts), label.ItemCount)
	}
	for i, text := range texts {
		if text == "" {
			t.Errorf("item %d is not visible", i+1)
		}
	}
	if !strings.Contains(texts[0], prod.NameZH) || !strings.Contains(texts[6], "LNZ2609") {
		t.Errorf("items 1 and 7 show %q and %q", texts[0], texts[6])
	}
	t.Logf("screenshot: %s", saveArtifact(t, "scan-page-live-390x844.png", png))
}
