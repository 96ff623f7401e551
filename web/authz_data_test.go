package web

import (
	"net/http"
	"strings"
	"testing"

	"tracegate"
)

// TestDataAuthorizationMatrix is the data-level part of the authorization
// matrix (issue 11): for one label requested by a seller, bound and
// dispatched by the warehouse it authorised against a released
// declaration, who sees the declaration (GET /api/customs/inventories),
// the buyer on the scan page, and the label (GET /api/labels/{code}).
// Parties are found through their confirmed customs codes, never through
// having sent or bound something.
func TestDataAuthorizationMatrix(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ec, wh := f.keys[tracegate.RoleEcommerce], f.keys[tracegate.RoleWarehouse]
		prod := f.fileProduct(t, "9421902960031")
		codes := f.requestLabels(t, ec, 1)
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(map[string]any{"codes": codes, "gtin": prod.GTIN, "batch": "B1"})); w.Code != http.StatusOK {
			t.Fatalf("intake = %d %s", w.Code, w.Body)
		}
		d := f.declareReleased(t, 3, "", "", "", "")
		h := d.Inventory.Inventories[0].Head
		dispatch := map[string]any{"codes": codes, "ebpCode": h.EbpCode, "orderNo": h.OrderNo, "logisticsCode": h.LogisticsCode, "waybillNo": h.LogisticsNo}
		if w := f.do("POST", "/api/labels/dispatch", wh, "application/json", jsonBody(dispatch)); w.Code != http.StatusOK {
			t.Fatalf("dispatch = %d %s", w.Code, w.Body)
		}
		_, stranger := f.newEnterprise(t, 5, tracegate.RoleEcommerce, attackerCodes...)
		for _, c := range []struct {
			who, key string
			decl     int
			buyer    bool
			label    int
		}{
			{"anonymous", "", 401, false, 401},
			{"platform (ebpCode)", f.keys[tracegate.RolePlatform], 200, true, 404},
			{"e-commerce enterprise (ebcCode, label requester)", ec, 200, true, 200},
			{"logistics firm (logisticsCode)", f.keys[tracegate.RoleLogistics], 200, false, 404},
			{"warehouse (areaCode, label holder)", wh, 200, false, 200},
			{"payment company (payCode)", f.keys[tracegate.RolePayment], 200, false, 404},
			{"manufacturer (no customs role)", f.keys[tracegate.RoleManufacturer], 403, false, 404},
			{"unrelated seller", stranger, 404, false, 404},
			{"regulator", f.keys[tracegate.RoleRegulator], 200, true, 200},
		} {
			t.Run(c.who, func(t *testing.T) {
				if w := f.do("GET", "/api/customs/inventories?ebpCode="+h.EbpCode+"&orderNo="+h.OrderNo, c.key, "", ""); w.Code != c.decl {
					t.Errorf("declaration: %d %s; want %d", w.Code, w.Body, c.decl)
				}
				v := scanAs(t, f, codes[0], c.key)
				if got := v.Restricted != nil && v.Restricted.BuyerName != ""; got != c.buyer {
					t.Errorf("buyer on the scan page shown = %v (%+v); want %v", got, v.Restricted, c.buyer)
				}
				if c.buyer && !strings.Contains(v.Restricted.BuyerName, h.BuyerName) {
					t.Errorf("buyer shown = %q; want %q", v.Restricted.BuyerName, h.BuyerName)
				}
				if w := f.do("GET", "/api/labels/"+codes[0], c.key, "", ""); w.Code != c.label {
					t.Errorf("label: %d %s; want %d", w.Code, w.Body, c.label)
				}
			})
		}
	})
}
