package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/store/storetest"
)

// TestCustomsMessageCountryCode refuses, over HTTP, an order whose goods
// line gives a country that the customs country table (国别(地区)代码表)
// lacks, with a problem that points at the field; a real code passes.
func TestCustomsMessageCountryCode(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := customs.GenerateDay(5, 1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))[0]
		for i := range d.Order.Orders[0].Lines {
			d.Order.Orders[0].Lines[i].Country = "000"
		}
		bad := string(storetest.CustomsMessages(t, &d)[customs.DocOrder])
		w := f.do("POST", "/api/customs/messages", f.keys[tracegate.RolePlatform], "application/xml", bad)
		var p struct {
			Code    string `json:"code"`
			Pointer string `json:"pointer"`
			Detail  string `json:"detail"`
		}
		if w.Code != 400 || json.Unmarshal(w.Body.Bytes(), &p) != nil || p.Code != tracegate.EINVALID ||
			!strings.HasSuffix(p.Pointer, "/OrderList[1]/country") || !strings.Contains(p.Detail, "customs country table") {
			t.Fatalf("order with country 000 = %d %s; want 400 pointing at the line's country", w.Code, w.Body)
		}
		for i := range d.Order.Orders[0].Lines {
			d.Order.Orders[0].Lines[i].Country = "609"
		}
		postMessage(t, f, tracegate.RolePlatform, storetest.CustomsMessages(t, &d)[customs.DocOrder])
	})
}
