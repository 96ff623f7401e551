package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
)

// SameBuyer rewrites d's buyer and payer to those of other.
func SameBuyer(d, other *customs.Declaration) {
	src := other.Order.Orders[0].Head
	o := &d.Order.Orders[0].Head
	o.BuyerIDType, o.BuyerIDNumber, o.BuyerName = src.BuyerIDType, src.BuyerIDNumber, src.BuyerName
	p := &d.Payment.Payments[0].Head
	p.PayerIDType, p.PayerIDNumber, p.PayerName = src.BuyerIDType, src.BuyerIDNumber, src.BuyerName
	i := &d.Inventory.Inventories[0].Head
	i.BuyerIDType, i.BuyerIDNumber, i.BuyerName = src.BuyerIDType, src.BuyerIDNumber, src.BuyerName
}

func testCustomsQuota(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	c := GenerateFault(11, "")
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		intake(t, svc, CustomsMessages(t, c)[k])
	}
	dd := GenerateFault(12, "")
	SameBuyer(dd, c)
	cv, _ := customs.DutiableValue(&c.Inventory.Inventories[0])
	dv, _ := customs.DutiableValue(&dd.Inventory.Inventories[0])
	h := c.Inventory.Inventories[0].Head
	key := customs.BuyerKey(CustomsSecret, h.BuyerIDType, h.BuyerIDNumber)
	// Used so far: cv; preload so that dd goes over by one fen.
	pre := customs.DefaultLimits.Annual - cv - dv + 1
	if err := s.AddQuotaUses(ctx, []customs.QuotaRecord{{BuyerKey: key, Year: CustomsDay.Year(), Value: pre, At: CustomsDay}}); err != nil {
		t.Fatal(err)
	}
	msgs := CustomsMessages(t, dd)
	var res *customs.IntakeResult
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		res = intake(t, svc, msgs[k])
	}
	if d := res.Documents[0].Decision; d.Status != customs.OutcomeRefuse || !hasRule(d, customs.RuleLimitAnnual) {
		t.Fatalf("over the annual limit by a fen: %+v", d)
	}
	// A refund of c's goods gives the quota back; dd's inventory sent again passes.
	refund := RefundMessage(c, "A0000000-0000-4000-8000-000000000625")
	rres := intake(t, svc, mustMarshal(t, refund))
	if rres.Documents[0].QuotaRestored == "" || rres.Documents[0].QuotaRestored == "0.00" {
		t.Fatalf("refund = %+v, want quota restored", rres.Documents[0])
	}
	dd.Inventory.GUID = "B0000000-0000-4000-8000-000000000621"
	res = intake(t, svc, mustMarshal(t, dd.Inventory))
	if d := res.Documents[0].Decision; d.Status != customs.OutcomePass {
		t.Fatalf("after the refund: %+v, want pass", d)
	}
	// A second refund cannot give back more than was used.
	refund.GUID = "A0000000-0000-4000-8000-000000000627"
	if rres := intake(t, svc, mustMarshal(t, refund)); rres.Documents[0].QuotaRestored != "0.00" {
		t.Fatalf("second refund restored %s, want 0.00", rres.Documents[0].QuotaRestored)
	}
}

func testCustomsBadInput(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	d := GenerateFault(13, "")
	inv := string(CustomsMessages(t, d)[customs.DocInventory])
	h := d.Inventory.Inventories[0].Head
	for _, c := range []struct {
		name, body, code, pointer string
	}{
		{"malformed", inv[:len(inv)/2], tracegate.EINVALID, ""},
		{"namespace", strings.ReplaceAll(inv, customs.Namespace, "http://example.com/ceb"), tracegate.EINVALID, ""},
		{"over-length", strings.Replace(inv, "<ceb:orderNo>"+h.OrderNo, "<ceb:orderNo>"+strings.Repeat("9", 61), 1), tracegate.EINVALID, "orderNo"},
		{"amount", strings.Replace(inv, "<ceb:freight>"+h.Freight, "<ceb:freight>1,5", 1), tracegate.EINVALID, "freight"},
		{"code", strings.Replace(inv, "<ceb:currency>142</ceb:currency>", "<ceb:currency>USD</ceb:currency>", 1), tracegate.EINVALID, "currency"},
		{"entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + inv[strings.Index(inv, "<ceb:CEB621"):], tracegate.EINVALID, ""},
		{"bomb", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` + inv[strings.Index(inv, "<ceb:CEB621"):], tracegate.EINVALID, ""},
	} {
		_, err := svc.Intake(ctx, customsSender, []byte(c.body))
		var e *tracegate.Error
		if tracegate.ErrorCode(err) != c.code || (c.pointer != "" && !(asError(err, &e) && strings.HasSuffix(e.Pointer, c.pointer))) {
			t.Errorf("%s: Intake() = %v, want %s at %s", c.name, err, c.code, c.pointer)
		}
		if _, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
			t.Fatalf("%s: a declaration was stored: %v", c.name, err)
		}
	}
	if n, _ := s.LedgerSize(ctx); n != 0 {
		t.Fatalf("ledger size %d after refused input, want 0", n)
	}
	// A message whose second document contradicts its declaration is
	// refused whole: the first document is not stored either.
	a, b := GenerateFault(14, ""), GenerateFault(15, "")
	intake(t, svc, CustomsMessages(t, a)[customs.DocWaybill])
	two := *b.Inventory
	other := a.Inventory.Inventories[0]
	other.Head.LogisticsNo = "CONFLICTING01"
	two.Inventories = []customs.Inventory{b.Inventory.Inventories[0], other}
	two.GUID = "F0000000-0000-4000-8000-000000000621"
	_, err := svc.Intake(ctx, customsSender, mustMarshal(t, &two))
	var ce *tracegate.Error
	if !tracegate.IsCode(err, tracegate.ECONFLICT) || !asError(err, &ce) || !strings.HasPrefix(ce.Pointer, "/CEB621Message/Inventory[2]") {
		t.Fatalf("Intake(second inventory conflicting) = %v, want conflict at Inventory[2]", err)
	}
	bh := b.Inventory.Inventories[0].Head
	if _, err := s.FindCustomsDeclaration(ctx, bh.EbpCode, bh.OrderNo); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("the first inventory of a refused message was stored: %v", err)
	}

	// The same message twice is a conflict, and the second stores nothing.
	intake(t, svc, []byte(inv))
	if _, err := svc.Intake(ctx, customsSender, []byte(inv)); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("Intake(again) = %v, want conflict", err)
	}
}

func asError(err error, e **tracegate.Error) bool {
	x, ok := err.(*tracegate.Error)
	*e = x
	return ok
}

// testCustomsSamples sends the official 202205 import samples through the
// intake: every data message is accepted.
func testCustomsSamples(t *testing.T, open Opener) {
	_, svc, _ := newCustoms(t, open)
	dir := filepath.Join(Testdata(t), "ceb", "samples-202205-import")
	for _, name := range []string{"CEB311Message.xml", "CEB411Message.xml", "CEB511Message.xml", "CEB621Message.xml",
		"CEB513Message.xml", "CEB623Message.xml", "CEB625Message.xml", "CEB711Message.xml"} {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.Intake(context.Background(), customsSender, body)
		if err != nil {
			t.Errorf("Intake(%s) = %v", name, err)
			continue
		}
		if name == "CEB621Message.xml" && (res.Documents[0].Decision == nil || res.Documents[0].Receipt == "") {
			t.Errorf("Intake(%s) = %+v, want a decision and a receipt", name, res.Documents[0])
		}
	}
}

// RefundMessage returns a CEB625 refund of every line of d's inventory.
func RefundMessage(d *customs.Declaration, guid string) *customs.CEB625Message {
	inv := d.Inventory.Inventories[0]
	refund := &customs.CEB625Message{Envelope: customs.Envelope{GUID: guid, Version: "1.0"}}
	refund.Transfer = d.Inventory.Transfer
	rh := customs.InvtRefundHead{GUID: guid, AppType: "1", AppTime: "20261124100000", AppStatus: "2",
		CustomsCode: inv.Head.CustomsCode, OrderNo: inv.Head.OrderNo, EbpCode: inv.Head.EbpCode, EbpName: inv.Head.EbpName,
		EbcCode: inv.Head.EbcCode, EbcName: inv.Head.EbcName, LogisticsNo: inv.Head.LogisticsNo, LogisticsCode: inv.Head.LogisticsCode,
		LogisticsName: inv.Head.LogisticsName, InvtNo: "440120261123000001", BuyerIDType: inv.Head.BuyerIDType,
		BuyerIDNumber: inv.Head.BuyerIDNumber, BuyerName: inv.Head.BuyerName, BuyerTelephone: inv.Head.BuyerTelephone,
		AgentCode: inv.Head.AgentCode, AgentName: inv.Head.AgentName, Reason: "质量问题"}
	r := customs.InvtRefund{Head: rh}
	for _, l := range inv.Lines {
		r.Lines = append(r.Lines, customs.InvtRefundList{Gnum: l.Gnum, Gcode: l.Gcode, Gname: l.Gname, Qty: l.Qty, Unit: l.Unit})
	}
	refund.Refunds = []customs.InvtRefund{r}
	return refund
}
