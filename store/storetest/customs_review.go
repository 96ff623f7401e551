package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"tracegate"
	"tracegate/customs"
)

// CancelMessage returns a CEB623 cancelling d's inventory.
func CancelMessage(d *customs.Declaration, guid string) *customs.CEB623Message {
	h := d.Inventory.Inventories[0].Head
	m := &customs.CEB623Message{Envelope: customs.Envelope{GUID: guid, Version: "1.0"}}
	m.Transfer = d.Inventory.Transfer
	m.Cancels = []customs.InvtCancel{{GUID: guid, AppType: "1", AppTime: "20261124100000", AppStatus: "2",
		CustomsCode: h.CustomsCode, OrderNo: h.OrderNo, EbpCode: h.EbpCode, EbpName: h.EbpName, EbcCode: h.EbcCode, EbcName: h.EbcName,
		LogisticsNo: h.LogisticsNo, LogisticsCode: h.LogisticsCode, LogisticsName: h.LogisticsName, InvtNo: "440120261123000001",
		BuyerIDType: h.BuyerIDType, BuyerIDNumber: h.BuyerIDNumber, BuyerName: h.BuyerName, BuyerTelephone: h.BuyerTelephone,
		AgentCode: h.AgentCode, AgentName: h.AgentName, Reason: "消费者取消订单"}}
	return m
}

// quotaUsed is what buyer of d has used of the year's quota, every
// declaration counted.
func quotaUsed(t *testing.T, s CustomsStore, d *customs.Declaration) customs.Money {
	t.Helper()
	h := d.Inventory.Inventories[0].Head
	var used customs.Money
	err := s.CustomsUpdate(context.Background(), func(tx customs.StoreTx) error {
		var err error
		used, err = tx.QuotaUsed(context.Background(), customs.BuyerKey(CustomsSecret, h.BuyerIDType, h.BuyerIDNumber), CustomsDay.Year(), 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

// checkLedger checks that every ledger leaf re-derives from the stored
// decision history (what an audit does), in ledger order.
func checkLedger(t *testing.T, s CustomsStore) {
	t.Helper()
	ctx := context.Background()
	n, err := s.LedgerSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := s.ReadEntries(ctx, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	var seen int64
	err = s.CustomsLedgerRecords(ctx, func(d *customs.DecisionRecord) error {
		leaf, err := customs.DecisionLeaf(d)
		if err != nil || d.LedgerIndex != seen || !bytes.Equal(leaf, entries[d.LedgerIndex]) {
			t.Fatalf("decision at %d (want %d) re-derives %q, %v; the ledger has %q", d.LedgerIndex, seen, leaf, err, entries[d.LedgerIndex])
		}
		seen++
		return nil
	})
	if err != nil || seen != n {
		t.Fatalf("CustomsLedgerRecords() = %v after %d of %d leaves", err, seen, n)
	}
}

// sendDeclaration takes the four documents of d, inventory last, and
// returns the inventory's result.
func sendDeclaration(t *testing.T, svc *customs.Service, d *customs.Declaration) customs.DocumentResult {
	t.Helper()
	msgs := CustomsMessages(t, d)
	var res *customs.IntakeResult
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		res = intake(t, svc, msgs[k])
	}
	return res.Documents[0]
}

// receiptOf parses an XML receipt, checked against the 202205 XSD facets,
// and returns the returnStatus of its entries.
func receiptOf(t *testing.T, xml, typ string) []customs.ReturnStatus {
	t.Helper()
	m, err := customs.ParseValidated([]byte(xml), customs.Version202205)
	if err != nil {
		t.Fatalf("receipt %s does not validate: %v", xml, err)
	}
	r, ok := m.(customs.Receipt)
	if !ok || m.MessageType() != typ {
		t.Fatalf("receipt is a %s, want %s", m.MessageType(), typ)
	}
	return r.Statuses()
}

func testCustomsReview(t *testing.T, open Opener) {
	s, svc, clock := newCustoms(t, open)
	ctx := context.Background()
	officer := customs.Officer{EnterpriseID: 42, USCC: USCC(4242), KeyID: 7}
	d := GenerateFault(0, customs.RuleBarcodeRisk)
	first := sendDeclaration(t, svc, d)
	if first.Decision.Status != customs.OutcomeReview {
		t.Fatalf("decision = %+v, want review", first.Decision)
	}
	dv, err := customs.DutiableValue(&d.Inventory.Inventories[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := quotaUsed(t, s, d); got != dv {
		t.Fatalf("quota used under review = %s, want %s", got, dv)
	}
	reviews, err := svc.Reviews(ctx, 0)
	if err != nil || len(reviews) != 1 || reviews[0].ID <= 0 {
		t.Fatalf("Reviews() = %+v, %v; want one with an ID", reviews, err)
	}
	id := reviews[0].ID

	for _, c := range []struct {
		name string
		id   int64
		res  customs.ReviewResolution
		code string
	}{
		{"no reason to refuse", id, customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: "  "}, tracegate.EINVALID},
		{"another decision", id, customs.ReviewResolution{Decision: customs.OutcomeWaiting}, tracegate.EINVALID},
		{"reason too long", id, customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: strings.Repeat("长", 1001)}, tracegate.EINVALID},
		{"unknown declaration", id + 1000, customs.ReviewResolution{Decision: customs.OutcomePass}, tracegate.ENOTFOUND},
	} {
		if _, err := svc.ResolveReview(ctx, c.id, officer, c.res); !tracegate.IsCode(err, c.code) {
			t.Errorf("%s: ResolveReview() = %v, want %s", c.name, err, c.code)
		}
	}
	before, _ := s.LedgerSize(ctx)
	got, err := svc.ResolveReview(ctx, id, officer, customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: "标签与实物不符"})
	if err != nil {
		t.Fatalf("ResolveReview(refuse) = %v", err)
	}
	o := got.Decision.Officer
	if got.Decision.Status != customs.OutcomeRefuse || o == nil || o.USCC != officer.USCC || o.KeyID != 7 || o.Reason != "标签与实物不符" ||
		!o.At.Equal(clock.Now()) || !hasRule(&got.Decision, customs.RuleReview) || got.Decision.Tax.Total != 0 {
		t.Fatalf("resolved = %+v officer %+v; want refused by the officer with the reason, no tax", got.Decision, o)
	}
	if st := receiptOf(t, got.Receipt, "CEB622Message"); st[0] != customs.StatusRejected || !strings.Contains(got.Receipt, "标签与实物不符") {
		t.Fatalf("receipt = %s, want 100 with the reason", got.Receipt)
	}
	if after, _ := s.LedgerSize(ctx); after != before+1 || got.LedgerIndex != before {
		t.Fatalf("ledger %d → %d, index %d; want one leaf at %d", before, after, got.LedgerIndex, before)
	}
	h := d.Inventory.Inventories[0].Head
	rec, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo)
	if err != nil || rec.Decision.Status != customs.OutcomeRefuse || rec.Review != "" || rec.Decision.Officer == nil || rec.LedgerIndex != got.LedgerIndex {
		t.Fatalf("stored = %+v, %v; want the officer's refusal, review closed", rec, err)
	}
	if used := quotaUsed(t, s, d); used != 0 {
		t.Fatalf("a refused declaration still uses %s of the quota", used)
	}
	if _, err := svc.ResolveReview(ctx, id, officer, customs.ReviewResolution{Decision: customs.OutcomePass}); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("ResolveReview(twice) = %v, want conflict", err)
	}
	if reviews, err := svc.Reviews(ctx, 0); err != nil || len(reviews) != 0 {
		t.Fatalf("Reviews() after resolution = %+v, %v; want none", reviews, err)
	}

	// A pass keeps the screening's tax and the quota use; a refusal after a
	// partial refund counts exactly zero (not below: other declarations'
	// uses are not eaten into).
	p := GenerateFault(1, customs.RuleBarcodeRisk)
	sendDeclaration(t, svc, p)
	r2, _ := svc.Reviews(ctx, 0)
	passed, err := svc.ResolveReview(ctx, r2[0].ID, officer, customs.ReviewResolution{Decision: customs.OutcomePass})
	if err != nil || passed.Decision.Status != customs.OutcomePass || passed.Decision.Tax.Total == 0 {
		t.Fatalf("ResolveReview(pass) = %+v, %v; want pass with its tax", passed, err)
	}
	if st := receiptOf(t, passed.Receipt, "CEB622Message"); st[0] != customs.StatusReleased {
		t.Fatalf("receipt status %s, want 800", st[0])
	}
	pv, _ := customs.DutiableValue(&p.Inventory.Inventories[0])
	if used := quotaUsed(t, s, p); used != pv {
		t.Fatalf("quota used after a pass = %s, want %s", used, pv)
	}

	q := GenerateFault(2, customs.RuleBarcodeRisk)
	SameBuyer(q, p) // q's buyer also has p's use
	sendDeclaration(t, svc, q)
	qv, _ := customs.DutiableValue(&q.Inventory.Inventories[0])
	if used := quotaUsed(t, s, q); used != pv+qv {
		t.Fatalf("quota used = %s, want %s + %s", used, pv, qv)
	}
	if rres := intake(t, svc, mustMarshal(t, RefundMessage(q, "A1000000-0000-4000-8000-000000000625"))); rres.Documents[0].QuotaRestored == "0.00" {
		t.Fatalf("refund = %+v, want quota restored", rres.Documents[0])
	}
	r3, _ := svc.Reviews(ctx, 0)
	if _, err := svc.ResolveReview(ctx, r3[0].ID, officer, customs.ReviewResolution{Decision: customs.OutcomeRefuse, Reason: "虚假申报"}); err != nil {
		t.Fatal(err)
	}
	if used := quotaUsed(t, s, q); used != pv {
		t.Fatalf("after refund and refusal the buyer uses %s, want exactly the other declaration's %s", used, pv)
	}
	checkLedger(t, s)
}

func mustMarshal(t testing.TB, m customs.Message) []byte {
	t.Helper()
	b, err := customs.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testCustomsCancel(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	d := GenerateFault(30, "")
	if res := sendDeclaration(t, svc, d); res.Decision.Status != customs.OutcomePass {
		t.Fatalf("decision = %+v, want pass", res.Decision)
	}
	dv, _ := customs.DutiableValue(&d.Inventory.Inventories[0])
	if used := quotaUsed(t, s, d); used != dv {
		t.Fatalf("quota used = %s, want %s", used, dv)
	}
	before, _ := s.LedgerSize(ctx)
	res := intake(t, svc, mustMarshal(t, CancelMessage(d, "C1000000-0000-4000-8000-000000000623")))
	doc := res.Documents[0]
	if doc.Kind != "cancel" || doc.Decision == nil || doc.Decision.Status != customs.OutcomeCancelled || doc.QuotaRestored != dv.String() ||
		doc.LedgerIndex == nil || *doc.LedgerIndex != before {
		t.Fatalf("cancel = %+v, want cancelled, %s restored, leaf %d", doc, dv, before)
	}
	if st := receiptOf(t, doc.Receipt, "CEB624Message"); st[0] != customs.StatusCleared {
		t.Fatalf("cancel receipt status %s, want 399", st[0])
	}
	if used := quotaUsed(t, s, d); used != 0 {
		t.Fatalf("quota used after the cancel = %s, want 0", used)
	}
	h := d.Inventory.Inventories[0].Head
	dec, _, err := svc.InventoryDecision(ctx, h.EbpCode, h.OrderNo, CustomsDay)
	if err != nil || dec.Decision.Status != customs.OutcomeCancelled || !hasRule(dec.Decision, customs.RuleCancel) {
		t.Fatalf("InventoryDecision() = %+v, %v; want cancelled", dec, err)
	}
	// Cancelling again, or an order never declared, is refused with a 100
	// receipt; nothing changes.
	unknown := GenerateFault(31, "")
	for i, c := range []struct {
		m    *customs.CEB623Message
		want string
	}{
		{CancelMessage(d, "C1000000-0000-4000-8000-000000000624"), "cancelled already"},
		{CancelMessage(unknown, "C1000000-0000-4000-8000-000000000625"), "no inventory"},
	} {
		res := intake(t, svc, mustMarshal(t, c.m))
		doc := res.Documents[0]
		if doc.Decision != nil || !strings.Contains(doc.Note, c.want) || !strings.Contains(doc.Receipt, c.want) {
			t.Fatalf("refused cancel %d = %+v, want a note and receipt saying %q", i, doc, c.want)
		}
		if st := receiptOf(t, doc.Receipt, "CEB624Message"); st[0] != customs.StatusRejected {
			t.Fatalf("refused cancel %d: receipt status %s, want 100", i, st[0])
		}
	}
	if after, _ := s.LedgerSize(ctx); after != before+1 {
		t.Fatalf("ledger %d → %d; want only the cancel's leaf", before, after)
	}
	// A document of a cancelled declaration is refused; a refund restores
	// nothing more.
	d.Inventory.GUID = "C1000000-0000-4000-8000-000000000621"
	if _, err := svc.Intake(ctx, customsSender, mustMarshal(t, d.Inventory)); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("Intake(inventory of a cancelled order) = %v, want conflict", err)
	}
	if rres := intake(t, svc, mustMarshal(t, RefundMessage(d, "C1000000-0000-4000-8000-000000000626"))); rres.Documents[0].QuotaRestored != "0.00" {
		t.Fatalf("refund after the cancel restored %s, want 0.00", rres.Documents[0].QuotaRestored)
	}
	// Goods of a cancelled inventory entering the zone are not screened.
	n, _ := s.LedgerSize(ctx)
	del := intake(t, svc, DeliveryMessage(t, "C1000000-0000-4000-8000-000000000711", h.LogisticsCode, h.LogisticsNo)).Documents
	if len(del) != 1 || del[0].Decision != nil || !strings.Contains(del[0].Note, "cancelled") {
		t.Fatalf("CEB711 of a cancelled inventory = %+v, want a note, no decision", del)
	}
	if after, _ := s.LedgerSize(ctx); after != n {
		t.Fatalf("ledger grew %d → %d on a cancelled inventory's delivery", n, after)
	}
	checkLedger(t, s)
}

func testCustomsReceipts(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	d := GenerateFault(32, "")
	msgs := CustomsMessages(t, d)
	for _, c := range []struct {
		kind customs.DocKind
		typ  string
	}{{customs.DocOrder, "CEB312Message"}, {customs.DocPayment, "CEB412Message"}, {customs.DocWaybill, "CEB512Message"}} {
		doc := intake(t, svc, msgs[c.kind]).Documents[0]
		if st := receiptOf(t, doc.Receipt, c.typ); len(st) != 1 || st[0] != customs.StatusAccepted {
			t.Fatalf("%s receipt statuses %v, want [120]", c.kind, st)
		}
	}
	// A partner arriving after the inventory re-runs the decision: its own
	// receipt, and the CEB622 of the decision.
	e := GenerateFault(33, "")
	em := CustomsMessages(t, e)
	for _, k := range []customs.DocKind{customs.DocInventory, customs.DocPayment, customs.DocWaybill} {
		intake(t, svc, em[k])
	}
	doc := intake(t, svc, em[customs.DocOrder]).Documents[0]
	receiptOf(t, doc.Receipt, "CEB312Message")
	if st := receiptOf(t, doc.DecisionReceipt, "CEB622Message"); st[0] != customs.StatusReleased {
		t.Fatalf("decision receipt status %s, want 800", st[0])
	}

	// Refused messages: nothing stored, every document refused (100) with
	// the problem named.
	f := GenerateFault(34, "")
	fm := CustomsMessages(t, f)
	badOrder := strings.Replace(string(fm[customs.DocOrder]), "<ceb:currency>142</ceb:currency>", "<ceb:currency>USD</ceb:currency>", 1)
	// Two waybills in one message, sent twice: the second is a conflict.
	wb := *GenerateFault(35, "").Waybill
	wb.GUID = "D1000000-0000-4000-8000-000000000511"
	wb.Logistics = append(wb.Logistics, GenerateFault(36, "").Waybill.Logistics[0])
	intake(t, svc, mustMarshal(t, &wb))
	for _, c := range []struct {
		name, body, typ, code, pointer string
		n                              int
	}{
		{"bad code", badOrder, "CEB312Message", tracegate.EINVALID, "currency", 1},
		{"conflict", string(mustMarshal(t, &wb)), "CEB512Message", tracegate.ECONFLICT, "received already", 2},
	} {
		_, err := svc.Intake(ctx, customsSender, []byte(c.body))
		var refusal *customs.Refusal
		if !errors.As(err, &refusal) || !tracegate.IsCode(err, c.code) {
			t.Fatalf("%s: Intake() = %v, want a %s refusal", c.name, err, c.code)
		}
		st := receiptOf(t, refusal.Receipt, c.typ)
		if len(st) != c.n || st[0] != customs.StatusRejected || !strings.Contains(refusal.Receipt, c.pointer) {
			t.Fatalf("%s: refusal receipt %s, want %d entries of 100 naming %s", c.name, refusal.Receipt, c.n, c.pointer)
		}
	}
	fh := f.Inventory.Inventories[0].Head
	if _, err := s.FindCustomsDeclaration(ctx, fh.EbpCode, fh.OrderNo); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("a refused message stored a declaration: %v", err)
	}
}

// testCustomsBatch takes messages in batches (IntakeBatch): a clean batch
// in one transaction, and a batch with a message refused inside the
// transaction, whose other messages are all kept.
func testCustomsBatch(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	var clean [][]byte
	var decls []*customs.Declaration
	for n := 40; n < 43; n++ {
		d := GenerateFault(n, "")
		decls = append(decls, d)
		m := CustomsMessages(t, d)
		clean = append(clean, m[customs.DocOrder], m[customs.DocPayment], m[customs.DocWaybill], m[customs.DocInventory])
	}
	for i, r := range svc.IntakeBatch(ctx, customsSender, clean) {
		if r.Err != nil || r.Result == nil || len(r.Result.Documents) != 1 {
			t.Fatalf("IntakeBatch(clean)[%d] = %+v", i, r)
		}
		if i%4 == 3 && r.Result.Documents[0].Decision.Status != customs.OutcomePass {
			t.Fatalf("IntakeBatch(clean)[%d] decision %+v, want pass", i, r.Result.Documents[0].Decision)
		}
	}
	if n, _ := s.LedgerSize(ctx); n != 3 {
		t.Fatalf("ledger size %d after a batch of 3 declarations, want 3", n)
	}
	d := GenerateFault(43, "")
	m := CustomsMessages(t, d)
	mixed := [][]byte{m[customs.DocOrder], m[customs.DocPayment], clean[0], []byte("<not xml"), m[customs.DocWaybill], m[customs.DocInventory]}
	got := svc.IntakeBatch(ctx, customsSender, mixed)
	for i, want := range []string{"", "", tracegate.ECONFLICT, tracegate.EINVALID, "", ""} {
		if tracegate.ErrorCode(got[i].Err) != want || (want == "") != (got[i].Result != nil) {
			t.Fatalf("IntakeBatch(mixed)[%d] = %+v, %v; want code %q", i, got[i].Result, got[i].Err, want)
		}
	}
	if doc := got[5].Result.Documents[0]; doc.Decision.Status != customs.OutcomePass || doc.LedgerIndex == nil || *doc.LedgerIndex != 3 {
		t.Fatalf("the mixed batch's inventory = %+v, want pass at leaf 3", doc)
	}
	h := d.Inventory.Inventories[0].Head
	if rec, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo); err != nil || !rec.State.Complete() {
		t.Fatalf("declaration of the mixed batch = %+v, %v; want all four documents", rec, err)
	}
	checkLedger(t, s)
}
