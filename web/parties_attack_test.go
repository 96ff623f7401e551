package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
	"tracegate/label"
	"tracegate/store/storetest"
)

// The attacks of issue 11 (findings 1, 2, 11 and 13), each tried with an
// ordinary key of an enterprise that registered its own customs codes.

// attackerCodes are the confirmed codes of the attacking enterprise: its
// own platform and e-commerce registrations, no party of the victims'.
var attackerCodes = []tracegate.CustomsCode{{Code: "5101980001", Kind: tracegate.CodeEbp}, {Code: "5101960001", Kind: tracegate.CodeEbc}}

// victimOrder declares the clean generated declaration n through the
// fixture's parties and checks that it passed.
func victimOrder(t *testing.T, f *fixture, n int) *customs.Declaration {
	t.Helper()
	d := storetest.GenerateFault(n, "")
	sendAll(t, f, d, allDocs)
	if got := getDecision(t, f, d); got.Status != customs.OutcomePass {
		t.Fatalf("the victim's declaration = %+v; want pass", got)
	}
	return d
}

// TestAttackCancelAnotherPlatformsOrder: a CEB623 naming another
// platform's cleared order does not cancel it, under the victim's codes or
// under the attacker's own.
func TestAttackCancelAnotherPlatformsOrder(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := victimOrder(t, f, 8)
		_, attacker := f.newEnterprise(t, 1, tracegate.RolePlatform, attackerCodes...)

		// Under the victim's codes: refused, pointing at copCode.
		c := storetest.CancelMessage(d, "C3000000-0000-4000-8000-000000000623")
		body, _ := customs.Marshal(c)
		w := f.do("POST", "/api/customs/messages", attacker, "application/xml", string(body))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"pointer":"/CEB623Message/BaseTransfer/copCode"`) {
			t.Fatalf("cancel under the victim's copCode = %d %s; want 400 at copCode", w.Code, w.Body)
		}
		// Under its own codes, naming the victim's order: answered as an
		// order never declared, and nothing changes.
		c.GUID, c.Cancels[0].GUID = "C3000000-0000-4000-8000-000000000624", "C3000000-0000-4000-8000-000000000624"
		c.Transfer.BaseTransfer.CopCode, c.Cancels[0].EbcCode, c.Cancels[0].AgentCode = "5101960001", "5101960001", "5101960001"
		body, _ = customs.Marshal(c)
		w = f.do("POST", "/api/customs/messages", attacker, "application/xml", string(body))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "nothing cancelled") || strings.Contains(w.Body.String(), `"decision"`) {
			t.Fatalf("cancel of another platform's order = %d %s; want it refused as unknown", w.Code, w.Body)
		}
		if got := getDecision(t, f, d); got.Status != customs.OutcomePass {
			t.Fatalf("after another platform's cancel the decision is %s; want still pass", got.Status)
		}
		// The declarant itself still can.
		c = storetest.CancelMessage(d, "C3000000-0000-4000-8000-000000000625")
		body, _ = customs.Marshal(c)
		if a := postMessage(t, f, tracegate.RoleEcommerce, body); a.Documents[0].Decision == nil || a.Documents[0].Decision.Status != customs.OutcomeCancelled {
			t.Fatalf("the declarant's cancel = %+v", a.Documents[0])
		}
	})
}

// TestAttackReplaceAnotherPlatformsOrder: a CEB311 with another platform's
// ebpCode and order number neither replaces the stored order nor answers
// the victim's consignee or payer.
func TestAttackReplaceAnotherPlatformsOrder(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := victimOrder(t, f, 9)
		_, attacker := f.newEnterprise(t, 1, tracegate.RolePlatform, attackerCodes...)
		o := d.Order.Orders[0].Head
		pay := d.Payment.Payments[0].Head
		secrets := []string{o.Consignee, o.ConsigneeTelephone, o.ConsigneeAddress, o.BuyerName, pay.PayerName}

		fake := *d.Order
		fake.Orders = []customs.Order{d.Order.Orders[0]}
		fake.GUID = "C4000000-0000-4000-8000-000000000311"
		fake.Orders[0].Head.GUID = fake.GUID
		fake.Orders[0].Head.Consignee = "攻击者"
		// The victim's ebpCode and ebcCode: refused at the document's party.
		fake.Transfer.BaseTransfer.CopCode = "5101960001"
		body, _ := customs.Marshal(&fake)
		w := f.do("POST", "/api/customs/messages", attacker, "application/xml", string(body))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `/OrderHead/ebpCode"`) {
			t.Fatalf("order under the victim's codes = %d %s; want 400 at ebpCode", w.Code, w.Body)
		}
		// The attacker's own ebcCode on the victim's platform and order
		// number: the stored order is not replaced.
		fake.Orders[0].Head.EbcCode = "5101960001"
		body, _ = customs.Marshal(&fake)
		w = f.do("POST", "/api/customs/messages", attacker, "application/xml", string(body))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "not replaced") {
			t.Fatalf("order replacing another's = %d %s; want 409", w.Code, w.Body)
		}
		for _, v := range secrets {
			if strings.Contains(w.Body.String(), v) {
				t.Fatalf("the answer to the attacker holds the victim's %q: %s", v, w.Body)
			}
		}
		if got := getDecision(t, f, d); got.Status != customs.OutcomePass {
			t.Fatalf("after the attacker's order the decision is %+v; want still pass", got)
		}
	})
}

// TestAttackInventoriesOracle: an order that exists but the caller may not
// see and one that does not exist get the same answer (finding 11).
func TestAttackInventoriesOracle(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := victimOrder(t, f, 10)
		_, attacker := f.newEnterprise(t, 1, tracegate.RolePlatform, attackerCodes...)
		h := d.Inventory.Inventories[0].Head
		reqID := regexp.MustCompile(`"requestId":"[^"]*"`)
		answer := func(orderNo string) (int, string) {
			w := f.do("GET", "/api/customs/inventories?ebpCode="+h.EbpCode+"&orderNo="+orderNo, attacker, "", "")
			return w.Code, reqID.ReplaceAllString(strings.ReplaceAll(w.Body.String(), orderNo, "…"), "")
		}
		c1, b1 := answer(h.OrderNo)
		c2, b2 := answer(h.OrderNo + "9")
		if c1 != http.StatusNotFound || c1 != c2 || b1 != b2 {
			t.Fatalf("existing order: %d %s; unknown order: %d %s; want one answer", c1, b1, c2, b2)
		}
		// The parties see it, through their codes, with no personal data
		// in the reasons; the regulator sees all.
		for _, role := range []tracegate.Role{tracegate.RolePlatform, tracegate.RoleEcommerce, tracegate.RoleLogistics, tracegate.RoleWarehouse, tracegate.RoleRegulator} {
			if w := f.do("GET", "/api/customs/inventories?ebpCode="+h.EbpCode+"&orderNo="+h.OrderNo, f.keys[role], "", ""); w.Code != http.StatusOK {
				t.Errorf("%s, a party, = %d %s", role, w.Code, w.Body)
			}
		}
	})
}

// TestAttackRedactedReasons: a refused consignee match quotes the
// consignee only to the regulator.
func TestAttackRedactedReasons(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := storetest.GenerateFault(0, customs.RuleConsignee)
		a := sendAll(t, f, d, allDocs)
		phone := d.Waybill.Logistics[0].Head.ConsigneeTelephone
		if b, _ := json.Marshal(a); strings.Contains(string(b), phone) {
			t.Fatalf("the declarant's answer quotes the waybill's consignee telephone %s: %s", phone, b)
		}
		h := d.Inventory.Inventories[0].Head
		q := "/api/customs/inventories?ebpCode=" + h.EbpCode + "&orderNo=" + h.OrderNo
		if w := f.do("GET", q, f.keys[tracegate.RoleEcommerce], "", ""); w.Code != 200 || strings.Contains(w.Body.String(), phone) ||
			!strings.Contains(w.Body.String(), customs.RuleConsignee) {
			t.Fatalf("the declarant's view = %d %s; want the rule without the telephone", w.Code, w.Body)
		}
		if w := f.do("GET", q, f.keys[tracegate.RoleRegulator], "", ""); !strings.Contains(w.Body.String(), phone) {
			t.Fatalf("the regulator's view = %s; want the full finding", w.Body)
		}
	})
}

// TestAttackSellerReadsAnotherPlatformsBuyer is finding 2 as reported: an
// unrelated seller issues labels, binds one at intake to a GTIN filed by
// someone else, dispatches it against another platform's order, posts a
// CEB311 naming that order, and reads the scan page with its key. Each step
// is refused, and the page shows no buyer.
func TestAttackSellerReadsAnotherPlatformsBuyer(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := victimOrder(t, f, 11)
		h := d.Inventory.Inventories[0].Head
		victimGTIN := f.fileProduct(t, "9421902960031").GTIN
		seller, key := f.newEnterprise(t, 2, tracegate.RoleEcommerce, attackerCodes...)
		codes := f.requestLabels(t, key, 2)

		intake := map[string]any{"codes": codes, "gtin": victimGTIN, "batch": "B1"}
		if w := f.do("POST", "/api/labels/intake", key, "application/json", jsonBody(intake)); w.Code != http.StatusBadRequest ||
			!strings.Contains(w.Body.String(), `"pointer":"/gtin"`) {
			t.Fatalf("intake to another's filing = %d %s; want 400 at /gtin", w.Code, w.Body)
		}
		// With a filing of its own, intake works: the next step is what counts.
		intake["gtin"] = f.fileProductOf(t, seller.ID, "9421902960048").GTIN
		if w := f.do("POST", "/api/labels/intake", key, "application/json", jsonBody(intake)); w.Code != http.StatusOK {
			t.Fatalf("intake to its own filing = %d %s", w.Code, w.Body)
		}
		dispatch := map[string]any{"codes": codes[:1], "ebpCode": h.EbpCode, "orderNo": h.OrderNo, "logisticsCode": h.LogisticsCode, "waybillNo": h.LogisticsNo}
		if w := f.do("POST", "/api/labels/dispatch", key, "application/json", jsonBody(dispatch)); w.Code != http.StatusBadRequest ||
			!strings.Contains(w.Body.String(), `"pointer":"/orderNo"`) {
			t.Fatalf("dispatch against another platform's order = %d %s; want 400 at /orderNo", w.Code, w.Body)
		}
		// The same answer as for an order that does not exist.
		dispatch["orderNo"] = h.OrderNo + "9"
		wn := f.do("POST", "/api/labels/dispatch", key, "application/json", jsonBody(dispatch))
		if wn.Code != http.StatusBadRequest || !strings.Contains(wn.Body.String(), `"pointer":"/orderNo"`) {
			t.Fatalf("dispatch against no order = %d %s", wn.Code, wn.Body)
		}
		order := *d.Order
		order.GUID = "C5000000-0000-4000-8000-000000000311"
		order.Orders = []customs.Order{d.Order.Orders[0]}
		order.Orders[0].Head.GUID, order.Orders[0].Head.EbcCode = order.GUID, "5101960001"
		order.Transfer.BaseTransfer.CopCode = "5101960001"
		body, _ := customs.Marshal(&order)
		if w := f.do("POST", "/api/customs/messages", key, "application/xml", string(body)); w.Code == http.StatusOK {
			t.Fatalf("a CEB311 naming another platform's order was taken: %s", w.Body)
		}
		view := scanAs(t, f, codes[0], key)
		if view.Restricted != nil && (view.Restricted.BuyerName != "" || view.Restricted.BuyerPhone != "" || view.Restricted.BuyerAddress != "") {
			t.Fatalf("the unrelated seller reads the buyer: %+v", view.Restricted)
		}
	})
}

// TestAttackOthersCodesLikeUnknown: dispatch and unbind of another
// enterprise's label answer exactly like a code never issued (finding 13).
func TestAttackOthersCodesLikeUnknown(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		prod := f.fileProduct(t, "9421902960031")
		codes := f.requestLabels(t, wh, 1)
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(map[string]any{"codes": codes, "gtin": prod.GTIN, "batch": "B1"})); w.Code != http.StatusOK {
			t.Fatalf("intake = %d %s", w.Code, w.Body)
		}
		f.declareReleased(t, 0, "4401980001", "HG-13", "4401980100", "SF-13")
		unknown, _ := label.NewCode()
		_, other := f.newEnterprise(t, 3, tracegate.RoleWarehouse, tracegate.CustomsCode{Code: "4401630399", Kind: tracegate.CodeArea})
		reqID := regexp.MustCompile(`"requestId":"[^"]*"`)
		for _, c := range []struct {
			name, key, path, body string
		}{
			// Another warehouse unbinds the label.
			{"unbind", other, "/api/labels/unbind", `{"codes":["%s"],"of":"intake","reason":"试探"}`},
			// The e-commerce enterprise, a party of the declaration (its
			// ebcCode) but not the label's holder, dispatches it.
			{"dispatch", f.keys[tracegate.RoleEcommerce], "/api/labels/dispatch",
				`{"codes":["%s"],"ebpCode":"4401980001","orderNo":"HG-13","logisticsCode":"4401980100","waybillNo":"SF-13"}`},
		} {
			answer := func(code string) (int, string) {
				w := f.do("POST", c.path, c.key, "application/json", strings.Replace(c.body, "%s", code, 1))
				return w.Code, reqID.ReplaceAllString(w.Body.String(), "")
			}
			c1, b1 := answer(codes[0])
			c2, b2 := answer(unknown.String())
			if c1 != http.StatusNotFound || c1 != c2 || b1 != b2 {
				t.Fatalf("%s of another's label: %d %s; of an unknown code: %d %s; want one answer", c.name, c1, b1, c2, b2)
			}
		}
	})
}

// scanAs answers the JSON scan view of code for key.
func scanAs(t *testing.T, f *fixture, code, key string) label.ScanView {
	t.Helper()
	w := f.doAccept("GET", "/l/"+strings.ReplaceAll(code, "-", ""), key, "application/json")
	if w.Code != http.StatusOK {
		t.Fatalf("scan = %d %s", w.Code, w.Body)
	}
	var v label.ScanView
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// fileProductOf files gtin for enterprise owner.
func (f *fixture) fileProductOf(t *testing.T, owner int64, gtin string) *tracegate.Product {
	t.Helper()
	p := storetest.Product(owner, gtin)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SaveProducts(context.Background(), []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	return p
}

// doAccept sends a request with an Accept header.
func (f *fixture) doAccept(method, path, key, accept string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Accept", accept)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

// TestAttackInventoryForAnotherPlatformsOrder: an e-commerce enterprise
// cannot attach its own inventory to another's order (and so become its
// declarant, able to cancel it).
func TestAttackInventoryForAnotherPlatformsOrder(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := storetest.GenerateFault(12, "")
		msgs := storetest.CustomsMessages(t, d)
		postMessage(t, f, tracegate.RolePlatform, msgs[customs.DocOrder])
		_, attacker := f.newEnterprise(t, 1, tracegate.RoleEcommerce, attackerCodes...)
		inv := *d.Inventory
		inv.Inventories = []customs.Inventory{d.Inventory.Inventories[0]}
		h := &inv.Inventories[0].Head
		h.EbcCode, h.AgentCode, h.AssureCode = "5101960001", "5101960001", "5101960001"
		inv.Transfer.BaseTransfer.CopCode = "5101960001"
		body, _ := customs.Marshal(&inv)
		if w := f.do("POST", "/api/customs/messages", attacker, "application/xml", string(body)); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "ebcCode") {
			t.Fatalf("another's inventory for the order = %d %s; want 409 naming ebcCode", w.Code, w.Body)
		}
		sendAll(t, f, d, []customs.DocKind{customs.DocPayment, customs.DocWaybill, customs.DocInventory})
		if got := getDecision(t, f, d); got.Status != customs.OutcomePass {
			t.Fatalf("the victim's declaration = %+v; want pass", got)
		}
	})
}
