package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/ledger"
	"tracegate/store/storetest"
)

// customsFixture is a fixture whose server runs the customs intake, with the
// demo tables loaded over HTTP and the demo products filed.
func customsFixture(t *testing.T, s Store) (*fixture, *customs.Service) {
	t.Helper()
	f := newFixture(t, s)
	svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour}, s)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = New(Config{Store: s, Logger: slog.New(slog.DiscardHandler), Ledger: f.ledger.web, Customs: svc, Labels: f.labels})
	loadCustomsTables(t, f)
	if err := storetest.FileCustomsDemoProducts(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	f.tables = true
	return f, svc
}

// loadCustomsTables loads the demo tables over HTTP as the regulator.
func loadCustomsTables(t *testing.T, f *fixture) {
	t.Helper()
	d := customs.DemoTables()
	for kind, csv := range map[string]string{customs.TablePositiveList: d.PositiveListCSV, customs.TableTariff: d.TariffCSV,
		customs.TableProhibited: d.ProhibitedCSV, customs.TableBarcodeRisk: d.Barcodes.CSV()} {
		if w := f.do("POST", "/api/customs/tables/"+kind, f.keys[tracegate.RoleRegulator], "text/csv", csv); w.Code != 201 {
			t.Fatalf("load %s = %d %s", kind, w.Code, w.Body)
		}
	}
}

// senderOf is the role that sends each document.
var senderOf = map[customs.DocKind]tracegate.Role{customs.DocOrder: tracegate.RolePlatform, customs.DocPayment: tracegate.RolePayment,
	customs.DocWaybill: tracegate.RoleLogistics, customs.DocInventory: tracegate.RoleEcommerce}

var allDocs = []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory}

type intakeAnswer struct {
	Documents []struct {
		Kind        string            `json:"kind"`
		Missing     []string          `json:"missing"`
		Decision    *customs.Decision `json:"decision"`
		LedgerIndex *int64            `json:"ledgerIndex"`
		Receipt     string            `json:"receipt"`
		Restored    string            `json:"quotaRestored"`
	} `json:"documents"`
}

func postMessage(t *testing.T, f *fixture, role tracegate.Role, body []byte) intakeAnswer {
	t.Helper()
	w := f.do("POST", "/api/customs/messages", f.keys[role], "application/xml", string(body))
	if w.Code != 200 {
		t.Fatalf("POST /api/customs/messages as %s = %d %s", role, w.Code, w.Body)
	}
	var a intakeAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func sendAll(t *testing.T, f *fixture, d *customs.Declaration, order []customs.DocKind) intakeAnswer {
	t.Helper()
	msgs := storetest.CustomsMessages(t, d)
	var a intakeAnswer
	for _, k := range order {
		a = postMessage(t, f, senderOf[k], msgs[k])
	}
	return a
}

func getDecision(t *testing.T, f *fixture, d *customs.Declaration) customs.Decision {
	t.Helper()
	h := d.Inventory.Inventories[0].Head
	w := f.do("GET", "/api/customs/inventories?ebpCode="+h.EbpCode+"&orderNo="+h.OrderNo, f.keys[tracegate.RoleRegulator], "", "")
	if w.Code != 200 {
		t.Fatalf("GET decision = %d %s", w.Code, w.Body)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil || raw["status"] == nil || raw["reasons"] == nil || raw["tax"] == nil {
		t.Fatalf("decision %s is not in the contract shape: %v", w.Body, err)
	}
	var dec customs.Decision
	if err := json.Unmarshal(w.Body.Bytes(), &dec); err != nil {
		t.Fatal(err)
	}
	return dec
}

func reasonFor(d customs.Decision, rule string) *customs.Reason {
	for i := range d.Reasons {
		if d.Reasons[i].Rule == rule {
			return &d.Reasons[i]
		}
	}
	return nil
}

// singleItem turns a one-line clean declaration into one piece priced
// price, amounts kept consistent across order, payment and inventory.
func singleItem(t *testing.T, price customs.Money) *customs.Declaration {
	t.Helper()
	for n := 0; ; n++ {
		d := storetest.GenerateFault(n, "")
		if len(d.Inventory.Inventories[0].Lines) != 1 {
			continue
		}
		o, inv := &d.Order.Orders[0], &d.Inventory.Inventories[0]
		old, _ := customs.ParseMoney(o.Head.GoodsValue)
		paid, _ := customs.ParseMoney(o.Head.ActuralPaid)
		o.Lines[0].Qty, o.Lines[0].Price, o.Lines[0].TotalPrice = "1", price.String(), price.String()
		inv.Lines[0].Qty, inv.Lines[0].Price, inv.Lines[0].TotalPrice = "1", price.String(), price.String()
		o.Head.GoodsValue = price.String()
		o.Head.ActuralPaid = (paid - old + price).String()
		d.Payment.Payments[0].Head.AmountPaid = o.Head.ActuralPaid
		return d
	}
}

func TestCustomsRulesOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		ctx := context.Background()
		for _, c := range []struct {
			fault  string
			status customs.Outcome
			rule   string // a reason that must be there with that outcome
		}{
			{"", customs.OutcomePass, ""},
			{customs.RuleAmount, customs.OutcomeRefuse, customs.RuleAmount},
			{customs.RuleConsignee, customs.OutcomeRefuse, customs.RuleConsignee},
			{customs.RulePayer, customs.OutcomeRefuse, customs.RulePayer},
			{customs.RuleLines, customs.OutcomeRefuse, customs.RuleLines},
			{customs.RuleLimitSingle, customs.OutcomeRefuse, customs.RuleLimitSingle},
			{customs.RuleLimitAnnual, customs.OutcomeRefuse, customs.RuleLimitAnnual},
			{customs.RulePositiveList, customs.OutcomeRefuse, customs.RulePositiveList},
			{customs.RuleProhibited, customs.OutcomeRefuse, customs.RuleProhibited},
			{customs.RuleBarcodeRisk, customs.OutcomeReview, customs.RuleBarcodeRisk},
			{customs.RuleFiling, customs.OutcomeRefuse, customs.RuleFiling},
			// Credit is wired absent (nil) until the credit work fills it:
			// no level is faked, so a level-4 enterprise is not flagged.
			{customs.RuleCredit, customs.OutcomePass, ""},
		} {
			t.Run("fault="+c.fault, func(t *testing.T) {
				d := storetest.GenerateFault(1, c.fault)
				if err := storetest.PreloadQuota(ctx, s, d); err != nil {
					t.Fatal(err)
				}
				a := sendAll(t, f, d, allDocs)
				got := getDecision(t, f, d)
				if got.Status != c.status {
					t.Fatalf("status = %s (%+v), want %s", got.Status, got.Reasons, c.status)
				}
				if c.rule != "" {
					if r := reasonFor(got, c.rule); r == nil || r.Outcome != c.status {
						t.Fatalf("reasons %+v lack %s with %s", got.Reasons, c.rule, c.status)
					}
				}
				if c.fault == customs.RuleCredit && reasonFor(got, customs.RuleCredit) != nil {
					t.Fatalf("a credit reason without a credit source: %+v", got.Reasons)
				}
				doc := a.Documents[0]
				if !strings.Contains(doc.Receipt, "CEB622Message") || !strings.Contains(doc.Receipt, "<returnStatus>"+string(customs.ReceiptStatus(c.status))+"<") {
					t.Fatalf("receipt = %s, want a CEB622 with status %s", doc.Receipt, customs.ReceiptStatus(c.status))
				}
				leaves, err := s.ReadEntries(ctx, *doc.LedgerIndex, *doc.LedgerIndex+1)
				if err != nil {
					t.Fatal(err)
				}
				if l, err := ledger.ParseLeaf(leaves[0]); err != nil || l.Kind != ledger.KindCustomsDecision {
					t.Fatalf("leaf %d = %+v, %v; want a customs decision", *doc.LedgerIndex, l, err)
				}
				buyer := d.Inventory.Inventories[0].Head.BuyerIDNumber
				if strings.Contains(doc.Receipt, buyer) || strings.Contains(string(leaves[0]), buyer) {
					t.Fatal("the buyer's ID number is shown unmasked")
				}
			})
		}
		t.Run("single-item exception", func(t *testing.T) {
			d := singleItem(t, customs.Yuan(6000))
			sendAll(t, f, d, allDocs)
			got := getDecision(t, f, d)
			r := reasonFor(got, customs.RuleLimitSingle)
			if got.Status != customs.OutcomePass || r == nil || r.Outcome != customs.OutcomePass || got.Tax.Customs <= 0 {
				t.Fatalf("one piece of 6,000 = %+v; want pass under the single-item exception at full tax (duty)", got)
			}
			d2 := singleItem(t, customs.Yuan(27000)) // over the annual limit: refused
			d2.Order.Orders[0].Head.OrderNo += "X"
			d2.Payment.Payments[0].Head.OrderNo += "X"
			d2.Waybill.Logistics[0].Head.OrderNo += "X"
			d2.Inventory.Inventories[0].Head.OrderNo += "X"
			for _, m := range []*customs.Envelope{&d2.Order.Envelope, &d2.Payment.Envelope, &d2.Waybill.Envelope, &d2.Inventory.Envelope} {
				m.GUID = m.GUID[:35] + "F"
			}
			sendAll(t, f, d2, allDocs)
			if got := getDecision(t, f, d2); got.Status != customs.OutcomeRefuse || reasonFor(got, customs.RuleLimitAnnual) == nil {
				t.Fatalf("one piece of 27,000 = %+v; want refused by the annual limit", got)
			}
		})
	})
}

func TestCustomsMatchAndRefundOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		ctx := context.Background()
		d := storetest.GenerateFault(2, "")
		msgs := storetest.CustomsMessages(t, d)
		order := []customs.DocKind{customs.DocInventory, customs.DocWaybill, customs.DocOrder, customs.DocPayment}
		for i, k := range order {
			a := postMessage(t, f, senderOf[k], msgs[k])
			got := getDecision(t, f, d)
			if i < len(order)-1 {
				if got.Status != customs.OutcomeWaiting || reasonFor(got, customs.RuleMissing) == nil || len(a.Documents[0].Missing) != 3-i {
					t.Fatalf("after %v: %+v missing %v; want waiting", order[:i+1], got, a.Documents[0].Missing)
				}
			} else if got.Status != customs.OutcomePass {
				t.Fatalf("complete: %+v, want pass", got)
			}
		}
		// Before the inventory, the decision is waiting too (not stored).
		e := storetest.GenerateFault(3, "")
		postMessage(t, f, tracegate.RolePlatform, storetest.CustomsMessages(t, e)[customs.DocOrder])
		if got := getDecision(t, f, e); got.Status != customs.OutcomeWaiting {
			t.Fatalf("order only: %+v, want waiting", got)
		}

		// Refund: the second declaration of the same buyer goes over the
		// annual limit until the first one's goods are refunded.
		dd := storetest.GenerateFault(4, "")
		storetest.SameBuyer(dd, d)
		dv, _ := customs.DutiableValue(&dd.Inventory.Inventories[0])
		cv, _ := customs.DutiableValue(&d.Inventory.Inventories[0])
		h := d.Inventory.Inventories[0].Head
		pre := customs.DefaultLimits.Annual - cv - dv + 1
		if err := s.AddQuotaUses(ctx, []customs.QuotaRecord{{BuyerKey: customs.BuyerKey(storetest.CustomsSecret, h.BuyerIDType, h.BuyerIDNumber),
			Year: storetest.CustomsDay.Year(), Value: pre, At: storetest.CustomsDay}}); err != nil {
			t.Fatal(err)
		}
		sendAll(t, f, dd, allDocs)
		if got := getDecision(t, f, dd); got.Status != customs.OutcomeRefuse || reasonFor(got, customs.RuleLimitAnnual) == nil {
			t.Fatalf("over the limit: %+v", got)
		}
		body, err := customs.Marshal(storetest.RefundMessage(d, "C0000000-0000-4000-8000-000000000625"))
		if err != nil {
			t.Fatal(err)
		}
		if a := postMessage(t, f, tracegate.RoleEcommerce, body); a.Documents[0].Restored == "0.00" {
			t.Fatalf("refund restored nothing: %+v", a.Documents[0])
		}
		dd.Inventory.GUID = "C0000000-0000-4000-8000-000000000621"
		again, _ := customs.Marshal(dd.Inventory)
		postMessage(t, f, tracegate.RoleEcommerce, again)
		if got := getDecision(t, f, dd); got.Status != customs.OutcomePass {
			t.Fatalf("after the refund: %+v, want pass", got)
		}
	})
}

func TestCustomsBadInputOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		d := storetest.GenerateFault(5, "")
		msgs := storetest.CustomsMessages(t, d)
		inv := string(msgs[customs.DocInventory])
		h := d.Inventory.Inventories[0].Head
		root := inv[strings.Index(inv, "<ceb:CEB621"):]
		for _, c := range []struct {
			name, role, ct, body string
			status               int
			pointer              string
		}{
			{"malformed", "ecommerce", "application/xml", inv[:len(inv)-40], 400, ""},
			{"namespace", "ecommerce", "application/xml", strings.ReplaceAll(inv, customs.Namespace, "urn:x"), 400, ""},
			{"over-length", "ecommerce", "application/xml", strings.Replace(inv, ">"+h.OrderNo+"<", ">"+strings.Repeat("1", 61)+"<", 1), 400, "/orderNo"},
			{"decimal", "ecommerce", "application/xml", strings.Replace(inv, "<ceb:freight>"+h.Freight+"<", "<ceb:freight>ten<", 1), 400, "/freight"},
			{"code", "ecommerce", "application/xml", strings.Replace(inv, "<ceb:tradeMode>1210<", "<ceb:tradeMode>0110<", 1), 400, "/tradeMode"},
			{"external entity", "ecommerce", "application/xml", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + root, 400, ""},
			{"bomb", "ecommerce", "application/xml", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>` + root, 400, ""},
			{"wrong role", "payment", "application/xml", inv, 403, ""},
			{"no role", "lab", "application/xml", inv, 403, ""},
			{"media type", "ecommerce", "application/json", inv, 415, ""},
		} {
			w := f.do("POST", "/api/customs/messages", f.keys[tracegate.Role(c.role)], c.ct, c.body)
			if w.Code != c.status || (c.pointer != "" && !strings.Contains(w.Body.String(), c.pointer)) {
				t.Errorf("%s: %d %s; want %d naming %s", c.name, w.Code, w.Body, c.status, c.pointer)
			}
			if c.status == 400 && w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: content type %s", c.name, w.Header().Get("Content-Type"))
			}
			q := "/api/customs/inventories?ebpCode=" + h.EbpCode + "&orderNo=" + h.OrderNo
			if w := f.do("GET", q, f.keys[tracegate.RoleRegulator], "", ""); w.Code != 404 {
				t.Fatalf("%s: something was stored: %d %s", c.name, w.Code, w.Body)
			}
		}
		if n, _ := s.LedgerSize(context.Background()); n != 0 {
			t.Fatalf("ledger size %d after refused input", n)
		}
		// A DXP envelope (base64 data) is unwrapped.
		dxp := `<?xml version="1.0" encoding="UTF-8"?><dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">` +
			`<dxp:TransInfo><dxp:CopMsgId>X</dxp:CopMsgId><dxp:SenderId>S</dxp:SenderId><dxp:ReceiverIds><dxp:ReceiverId>R</dxp:ReceiverId></dxp:ReceiverIds>` +
			`<dxp:CreatTime>2026-11-23T10:00:00</dxp:CreatTime><dxp:MsgType>CEB621Message</dxp:MsgType></dxp:TransInfo>` +
			`<dxp:Data>` + base64.StdEncoding.EncodeToString([]byte(inv)) + `</dxp:Data></dxp:DxpMsg>`
		if a := postMessage(t, f, tracegate.RoleEcommerce, []byte(dxp)); a.Documents[0].Decision == nil {
			t.Fatalf("DXP-wrapped inventory: %+v", a)
		}
		// Another platform, none of whose customs codes the declaration
		// names, does not see it.
		q := "/api/customs/inventories?ebpCode=" + h.EbpCode + "&orderNo=" + h.OrderNo
		_, otherPlatform := f.newEnterprise(t, 1, tracegate.RolePlatform, tracegate.CustomsCode{Code: "5101980009", Kind: tracegate.CodeEbp})
		if w := f.do("GET", q, otherPlatform, "", ""); w.Code != 404 {
			t.Fatalf("another platform's view = %d", w.Code)
		}
		if w := f.do("GET", q, f.keys[tracegate.RoleEcommerce], "", ""); w.Code != 200 {
			t.Fatalf("the sender's view = %d %s", w.Code, w.Body)
		}
	})
}

func TestCustomsSamplesReviewsTablesOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f, _ := customsFixture(t, s)
		dir := filepath.Join(storetest.Testdata(t), "ceb", "samples-202205-import")
		for _, name := range []string{"CEB311Message.xml", "CEB411Message.xml", "CEB511Message.xml", "CEB621Message.xml",
			"CEB513Message.xml", "CEB623Message.xml", "CEB625Message.xml", "CEB711Message.xml"} {
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			postMessage(t, f, tracegate.RoleRegulator, body)
		}
		// The samples' inventory names orders that the sample order,
		// payment and waybill do not, and goods filed nowhere here: it is
		// refused (filing_missing) and would wait for its partners.
		w := f.do("GET", "/api/customs/inventories?ebpCode=1101110325&orderNo=order2016030811340001", f.keys[tracegate.RoleRegulator], "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"refuse"`) || !strings.Contains(w.Body.String(), customs.RuleFiling) ||
			!strings.Contains(w.Body.String(), customs.RuleMissing) {
			t.Fatalf("sample decision = %d %s, want refused for %s, waiting for partners", w.Code, w.Body, customs.RuleFiling)
		}

		d := storetest.GenerateFault(0, customs.RuleBarcodeRisk)
		sendAll(t, f, d, allDocs)
		w = f.do("GET", "/api/customs/reviews", f.keys[tracegate.RoleRegulator], "", "")
		var q struct {
			Reviews []customs.Review `json:"reviews"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &q) != nil {
			t.Fatalf("reviews = %d %s", w.Code, w.Body)
		}
		h := d.Inventory.Inventories[0].Head
		found := false
		for _, r := range q.Reviews {
			if r.OrderNo == h.OrderNo {
				found = r.Buyer == customs.MaskID(h.BuyerIDNumber) && r.Decision.Status == customs.OutcomeReview
			}
		}
		if !found || strings.Contains(w.Body.String(), h.BuyerIDNumber) {
			t.Fatalf("reviews %s lack order %s with a masked buyer", w.Body, h.OrderNo)
		}
		if w := f.do("GET", "/api/customs/reviews", f.keys[tracegate.RolePlatform], "", ""); w.Code != 403 {
			t.Fatalf("reviews as platform = %d", w.Code)
		}

		// Tables: a bad table is refused naming the line; an unknown kind too.
		w = f.do("POST", "/api/customs/tables/tariff", f.keys[tracegate.RoleRegulator], "text/csv",
			"hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit\n3304990,0.01,0.13,0.15,,\n")
		if w.Code != 400 || !strings.Contains(w.Body.String(), "line") {
			t.Fatalf("bad tariff = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/customs/tables/other", f.keys[tracegate.RoleRegulator], "text/csv", "a\n"); w.Code != 400 {
			t.Fatalf("unknown kind = %d %s", w.Code, w.Body)
		}
		// A new prohibited table that covers a line refuses it from then on.
		pl := "hs_prefix,category,reason\n" + d.Inventory.Inventories[0].Lines[0].Gcode[:4] + ",测试类别,test\n"
		if w := f.do("POST", "/api/customs/tables/prohibited", f.keys[tracegate.RoleRegulator], "text/csv", pl); w.Code != 201 {
			t.Fatalf("load prohibited = %d %s", w.Code, w.Body)
		}
		d.Inventory.GUID = "D0000000-0000-4000-8000-000000000621"
		again, _ := customs.Marshal(d.Inventory)
		postMessage(t, f, tracegate.RoleEcommerce, again)
		if got := getDecision(t, f, d); got.Status != customs.OutcomeRefuse || reasonFor(got, customs.RuleProhibited) == nil {
			t.Fatalf("after the new prohibited table: %+v", got)
		}
	})
}
