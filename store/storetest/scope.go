package storetest

import (
	"context"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/measure"
)

// ScopeStore is what the scope suite needs of a store.
type ScopeStore interface {
	LabelStore
	measure.ScopeStore
}

// scopeDeclarations are the released declarations the scope suite
// dispatches against, with their consignees.
var scopeDeclarations = Declarations{
	"4401960001/ORD-1": {Released: true, Status: "pass", Codes: []string{"4401960001", "4401980002", WarehouseCode(1)},
		LogisticsCode: "4401980002", LogisticsNo: "SF1", Consignee: "张三", ConsigneePhone: "13812340000", ConsigneeAddress: "广东省广州市南沙区进港大道 8 号"},
	"4401960001/ORD-2": {Released: true, Status: "pass", Codes: []string{"4401960001", "4401980002", WarehouseCode(1)},
		LogisticsCode: "4401980002", LogisticsNo: "SF2", Consignee: "李四", ConsigneePhone: "13900001111", ConsigneeAddress: "上海市浦东新区"},
}

// CaptureEvents stores events recorded by enterprise in one capture job,
// without the ledger, as a capture would.
func CaptureEvents(t testing.TB, s epcis.Store, enterprise int64, events ...*epcis.Event) {
	t.Helper()
	ctx := context.Background()
	job := &epcis.CaptureJob{EnterpriseID: enterprise, Behaviour: epcis.Rollback}
	if err := s.CreateCaptureJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	recs := make([]*epcis.Record, len(events))
	for i, e := range events {
		recs[i] = epcis.NewRecord(e, enterprise)
		recs[i].CaptureID = job.ID
	}
	if err := s.WriteEvents(ctx, nil, func(w epcis.EventWriter) error { _, err := w.Write(ctx, recs); return err }); err != nil {
		t.Fatal(err)
	}
}

func testScope(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(ScopeStore)
	ctx := context.Background()
	_, p, prod := LabelService(t, s, clock, 1, "9421902960031")
	_, q, _ := LabelService(t, s, clock, 2, "9421902960048")
	svc, err := label.NewService(label.ServiceConfig{Secret: LabelSecret, BaseURL: "https://tg.example", Clock: clock,
		Parties: s, Declarations: scopeDeclarations}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	_, codes, err := svc.Issue(ctx, p, 30, "", false)
	if err != nil {
		t.Fatal(err)
	}
	epc := func(i int) string { return label.EPC(svc.Hash(codes[i])) }
	intake := func(cs []label.Code, batch, produced string) {
		t.Helper()
		if _, err := svc.Intake(ctx, p, &label.IntakeRequest{Codes: compactCodes(cs), GTIN: prod.GTIN, Batch: batch,
			ProductionDate: produced, Location: "urn:epc:id:sgln:6901234.00020.0"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	t0 := clock.Now()
	intake(codes[:20], "B1", "2026-08-01")
	intake(codes[20:25], "B2", "2026-09-15")
	clock.Advance(time.Hour)
	t1 := clock.Now()
	for _, o := range []struct {
		order, waybill string
		codes          []label.Code
	}{{"ORD-1", "SF1", codes[:2]}, {"ORD-2", "SF2", codes[2:3]}} {
		if _, err := svc.Dispatch(ctx, p, &label.DispatchRequest{Codes: compactCodes(o.codes), EBPCode: "4401960001", OrderNo: o.order,
			LogisticsCode: "4401980002", WaybillNo: o.waybill}, nil); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Hour)
	t2 := clock.Now()
	zone := "+08:00"
	obj := func(step string, epcs ...string) *epcis.Event {
		return &epcis.Event{Type: epcis.ObjectEvent, Action: epcis.ActionObserve, EventTime: t2, EventTimeZoneOffset: zone,
			EPCList: epcs, BizStep: "https://ref.gs1.org/cbv/BizStep-" + step}
	}
	// The owner records a delivery and a return; another enterprise's
	// claims over the same labels change nothing.
	CaptureEvents(t, s, p.EnterpriseID, obj("receiving", epc(0)), obj("returning", epc(2)), obj("destroying", epc(5)))
	CaptureEvents(t, s, q.EnterpriseID, obj("destroying", epc(1), epc(6)))
	// Four B2 items in a case, the case on a pallet.
	sscc, pallet := "https://id.gs1.org/00/069012340000000016", "https://id.gs1.org/00/069012340000000023"
	agg := func(parent string, children ...string) *epcis.Event {
		return &epcis.Event{Type: epcis.AggregationEvent, Action: epcis.ActionAdd, EventTime: t2, EventTimeZoneOffset: zone,
			ParentID: parent, ChildEPCs: children, BizStep: "https://ref.gs1.org/cbv/BizStep-packing"}
	}
	CaptureEvents(t, s, p.EnterpriseID, agg(sscc, epc(20), epc(21), epc(22), epc(23)), agg(pallet, sscc))
	t3 := t2.Add(time.Second)

	sum := func(sel tracegate.Selector, at time.Time, v measure.Viewer) *measure.Summary {
		t.Helper()
		got, err := measure.Summarise(ctx, s, measure.ScopeQuery{Selector: sel, At: at}, v)
		if err != nil {
			t.Fatalf("Summarise(%+v) = %v", sel, err)
		}
		return got
	}
	lot := tracegate.Selector{GTIN: prod.GTIN, Batch: "B1"}
	got := sum(lot, t3, measure.Viewer{})
	want := measure.StatusCounts{Total: 20, InStock: 16, Dispatched: 1, Delivered: 1, Returned: 1, Destroyed: 1}
	if got.Items != want || got.Orders != 2 || got.Consumers != 2 || got.Done != 2 || got.Percent != 10 {
		t.Fatalf("scope of the lot = %+v; want %+v, 2 orders and consumers, 10%% done", got, want)
	}
	if len(got.Batches) != 1 || got.Batches[0] != (measure.BatchCount{GTIN: prod.GTIN, Batch: "B1", Items: 20}) ||
		len(got.Warehouses) != 1 || got.Warehouses[0].Items != 20 || got.Warehouses[0].ID != p.USCC {
		t.Fatalf("scope of the lot: batches %+v, warehouses %+v", got.Batches, got.Warehouses)
	}
	// As of an earlier time: before the dispatches, before any intake.
	if got := sum(lot, t1.Add(-time.Minute), measure.Viewer{}); got.Items != (measure.StatusCounts{Total: 20, InStock: 20}) {
		t.Fatalf("scope before dispatch = %+v", got.Items)
	}
	if got := sum(lot, t0.Add(-time.Minute), measure.Viewer{}); got.Items.Total != 0 || got.Percent != 100 {
		t.Fatalf("scope before intake = %+v", got.Items)
	}
	for _, c := range []struct {
		name string
		sel  tracegate.Selector
		want int
	}{
		{"gtin", tracegate.Selector{GTIN: prod.GTIN}, 25},
		{"origin", tracegate.Selector{Origin: "nz"}, 25},
		{"hsPrefix", tracegate.Selector{HSPrefix: "1901"}, 25},
		{"hsPrefix other", tracegate.Selector{HSPrefix: "3304"}, 0},
		{"manufacturer", tracegate.Selector{Manufacturer: "Synlait Milk Ltd"}, 25},
		{"enterprise", tracegate.Selector{Enterprise: p.USCC}, 25},
		{"enterprise other", tracegate.Selector{Enterprise: q.USCC}, 0},
		{"producedFrom", tracegate.Selector{GTIN: prod.GTIN, ProducedFrom: "2026-09-01"}, 5},
		{"producedTo", tracegate.Selector{ProducedTo: "2026-08-31"}, 20},
		{"warehouse", tracegate.Selector{Warehouse: "urn:epc:id:sgln:6901234.00020.0"}, 25},
		{"case", tracegate.Selector{Container: sscc}, 4},
		{"pallet at any depth", tracegate.Selector{Container: "069012340000000023"}, 4},
		{"pallet and lot", tracegate.Selector{Container: pallet, GTIN: prod.GTIN, Batch: "B1"}, 0},
	} {
		if got := sum(c.sel, t3, measure.Viewer{}); got.Items.Total != c.want {
			t.Errorf("scope of %s (%+v) = %d items; want %d", c.name, c.sel, got.Items.Total, c.want)
		}
	}
	if got := sum(tracegate.Selector{Container: pallet}, t2.Add(-time.Second), measure.Viewer{}); got.Items.Total != 0 {
		t.Errorf("pallet scope before packing = %d items; want 0", got.Items.Total)
	}
	// Unpacked from the pallet after t3: a scope as of later finds nothing
	// in it, unless its contents are taken as of t3 (a measure's time).
	t4 := t3.Add(time.Minute)
	unpack := agg(pallet, sscc)
	unpack.Action, unpack.EventTime, unpack.BizStep = epcis.ActionDelete, t3.Add(time.Second), "https://ref.gs1.org/cbv/BizStep-unpacking"
	CaptureEvents(t, s, p.EnterpriseID, unpack)
	for contained, want := range map[time.Time]int{{}: 0, t3: 4, t2.Add(-time.Second): 0} {
		got, err := measure.Summarise(ctx, s, measure.ScopeQuery{Selector: tracegate.Selector{Container: pallet}, At: t4, ContainedAt: contained}, measure.Viewer{})
		if err != nil || got.Items.Total != want {
			t.Errorf("pallet scope at t4, contents as of %v = %+v, %v; want %d items", contained, got, err, want)
		}
	}
	// Another enterprise sees none of these goods; the owner all, in full.
	if got := sum(lot, t3, measure.Viewer{EnterpriseID: q.EnterpriseID}); got.Items.Total != 0 {
		t.Errorf("scope as another enterprise = %+v; want nothing", got.Items)
	}
	var rows []measure.ScopeItem
	err = measure.Each(ctx, s, measure.ScopeQuery{Selector: lot, At: t3}, measure.Viewer{EnterpriseID: p.EnterpriseID}, func(it *measure.ScopeItem, st measure.ItemStatus) error {
		if st != measure.InStock {
			rows = append(rows, *it)
		}
		return nil
	})
	if err != nil || len(rows) != 4 {
		t.Fatalf("Each(lot) = %d moved items, %v", len(rows), err)
	}
	for _, r := range rows {
		if r.OrderNo == "ORD-1" && (r.Consignee != "张三" || r.ConsigneePhone != "13812340000" || r.WaybillNo != "SF1" || r.Product == "") {
			t.Errorf("owner's row %+v; want the consignee in full", r)
		}
	}
	if _, err := measure.Summarise(ctx, s, measure.ScopeQuery{At: t3}, measure.Viewer{}); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Errorf("Summarise(no field) = %v; want EINVALID", err)
	}
}
