package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"tracegate"
	"tracegate/audit"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// statesStore is what the ledgered-states conformance test needs.
type statesStore interface {
	Store
	audit.Store
	audit.StateStore
	epcis.Store
	CreateHold(ctx context.Context, h *label.Hold) error
}

// RunLedgeredStates checks a store opened to ledger its states (holds,
// filings, master data) as the server opens it: each write adds its
// version to the history and one leaf in its transaction, the history is
// paged in ledger order, the current rows equal the latest versions, and
// the audit finds nothing.
func RunLedgeredStates(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(statesStore)
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(61), Name: "保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	c, err := ledger.NewCommitter(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	size := func(want int64, after string) {
		t.Helper()
		if n, err := s.LedgerSize(ctx); err != nil || n != want {
			t.Fatalf("LedgerSize() after %s = %d, %v; want %d", after, n, err, want)
		}
	}
	p1, p2 := Product(ent.ID, "9421902960031"), Product(ent.ID, "9506000134352")
	for _, p := range []*tracegate.Product{p1, p2} {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p1, p2}); err != nil {
		t.Fatal(err)
	}
	size(2, "filing two products")
	clock.Advance(time.Second)
	p1.NameZH = "a2 白金版 1段（新包装）"
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p1}); err != nil {
		t.Fatal(err)
	}
	size(3, "a new version of a filing")
	h := &label.Hold{Kind: label.NoticeStopSale, GTIN: p1.GTIN, Text: "暂停销售", TextEN: "stop sale", Since: clock.Now(), CreatedBy: ent.ID}
	if err := s.CreateHold(ctx, h); err != nil {
		t.Fatal(err)
	}
	size(4, "a hold")
	doc := masterDataDoc(`{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[`+vocabElement(mdSite, "南沙保税仓")+`]}`,
		locationEvent(1, mdSite, mdSite))
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(c, r, ent.USCC) }
	if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf}); err != nil {
		t.Fatal(err)
	}
	size(6, "a ledgered capture of one event and one master-data element")
	// Without a ledger, a capture's master data is not ledgered either.
	if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true}); err != nil {
		t.Fatal(err)
	}
	size(6, "a capture without the ledger")

	// The history, a page at a time, in ledger order.
	var idx []int64
	for after := int64(-1); ; {
		page, err := s.LedgerStates(ctx, ledger.KindProductFiling, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range page {
			idx = append(idx, st.Index)
			after = st.Index
		}
		if len(page) < 2 {
			break
		}
	}
	if len(idx) != 3 || idx[0] != 0 || idx[1] != 1 || idx[2] != 2 {
		t.Fatalf("LedgerStates(product-filing) indexes = %v, want [0 1 2]", idx)
	}
	for _, k := range []ledger.Kind{ledger.KindProductFiling, ledger.KindLabelHold, ledger.KindMasterData} {
		latest, current := map[string]string{}, map[string]string{}
		var order []string
		if err := s.LatestStates(ctx, k, func(key string, body []byte) error {
			latest[key] = string(body)
			order = append(order, key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.CurrentStates(ctx, k, func(key string, body []byte) error { current[key] = string(body); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(latest) == 0 || len(latest) != len(current) {
			t.Fatalf("%s: %d latest versions, %d current rows", k, len(latest), len(current))
		}
		for key, body := range latest {
			if current[key] != body {
				t.Fatalf("%s %s: current row %s, latest version %s", k, key, current[key], body)
			}
		}
		for i := 1; i < len(order); i++ {
			if order[i-1] >= order[i] {
				t.Fatalf("%s: LatestStates not in key order: %q before %q", k, order[i-1], order[i])
			}
		}
	}
	// The stored entries are the re-derived leaves.
	entries, err := s.ReadEntries(ctx, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		l, err := ledger.ParseLeaf(e)
		if err != nil || (l.Kind != ledger.KindProductFiling && l.Kind != ledger.KindLabelHold) || l.USCC != ent.USCC {
			t.Fatalf("entry %d = %q, %v; want a state leaf of %s", i, e, err, ent.USCC)
		}
	}
	findings, err := audit.Run(ctx, s, c, nil)
	if err != nil || len(findings) != 0 {
		t.Fatalf("audit.Run() = %v, %v; want no findings", findings, err)
	}
}
