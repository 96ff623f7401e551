package storetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"tracegate/customs"
)

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
