package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// LabelStore is what the label suite needs of a store.
type LabelStore interface {
	Store
	label.Store
	epcis.Store
	ledger.Store
	tracegate.PartyStore
}

// Declarations are the released declarations the label suite dispatches
// against, by ebpCode/orderNo (label.Declarations over a map).
type Declarations map[string]*tracegate.DeclarationParties

// DeclarationParties returns the declaration of (ebpCode, orderNo), or
// ENOTFOUND.
func (d Declarations) DeclarationParties(_ context.Context, ebpCode, orderNo string) (*tracegate.DeclarationParties, error) {
	if x, ok := d[ebpCode+"/"+orderNo]; ok {
		return x, nil
	}
	return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration of order %s", orderNo)
}

// WarehouseCode is the confirmed customs code (area) of the warehouse of
// LabelService(n).
func WarehouseCode(n int) string { return fmt.Sprintf("440163%04d", n) }

// suiteDeclarations are the released declarations of the label suite: two
// orders of platform 4401960001 shipped through warehouse 1.
var suiteDeclarations = Declarations{
	"4401960001/ORD-1": {Released: true, Status: "pass", Codes: []string{"4401960001", "4401980002", WarehouseCode(1)}, LogisticsCode: "4401980002", LogisticsNo: "SF1"},
	"4401960001/ORD-2": {Released: true, Status: "pass", Codes: []string{"4401960001", "4401980002", WarehouseCode(1)}, LogisticsCode: "4401980002", LogisticsNo: "SF2"},
}

// LabelSecret is the label key of tests (not random: test data only).
var LabelSecret = []byte("tracegate-test-label-key-32-bytes!!")

// LabelService returns a label service over s for tests, with a principal
// of a new warehouse enterprise filing product gtin.
func LabelService(t testing.TB, s LabelStore, clock tracegate.Clock, n int, gtin string) (*label.Service, *tracegate.Principal, *tracegate.Product) {
	t.Helper()
	ctx := context.Background()
	e := &tracegate.Enterprise{USCC: USCC(600 + n), Name: "南沙保税仓", NameEN: "Nansha Bonded Warehouse",
		Roles: []tracegate.Role{tracegate.RoleWarehouse, tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	p := Product(e.ID, gtin)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{p}); err != nil {
		t.Fatal(err)
	}
	code := &tracegate.CustomsCode{Code: WarehouseCode(n), Kind: tracegate.CodeArea, EnterpriseID: e.ID, Status: tracegate.CodeConfirmed}
	if err := s.SaveCustomsCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	svc, err := label.NewService(label.ServiceConfig{Secret: LabelSecret, BaseURL: "https://tg.example", Clock: clock,
		Parties: s, Declarations: suiteDeclarations}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	return svc, &tracegate.Principal{EnterpriseID: e.ID, USCC: e.USCC, Enterprise: e, Role: tracegate.RoleWarehouse}, p
}

func compactCodes(codes []label.Code) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.String()
	}
	return out
}

// wantRefused checks that err is code with a detail at each pointer whose
// text contains the word given.
func wantRefused(t *testing.T, what string, err error, code string, details map[string]string) {
	t.Helper()
	var te *tracegate.Error
	if !errors.As(err, &te) || te.Code != code {
		t.Fatalf("%s = %v; want %s", what, err, code)
	}
	for ptr, word := range details {
		i := slices.IndexFunc(te.Details, func(d tracegate.FieldError) bool { return d.Pointer == ptr })
		if i < 0 || !strings.Contains(te.Details[i].Detail, word) {
			t.Fatalf("%s: details %+v; want %s saying %q", what, te.Details, ptr, word)
		}
	}
	if len(te.Details) != len(details) {
		t.Fatalf("%s: details %+v; want exactly %d", what, te.Details, len(details))
	}
}

func testLabels(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(LabelStore)
	ctx := context.Background()
	svc, p, prod := LabelService(t, s, clock, 1, "9421902960031")
	other, q, _ := LabelService(t, s, clock, 2, "9421902960048")
	committer, err := ledger.NewCommitter(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(uscc string) epcis.LeafFunc {
		return func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(committer, r, uscc) }
	}

	// Issuance: one leaf per 1000 labels, committing to each code.
	req, codes, err := svc.Issue(ctx, p, 2500, "a2 白金版", true)
	if err != nil || len(codes) != 2500 || req.ID == 0 || req.LedgerIndex != 0 {
		t.Fatalf("Issue(2500) = %+v, %d codes, %v", req, len(codes), err)
	}
	if n, _ := s.LedgerSize(ctx); n != 3 {
		t.Fatalf("ledger size after issuing 2500 = %d; want 3 leaves", n)
	}
	entries, err := s.ReadEntries(ctx, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1000, 1000, 500} {
		l, err := ledger.ParseLeaf(entries[i])
		if err != nil || l.Kind != ledger.KindLabelIssuance || len(l.Items) != want || l.USCC != p.USCC {
			t.Fatalf("issuance leaf %d = %+v, %v", i, l, err)
		}
		if !l.HasItem(codes[i*1000].Commitment()) || l.HasItem(codes[(i+1)%3*1000].Commitment()) {
			t.Fatalf("issuance leaf %d does not commit to exactly its own chunk", i)
		}
	}
	var chunks int
	err = s.IssuanceChunks(ctx, func(c *label.IssuanceChunk) error {
		got, err := label.IssuanceLeaf(c)
		if err != nil || !bytes.Equal(got, entries[c.LedgerIndex]) {
			t.Errorf("re-derived issuance leaf %d differs from the stored one (%v)", c.LedgerIndex, err)
		}
		chunks++
		return nil
	})
	if err != nil || chunks != 3 {
		t.Fatalf("IssuanceChunks() = %d chunks, %v", chunks, err)
	}
	st, err := s.FindLabel(ctx, svc.Hash(codes[1500]))
	if err != nil || st.IssuedTo != p.EnterpriseID || st.IssuanceLeaf != 1 || st.ProductID != 0 || !st.IssuedAt.Equal(req.CreatedAt) || st.Seq != 1500 {
		t.Fatalf("FindLabel() = %+v, %v", st, err)
	}
	if _, err := s.FindLabel(ctx, [32]byte{1}); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("FindLabel(unknown) = %v; want ENOTFOUND", err)
	}
	_, theirs, err := other.Issue(ctx, q, 3, "", true)
	if err != nil {
		t.Fatal(err)
	}

	// Intake: all or nothing, each refusal named.
	unknown, _ := label.NewCode()
	intake := func(codes []string, batch string) (*label.BindResult, error) {
		return svc.Intake(ctx, p, &label.IntakeRequest{Codes: codes, GTIN: prod.GTIN, Batch: batch,
			ProductionDate: "2026-08-01", ExpiryDate: "2028-07-31", Location: "urn:epc:id:sgln:6901234.00020.0"}, leaf(p.USCC))
	}
	_, err = intake([]string{unknown.String()}, "B1")
	wantRefused(t, "Intake(never issued)", err, tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})
	_, err = intake([]string{codes[0].String(), theirs[0].String(), unknown.String()}, "B1")
	// Another's label is answered as one never issued (issue 11, finding 13).
	wantRefused(t, "Intake(mixed)", err, tracegate.ECONFLICT, map[string]string{"/codes/1": "not a code issued", "/codes/2": "not a code issued"})
	if st, _ := s.FindLabel(ctx, svc.Hash(codes[0])); st.ProductID != 0 {
		t.Fatal("a refused intake bound a label")
	}
	size, _ := s.LedgerSize(ctx)
	res, err := intake(compactCodes(codes[:1200]), "B1")
	if err != nil || res.Bound != 1200 || len(res.Events) != 2 {
		t.Fatalf("Intake(1200) = %+v, %v", res, err)
	}
	if n, _ := s.LedgerSize(ctx); n != size+2 {
		t.Fatalf("ledger grew by %d; want the 2 intake events", n-size)
	}
	ev, err := s.FindEvent(ctx, res.Events[1])
	if err != nil || ev.LedgerIndex != size+1 {
		t.Fatalf("FindEvent(intake) = %+v, %v", ev, err)
	}
	if e, err := epcis.DecodeEvent(ev.Body); err != nil || len(e.EPCList) != 200 || e.EPCList[0] != label.EPC(svc.Hash(codes[1000])) ||
		!strings.HasSuffix(e.BizStep, "commissioning") || len(e.ILMD) == 0 {
		t.Fatalf("intake event = %+v, %v", e, err)
	}
	st, _ = s.FindLabel(ctx, svc.Hash(codes[1100]))
	if st.ProductID != prod.ID || st.GTIN != prod.GTIN || st.Batch != "B1" || st.ExpiryDate != "2028-07-31" || st.Warehouse != "南沙保税仓" ||
		st.IntakeEvent != res.Events[1] || !st.IntakeAt.Equal(clock.T.Truncate(time.Millisecond)) {
		t.Fatalf("label after intake = %+v", st)
	}
	_, err = intake([]string{codes[5].String(), codes[1300].String()}, "B1")
	wantRefused(t, "Intake(again)", err, tracegate.ECONFLICT, map[string]string{"/codes/0": "already bound"})

	// Holds: a stop-sale on one batch refuses it; a risk notice does not.
	for _, h := range []*label.Hold{
		{Kind: label.NoticeStopSale, GTIN: prod.GTIN, Batch: "B2", Text: "停售", TextEN: "Stop sale", Since: clock.T.Add(-time.Hour)},
		{Kind: label.NoticeRiskNotice, GTIN: prod.GTIN, Text: "风险提示", TextEN: "Risk notice", Since: clock.T.Add(-time.Hour)},
	} {
		if err := s.CreateHold(ctx, h); err != nil || h.ID == 0 {
			t.Fatalf("CreateHold() = %v", err)
		}
	}
	_, err = intake([]string{codes[1300].String()}, "B2")
	wantRefused(t, "Intake(stop-sale batch)", err, tracegate.ECONFLICT, map[string]string{"/codes/0": "stop-sale"})
	_, err = svc.Intake(ctx, p, &label.IntakeRequest{Codes: []string{codes[1300].String()}, GTIN: prod.GTIN, Batch: "B2",
		At: clock.T.AddDate(-1, 0, 0)}, nil)
	wantRefused(t, "Intake(stop-sale batch, dated before the hold)", err, tracegate.ECONFLICT, map[string]string{"/codes/0": "stop-sale"})
	_, err = svc.Intake(ctx, p, &label.IntakeRequest{Codes: []string{codes[1300].String()}, GTIN: prod.GTIN, Batch: "B3",
		At: clock.T.Add(time.Hour)}, nil)
	if err == nil || !strings.Contains(err.Error(), "future") {
		t.Fatalf("Intake(an hour ahead) = %v; want refused", err)
	}
	if _, err := intake([]string{codes[1300].String()}, "B3"); err != nil {
		t.Fatalf("Intake(batch without a stop-sale) = %v", err)
	}
	if hs, err := s.Holds(ctx, prod.GTIN); err != nil || len(hs) != 2 || hs[0].Batch != "B2" || hs[1].Batch != "" {
		t.Fatalf("Holds() = %+v, %v", hs, err)
	}

	// Dispatch: bound labels only, one waybill each; unbinding with a reason.
	dispatch := func(codes []string, waybill string) (*label.BindResult, error) {
		order := map[string]string{"SF1": "ORD-1", "SF2": "ORD-2"}[waybill]
		return svc.Dispatch(ctx, p, &label.DispatchRequest{Codes: codes, EBPCode: "4401960001", OrderNo: order,
			LogisticsCode: "4401980002", WaybillNo: waybill}, leaf(p.USCC))
	}
	_, err = dispatch([]string{codes[0].String(), codes[2000].String()}, "SF1")
	wantRefused(t, "Dispatch(unbound)", err, tracegate.ECONFLICT, map[string]string{"/codes/1": "not bound"})
	if _, err := dispatch([]string{codes[0].String(), codes[1].String()}, "SF1"); err != nil {
		t.Fatalf("Dispatch() = %v", err)
	}
	_, err = dispatch([]string{codes[1].String()}, "SF2")
	wantRefused(t, "Dispatch(again)", err, tracegate.ECONFLICT, map[string]string{"/codes/0": "SF1"})
	_, err = svc.Unbind(ctx, p, &label.UnbindRequest{Codes: []string{codes[1].String()}, Of: "intake", Reason: "错贴"}, leaf(p.USCC))
	wantRefused(t, "Unbind(intake of a dispatched label)", err, tracegate.ECONFLICT, map[string]string{"/codes/0": "unbind the dispatch first"})
	if _, err := svc.Unbind(ctx, p, &label.UnbindRequest{Codes: []string{codes[1].String()}, Of: "dispatch", Reason: "订单取消"}, leaf(p.USCC)); err != nil {
		t.Fatalf("Unbind(dispatch) = %v", err)
	}
	if st, _ := s.FindLabel(ctx, svc.Hash(codes[1])); !st.DispatchAt.IsZero() || st.WaybillNo != "" || st.ProductID == 0 {
		t.Fatalf("label after unbinding its dispatch = %+v", st)
	}
	if _, err := dispatch([]string{codes[1].String()}, "SF2"); err != nil {
		t.Fatalf("Dispatch(after unbinding) = %v", err)
	}
	st, _ = s.FindLabel(ctx, svc.Hash(codes[0]))
	if st.WaybillNo != "SF1" || st.OrderNo != "ORD-1" || st.EBPCode != "4401960001" || st.DispatchAt.IsZero() || st.DispatchEvent == "" {
		t.Fatalf("label after dispatch = %+v", st)
	}
	if e, _ := s.FindEvent(ctx, st.DispatchEvent); e == nil || !bytes.Contains(e.Body, []byte(label.WaybillURI("4401980002", "SF1"))) {
		t.Fatal("the dispatch event does not name the waybill")
	}
	_, err = other.Intake(ctx, q, &label.IntakeRequest{Codes: []string{codes[3].String()}, GTIN: "9421902960048", Batch: "X"}, nil)
	wantRefused(t, "Intake(by another enterprise)", err, tracegate.ENOTFOUND, map[string]string{"/codes/0": "not a code issued"})

	// Scans and complaints.
	h := svc.Hash(codes[0])
	var recs []label.ScanRecord
	for i := range 3 {
		recs = append(recs, label.ScanRecord{Hash: h, Scan: label.Scan{At: clock.T.Add(time.Duration(3-i) * time.Hour), HasPosition: i == 0,
			Lat: 23.1, Lon: 113.3, IPPrefix: "203.0.113.0/24", Place: "广州", Device: label.DevicePhone}})
	}
	if err := s.RecordScans(ctx, recs); err != nil {
		t.Fatal(err)
	}
	scans, total, err := s.LabelScans(ctx, h, 2)
	if err != nil || total != 3 || len(scans) != 2 || !scans[0].At.Equal(recs[2].Scan.At) || scans[0].HasPosition ||
		scans[1].Device != label.DevicePhone || scans[1].Place != "广州" {
		t.Fatalf("LabelScans() = %+v, %d, %v", scans, total, err)
	}
	if _, n, err := s.LabelScans(ctx, svc.Hash(codes[9]), 10); err != nil || n != 0 {
		t.Fatalf("LabelScans(unscanned) = %d, %v", n, err)
	}
	c := &label.Complaint{Hash: &h, GTIN: prod.GTIN, Batch: "B1", Category: "quality", Text: "罐子漏气", Photo: []byte{0x89, 'P', 'N', 'G'},
		PhotoType: "image/png", IPPrefix: "203.0.113.0/24", Device: "phone"}
	if err := s.CreateComplaint(ctx, c); err != nil || c.ID == 0 {
		t.Fatalf("CreateComplaint() = %v", err)
	}
	if list, err := s.Complaints(ctx, 10); err != nil || len(list) != 1 || list[0].Text != "罐子漏气" || list[0].PhotoType != "image/png" {
		t.Fatalf("Complaints() = %+v, %v", list, err)
	}
}
