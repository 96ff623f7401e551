package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate"
)

// boundLabels files gtin, requests n labels with the warehouse key and
// binds them at intake; when dispatch is set it also dispatches them. It
// returns the compact codes.
func (f *fixture) boundLabels(t *testing.T, gtin string, n int, dispatch bool) []string {
	t.Helper()
	wh := f.keys[tracegate.RoleWarehouse]
	prod := f.fileProduct(t, gtin)
	codes := f.requestLabels(t, wh, n)
	intake := map[string]any{"codes": codes, "gtin": prod.GTIN, "batch": "LNZ26A", "productionDate": "2026-08-01",
		"expiryDate": "2028-07-31", "location": "urn:epc:id:sgln:6901234.00020.0"}
	if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(intake)); w.Code != http.StatusOK {
		t.Fatalf("intake = %d %s", w.Code, w.Body)
	}
	if dispatch {
		// goods leave the zone under a released declaration of that order
		f.declareReleased(t, 0, "4401960001", "HG202611230001", "4401980002", "SF1234567890")
		d := map[string]any{"codes": codes, "ebpCode": "4401960001", "orderNo": "HG202611230001",
			"logisticsCode": "4401980002", "waybillNo": "SF1234567890"}
		if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(d)); w.Code != http.StatusOK {
			t.Fatalf("dispatch = %d %s", w.Code, w.Body)
		}
	}
	for i, c := range codes {
		codes[i] = strings.ReplaceAll(c, "-", "")
	}
	return codes
}

// scanFrom is an anonymous phone's lookup of path from remote (ip:port),
// answered in accept.
func (f *fixture) scanFrom(path, remote, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = remote
	req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
	req.Header.Set("Accept", accept)
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}
