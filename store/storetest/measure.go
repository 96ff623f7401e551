package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"tracegate"
	"tracegate/bus"
	"tracegate/credit"
	"tracegate/ledger"
	"tracegate/measure"
)

// testMeasures: a measure's order and each step are stored with their
// ledger leaf and outbox message in one transaction, read back as written,
// listed by filter; a refused change stores nothing; the audit's records
// re-derive the very leaves the ledger holds.
func testMeasures(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock)
	ms, ok := s.(measure.Store)
	if !ok {
		t.Skip("the store keeps no measures")
	}
	ls := s.(ledger.Store)
	ctx := context.Background()
	reg := &tracegate.Enterprise{USCC: USCC(701), Name: "海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	own := &tracegate.Enterprise{USCC: USCC(702), Name: "跨境电商", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	for _, e := range []*tracegate.Enterprise{reg, own} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := measure.NewService(measure.Config{Clock: clock, Enterprises: s, Products: s}, ms)
	if err != nil {
		t.Fatal(err)
	}
	rp := &tracegate.Principal{EnterpriseID: reg.ID, USCC: reg.USCC, Role: tracegate.RoleRegulator}
	op := &tracegate.Principal{EnterpriseID: own.ID, USCC: own.USCC, Role: tracegate.RoleEcommerce}
	deadline := clock.T.Add(72 * time.Hour)
	m, err := svc.Order(ctx, rp, &measure.OrderRequest{Kind: measure.StopSale, Selector: []byte(`{"gtin":"9421902960031","batch":"LNZ26A","origin":"nz"}`),
		Owner: own.USCC, Reason: "标签不符", ReasonEn: "label does not match", Deadline: &deadline, Signal: "RW-1"})
	if err != nil {
		t.Fatal(err)
	}
	size, err := ls.LedgerSize(ctx)
	if err != nil || size != 1 {
		t.Fatalf("ledger size after an order = %d, %v; want 1", size, err)
	}
	got, err := ms.FindMeasure(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != measure.StopSale || got.Status != measure.Ordered || got.Selector.GTIN != "09421902960031" || got.Selector.Origin != "NZ" ||
		got.Owner != own.USCC || got.OrderedBy != reg.USCC || got.Deadline == nil || !got.Deadline.Equal(deadline) || got.Signal != "RW-1" ||
		got.Since == nil || !got.Since.Equal(clock.T.Truncate(time.Microsecond)) || !got.CreatedAt.Equal(clock.T.Truncate(time.Microsecond)) ||
		len(got.History) != 1 || got.History[0].To != measure.Ordered || got.History[0].By != reg.USCC {
		t.Fatalf("FindMeasure() = %+v", got)
	}
	if _, err := ms.FindMeasure(ctx, "M-none"); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindMeasure(unknown) = %v; want ENOTFOUND", err)
	}
	// A refused change stores nothing; a transition is one step and leaf.
	clock.Advance(time.Hour)
	refused := errors.New("refused")
	if err := ms.ChangeMeasure(ctx, m.ID, func(*measure.Measure) (*measure.Write, error) { return nil, refused }); !errors.Is(err, refused) {
		t.Fatalf("ChangeMeasure(refusing fn) = %v", err)
	}
	if _, err := svc.Transition(ctx, op, m.ID, measure.Completed, ""); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("ordered → completed = %v; want ECONFLICT", err)
	}
	if _, err := svc.Transition(ctx, op, m.ID, measure.InProgress, "已下架"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Acknowledge(ctx, op, m.ID, "收到"); err != nil {
		t.Fatal(err)
	}
	d, err := svc.Draft(ctx, rp, &measure.OrderRequest{Kind: measure.Recall, Selector: []byte(`{"hsPrefix":"1901"}`), Owner: own.USCC, Reason: "风险预警", ReasonEn: "risk warning"})
	if err != nil || d.Status != measure.Draft || d.Since != nil {
		t.Fatalf("Draft() = %+v, %v", d, err)
	}
	got, _ = ms.FindMeasure(ctx, m.ID)
	if got.Status != measure.InProgress || len(got.History) != 2 || got.History[1].Note != "已下架" || got.History[1].From != measure.Ordered ||
		len(got.Acks) != 1 || got.Acks[0].By != own.USCC || !got.UpdatedAt.Equal(clock.T.Truncate(time.Microsecond)) {
		t.Fatalf("after a transition and an ack: %+v", got)
	}
	// Lists and the measures in force: a draft is not.
	for _, c := range []struct {
		f    measure.Filter
		want int
	}{{measure.Filter{}, 2}, {measure.Filter{Status: measure.Draft}, 1}, {measure.Filter{Kind: measure.StopSale}, 1},
		{measure.Filter{Owner: reg.USCC}, 0}, {measure.Filter{Limit: 1}, 1}} {
		l, err := ms.ListMeasures(ctx, c.f)
		if err != nil || len(l) != c.want {
			t.Errorf("ListMeasures(%+v) = %d, %v; want %d", c.f, len(l), err, c.want)
		}
	}
	inForce, err := ms.MeasuresInForce(ctx)
	if err != nil || len(inForce) != 1 || inForce[0].ID != m.ID || !inForce[0].InForce(clock.T) {
		t.Fatalf("MeasuresInForce() = %v, %v; want the stop sale", inForce, err)
	}
	// The ledger holds one leaf per step, and the records re-derive them.
	size, _ = ls.LedgerSize(ctx)
	entries, err := ls.ReadEntries(ctx, 0, size)
	if err != nil || size != 4 {
		t.Fatalf("ledger = %d entries, %v; want 4 (order, transition, ack, draft)", size, err)
	}
	n := 0
	err = ms.MeasureRecords(ctx, func(r *measure.Record) error {
		leaf, err := measure.RecordLeaf(r)
		if err != nil || !bytes.Equal(leaf, entries[r.LedgerIndex]) {
			t.Errorf("record %s/%d at %d re-derives to %q, %v; the ledger holds %q", r.Measure.ID, r.Step.Seq, r.LedgerIndex, leaf, err, entries[r.LedgerIndex])
		}
		n++
		return nil
	})
	if err != nil || n != 4 {
		t.Fatalf("MeasureRecords() = %d records, %v; want 4", n, err)
	}
	// The outbox: ordered, status, ack (a draft notifies no one).
	var subjects []string
	if _, err := s.(bus.Outbox).RelayOutbox(ctx, 10, func(_ context.Context, msgs []bus.Message) (int, error) {
		for _, msg := range msgs {
			subjects = append(subjects, msg.Subject)
		}
		return len(msgs), nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"tracegate.measure.stop_sale.ordered", "tracegate.measure.stop_sale.status", "tracegate.measure.stop_sale.ack"}
	if len(subjects) != len(want) || subjects[0] != want[0] || subjects[1] != want[1] || subjects[2] != want[2] {
		t.Fatalf("outbox = %v; want %v", subjects, want)
	}
	// Completed after its deadline: an entry of the owner's credit record.
	cr, ok := s.(credit.Store)
	if !ok {
		return
	}
	clock.Advance(80 * time.Hour)
	if _, err := svc.Transition(ctx, op, m.ID, measure.Completed, "全部下架"); err != nil {
		t.Fatal(err)
	}
	rec, err := cr.CreditRecord(ctx, own.USCC, clock.Now())
	if err != nil || !slices.ContainsFunc(rec.Facts, func(f credit.Fact) bool {
		return f.Kind == credit.KindMeasureLate && f.Ref == "measure:"+m.ID && f.At.Equal(clock.T.Truncate(time.Microsecond))
	}) {
		t.Fatalf("credit record of the late owner = %+v, %v; want measure_late measure:%s", rec, err, m.ID)
	}
	if rec, err := cr.CreditRecord(ctx, reg.USCC, clock.Now()); err != nil || slices.ContainsFunc(rec.Facts, func(f credit.Fact) bool { return f.Kind == credit.KindMeasureLate }) {
		t.Fatalf("credit record of the regulator = %+v, %v; want no measure_late", rec, err)
	}
}
