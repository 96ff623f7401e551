package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate"
)

// TestCaptureUniqueItemsHugeNumber: an epcList (uniqueItems in the EPCIS
// JSON Schema) of more than 20 numbers too large for big.Rat made the
// jsonschema library panic while hashing them, on the capture's schema
// goroutine, which no HTTP recovery reaches: one small request stopped the
// server. It is now a 400 problem, under both capture behaviours, and the
// server goes on capturing.
func TestCaptureUniqueItemsHugeNumber(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		list := "[" + strings.TrimSuffix(strings.Repeat("1e99999999,", 21), ",") + "]"
		for _, tt := range []struct{ name, body string }{
			{"epcList", epcisDocHead + `{"type":"ObjectEvent","eventTime":"2026-11-20T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":` + list + `,"action":"OBSERVE"}]}}`},
			{"@context", strings.Replace(epcisDocHead, `["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]`,
				strings.Replace(list, "1e99999999", `{"n":1e99999999}`, -1), 1) + shipEvent("U1") + `]}}`},
		} {
			for _, behaviour := range []string{"rollback", "proceed"} {
				t.Run(tt.name+"/"+behaviour, func(t *testing.T) {
					req := httptest.NewRequest("POST", "/epcis/capture", strings.NewReader(tt.body))
					req.Header.Set("Authorization", "Bearer "+wh)
					req.Header.Set("Content-Type", "application/ld+json")
					req.Header.Set("GS1-Capture-Error-Behaviour", behaviour)
					w := httptest.NewRecorder()
					f.srv.ServeHTTP(w, req)
					if w.Code != 400 || !strings.Contains(w.Body.String(), `"code":"invalid"`) {
						t.Fatalf("capture = %d %s; want a 400 invalid problem", w.Code, w.Body)
					}
				})
			}
		}
		if w := f.do("POST", "/epcis/capture", wh, "application/ld+json", epcisDocHead+shipEvent("U2")+`]}}`); w.Code != 202 {
			t.Fatalf("capture after the refusals = %d %s", w.Code, w.Body)
		}
	})
}
