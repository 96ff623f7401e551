package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
)

// TestCustomsTableGet: a loaded table reads back as it was loaded, as JSON
// or as CSV; an unknown kind is 400, a kind never loaded 404 problem+json;
// only the regulator reads the tables.
func TestCustomsTableGet(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		reg := f.keys[tracegate.RoleRegulator]
		want := customs.DemoTables().TariffCSV
		w := f.do("GET", "/api/customs/tables/tariff", reg, "", "")
		var got struct {
			ID   int64
			Kind string
			Rows int
			CSV  string
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); w.Code != 200 || err != nil || got.Kind != "tariff" || got.CSV != want || got.Rows == 0 || got.ID == 0 {
			t.Fatalf("GET tariff = %d %s (%v)", w.Code, w.Body, err)
		}
		req := httptest.NewRequest("GET", "/api/customs/tables/tariff", nil)
		req.Header.Set("Authorization", "Bearer "+reg)
		req.Header.Set("Accept", "text/csv")
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.String() != want || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || rec.Header().Get("X-Table-Version") == "" {
			t.Fatalf("GET tariff as CSV = %d %v %q", rec.Code, rec.Header(), rec.Body)
		}
		for _, tc := range []struct {
			path, key string
			status    int
		}{
			{"/api/customs/tables/other", reg, 400},
			{"/api/customs/tables/hs-risk", reg, 404},
			{"/api/customs/tables/tariff", f.keys[tracegate.RoleEcommerce], 403},
			{"/api/customs/tables/tariff", "", 401},
		} {
			w := f.do("GET", tc.path, tc.key, "", "")
			if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") {
				t.Errorf("GET %s = %d %s %s, want %d problem+json", tc.path, w.Code, w.Header().Get("Content-Type"), w.Body, tc.status)
			}
		}
	})
}
