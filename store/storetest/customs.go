package storetest

import (
	"bytes"
	"context"
	"fmt"
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
