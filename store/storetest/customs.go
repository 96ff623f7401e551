package storetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/ledger"
)

// CustomsStore is what the customs suite needs of a store.
type CustomsStore interface {
	Store
	customs.Store
	ledger.Store
}

// CustomsSecret is the buyer-key secret of tests (32 bytes, not random:
// test data only).
var CustomsSecret = []byte("tracegate-test-customs-secret-32bytes!")

// CustomsDay is the day of the test declarations (China Standard Time).
var CustomsDay = time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// SetUpCustomsDemo loads the tables of customs.DemoTables through svc
// (positive list, tariff, prohibited, barcode risk) and files the demo
// products (their GTINs) in s under a new e-commerce enterprise, so that
// customs.GenerateDay's clean declarations pass.
func SetUpCustomsDemo(ctx context.Context, s interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
}, svc *customs.Service) error {
	if err := LoadCustomsDemoTables(ctx, svc); err != nil {
		return err
	}
	return FileCustomsDemoProducts(ctx, s)
}

// LoadCustomsDemoTables loads the tables of customs.DemoTables through svc.
func LoadCustomsDemoTables(ctx context.Context, svc *customs.Service) error {
	d := customs.DemoTables()
	for _, t := range []struct{ kind, csv string }{
		{customs.TablePositiveList, d.PositiveListCSV}, {customs.TableTariff, d.TariffCSV},
		{customs.TableProhibited, d.ProhibitedCSV}, {customs.TableBarcodeRisk, d.Barcodes.CSV()},
	} {
		if _, err := svc.LoadTable(ctx, t.kind, []byte(t.csv)); err != nil {
			return fmt.Errorf("load %s: %w", t.kind, err)
		}
	}
	return nil
}

// FileCustomsDemoProducts files the demo products (their GTINs) in s under
// a new e-commerce enterprise, approved by a new regulator.
func FileCustomsDemoProducts(ctx context.Context, s interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
}) error {
	d := customs.DemoTables()
	e := &tracegate.Enterprise{USCC: USCC(7700), Name: "演示跨境电商", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, e); err != nil {
		return err
	}
	var ps []*tracegate.Product
	for key := range d.Filings {
		if len(key) != 13 || strings.Trim(key, "0123456789") != "" {
			continue // an item record number
		}
		p := Product(e.ID, key)
		if err := p.Validate(); err != nil {
			return fmt.Errorf("demo product %s: %w", key, err)
		}
		ps = append(ps, p)
	}
	if _, err := s.SaveProducts(ctx, ps); err != nil {
		return err
	}
	// Customs counts approved filings only: a regulator approves them.
	reg := &tracegate.Enterprise{USCC: USCC(7701), Name: "演示海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	if err := s.CreateEnterprise(ctx, reg); err != nil {
		return err
	}
	for _, p := range ps {
		r := tracegate.ProductReview{Status: tracegate.FilingApproved, FilingNumber: "FN-" + p.GTIN, By: reg.ID}
		if _, err := s.ReviewProduct(ctx, p.ID, r); err != nil {
			return fmt.Errorf("approve demo product %s: %w", p.GTIN, err)
		}
	}
	return nil
}

// CustomsMessages returns the four messages of a generated declaration as
// XML, by document kind.
func CustomsMessages(t testing.TB, d *customs.Declaration) map[customs.DocKind][]byte {
	t.Helper()
	out := map[customs.DocKind][]byte{}
	for k, m := range map[customs.DocKind]customs.Message{customs.DocOrder: d.Order, customs.DocPayment: d.Payment,
		customs.DocWaybill: d.Waybill, customs.DocInventory: d.Inventory} {
		b, err := customs.Marshal(m)
		if err != nil {
			t.Fatalf("Marshal(%s) = %v", k, err)
		}
		out[k] = b
	}
	return out
}

// GenerateFault returns the n-th declaration of a generated day
// (customs.GenerateDay of CustomsDay) made to fail rule, or clean for "";
// declarations of one day have distinct orders.
func GenerateFault(n int, rule string) *customs.Declaration {
	ds := customs.GenerateDay(1, 600, CustomsDay)
	for i := range ds {
		if ds[i].Fault == rule {
			if n == 0 {
				return &ds[i]
			}
			n--
		}
	}
	panic("storetest: not enough generated declarations failing " + rule)
}

// PreloadQuota stores the quota a generated declaration says its buyer has
// used (Declaration.QuotaUsed) as an earlier use.
func PreloadQuota(ctx context.Context, s customs.Store, d *customs.Declaration) error {
	if d.QuotaUsed == 0 {
		return nil
	}
	h := d.Inventory.Inventories[0].Head
	return s.AddQuotaUses(ctx, []customs.QuotaRecord{{BuyerKey: customs.BuyerKey(CustomsSecret, h.BuyerIDType, h.BuyerIDNumber),
		Year: CustomsDay.Year(), Value: d.QuotaUsed, At: CustomsDay}})
}

func newCustoms(t *testing.T, open Opener) (CustomsStore, *customs.Service, *FixedClock) {
	t.Helper()
	clock := NewClock()
	s, ok := open(t, clock).(CustomsStore)
	if !ok {
		t.Fatal("the store does not implement customs.Store")
	}
	svc, err := customs.NewService(customs.ServiceConfig{Secret: CustomsSecret, MatchTimeout: 24 * time.Hour}, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := SetUpCustomsDemo(context.Background(), s, svc); err != nil {
		t.Fatalf("SetUpCustomsDemo() = %v", err)
	}
	return s, svc, clock
}

var customsSender = customs.Sender{USCC: USCC(7701)}

func intake(t *testing.T, svc *customs.Service, body []byte) *customs.IntakeResult {
	t.Helper()
	res, err := svc.Intake(context.Background(), customsSender, body)
	if err != nil {
		t.Fatalf("Intake() = %v", err)
	}
	return res
}

func testCustoms(t *testing.T, open Opener) {
	t.Run("ArrivalOrders", func(t *testing.T) { testCustomsArrival(t, open) })
	t.Run("Timeout", func(t *testing.T) { testCustomsTimeout(t, open) })
	t.Run("QuotaAndRefund", func(t *testing.T) { testCustomsQuota(t, open) })
	t.Run("BadInput", func(t *testing.T) { testCustomsBadInput(t, open) })
	t.Run("Samples", func(t *testing.T) { testCustomsSamples(t, open) })
	t.Run("FirstLine", func(t *testing.T) { testCustomsFirstLine(t, open) })
	t.Run("Review", func(t *testing.T) { testCustomsReview(t, open) })
	t.Run("Cancel", func(t *testing.T) { testCustomsCancel(t, open) })
	t.Run("Receipts", func(t *testing.T) { testCustomsReceipts(t, open) })
	t.Run("Batch", func(t *testing.T) { testCustomsBatch(t, open) })
	t.Run("Parties", func(t *testing.T) { testCustomsParties(t, open) })
}

func testCustomsArrival(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	orders := [][]customs.DocKind{
		{customs.DocInventory, customs.DocOrder, customs.DocPayment, customs.DocWaybill},
		{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory},
		{customs.DocWaybill, customs.DocInventory, customs.DocPayment, customs.DocOrder},
	}
	for i, order := range orders {
		d := GenerateFault(i, "")
		msgs := CustomsMessages(t, d)
		for j, k := range order {
			res := intake(t, svc, msgs[k])
			doc := res.Documents[0]
			last := j == len(order)-1
			if !last && len(doc.Missing) != len(order)-1-j {
				t.Fatalf("order %d: after %v missing = %v", i, order[:j+1], doc.Missing)
			}
			if doc.Decision != nil && !last && doc.Decision.Status != customs.OutcomeWaiting {
				t.Fatalf("order %d: after %v decision %+v, want waiting", i, order[:j+1], doc.Decision)
			}
			if last && (doc.Decision == nil || doc.Decision.Status != customs.OutcomePass) {
				t.Fatalf("order %d: complete decision = %+v, want pass", i, doc.Decision)
			}
		}
		h := d.Inventory.Inventories[0].Head
		rec, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo)
		if err != nil || rec.Decision.Status != customs.OutcomePass || rec.LedgerIndex < 0 || !rec.State.Complete() {
			t.Fatalf("FindCustomsDeclaration() = %+v, %v", rec, err)
		}
		leaves, err := s.ReadEntries(ctx, rec.LedgerIndex, rec.LedgerIndex+1)
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := ledger.ParseLeaf(leaves[0])
		if err != nil || leaf.Kind != ledger.KindCustomsDecision || leaf.ContentHash != rec.ContentHash {
			t.Fatalf("leaf %d = %+v, %v; want a customs decision with hash %s", rec.LedgerIndex, leaf, err, rec.ContentHash)
		}
		// The stored decision re-derives the leaf's content hash (what an
		// audit recomputes).
		if hash, err := customs.DecisionContentHash(*rec.Decision, rec.GUIDs()); err != nil || hash != leaf.ContentHash {
			t.Fatalf("DecisionContentHash(stored decision) = %s, %v; want %s", hash, err, leaf.ContentHash)
		}
		if bytes.Contains(leaves[0], []byte(h.BuyerIDNumber)) {
			t.Fatal("the leaf holds the buyer's ID number")
		}
	}
	n, err := s.LedgerSize(ctx)
	if err != nil || n < 6 {
		t.Fatalf("LedgerSize() = %d, %v; want every decision in the ledger", n, err)
	}
	checkLedger(t, s)
}

func testCustomsTimeout(t *testing.T, open Opener) {
	s, svc, clock := newCustoms(t, open)
	ctx := context.Background()
	d := GenerateFault(10, "")
	msgs := CustomsMessages(t, d)
	intake(t, svc, msgs[customs.DocOrder])
	res := intake(t, svc, msgs[customs.DocInventory])
	if res.Documents[0].Decision.Status != customs.OutcomeWaiting {
		t.Fatalf("decision = %+v, want waiting", res.Documents[0].Decision)
	}
	clock.Advance(23 * time.Hour)
	if n, err := svc.Sweep(ctx, clock.Now(), customsSender); err != nil || n != 0 {
		t.Fatalf("Sweep(before the deadline) = %d, %v", n, err)
	}
	clock.Advance(time.Hour)
	if n, err := svc.Sweep(ctx, clock.Now(), customsSender); err != nil || n != 1 {
		t.Fatalf("Sweep(at the deadline) = %d, %v; want 1", n, err)
	}
	h := d.Inventory.Inventories[0].Head
	rec, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo)
	if err != nil || rec.Decision.Status != customs.OutcomeRefuse || !hasRule(rec.Decision, customs.RuleTimeout) {
		t.Fatalf("after the sweep: %+v, %v; want refused for %s", rec.Decision, err, customs.RuleTimeout)
	}
}

func hasRule(d *customs.Decision, rule string) bool {
	for _, r := range d.Reasons {
		if r.Rule == rule && r.Outcome != customs.OutcomePass {
			return true
		}
	}
	return false
}

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

// DeliveryMessage returns a CEB711 (warehouse entry) listing waybills, made
// from the official sample with its head's logistics firm set to code.
func DeliveryMessage(t testing.TB, guid, code string, waybills ...string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(Testdata(t), "ceb", "samples-202205-import", "CEB711Message.xml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := customs.ParseMessage(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	del := m.(*customs.CEB711Message)
	del.GUID = guid
	del.Delivery.Head.LogisticsCode = code
	del.Delivery.Lines = nil
	for i, w := range waybills {
		del.Delivery.Lines = append(del.Delivery.Lines, customs.DeliveryList{Gnum: fmt.Sprint(i + 1), LogisticsNo: w})
	}
	return mustMarshal(t, del)
}

// testCustomsFirstLine screens the goods of a warehouse entry (CEB711)
// whose waybills have inventories, and reports the others.
func testCustomsFirstLine(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	good, bad := GenerateFault(20, ""), GenerateFault(0, customs.RuleProhibited)
	for _, d := range []*customs.Declaration{good, bad} {
		intake(t, svc, CustomsMessages(t, d)[customs.DocInventory])
	}
	gh, bh := good.Inventory.Inventories[0].Head, bad.Inventory.Inventories[0].Head
	before, _ := s.LedgerSize(ctx)
	res := intake(t, svc, DeliveryMessage(t, "E0000000-0000-4000-8000-000000000711", gh.LogisticsCode, gh.LogisticsNo, "NOSUCHWAYBILL", bh.LogisticsNo))
	if len(res.Documents) != 3 {
		t.Fatalf("CEB711 = %+v, want 3 results", res.Documents)
	}
	byNo := map[string]customs.DocumentResult{}
	for _, d := range res.Documents {
		byNo[d.LogisticsNo] = d
	}
	if d := byNo[gh.LogisticsNo].Decision; d == nil || d.Status != customs.OutcomePass {
		t.Fatalf("first line of a clean inventory = %+v, want pass", byNo[gh.LogisticsNo])
	}
	if d := byNo[bh.LogisticsNo].Decision; d == nil || d.Status != customs.OutcomeRefuse || !hasRule(d, customs.RuleProhibited) {
		t.Fatalf("first line of prohibited goods = %+v, want refused", byNo[bh.LogisticsNo])
	}
	if r := byNo["NOSUCHWAYBILL"]; r.Decision != nil || r.Note == "" {
		t.Fatalf("unknown waybill = %+v, want a note and no decision", r)
	}
	if after, _ := s.LedgerSize(ctx); after != before+2 {
		t.Fatalf("ledger grew %d → %d, want 2 first-line decisions", before, after)
	}
	// The second-line decision of the declaration is unchanged (waiting).
	if rec, err := s.FindCustomsDeclaration(ctx, gh.EbpCode, gh.OrderNo); err != nil || rec.Decision.Status != customs.OutcomeWaiting {
		t.Fatalf("second line after the first: %+v, %v", rec, err)
	}
}
