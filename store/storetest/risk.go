package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/risk"
)

// RiskStore is what the risk suite needs.
type RiskStore interface {
	Store
	risk.Store
	label.Store
	label.ComplaintStore
	epcis.Store
	ledger.Store
	tracegate.PartyStore
}

// fakeDrafter records the drafts asked of it, answering ids m1, m2, …
type fakeDrafter struct{ drafts []risk.MeasureDraft }

func (d *fakeDrafter) DraftMeasure(_ context.Context, m risk.MeasureDraft) (string, error) {
	d.drafts = append(d.drafts, m)
	return fmt.Sprintf("m%d", len(d.drafts)), nil
}

// RiskFixture is a store with a regulator, a lab, a warehouse that filed a
// product and took three of its labels into stock as batch B1, and the
// risk service over it.
type RiskFixture struct {
	S        RiskStore
	Clock    *FixedClock
	Svc      *risk.Service
	Drafter  *fakeDrafter
	Reg, Lab tracegate.Principal
	Owner    *tracegate.Principal
	Product  *tracegate.Product
	Labels   *label.Service
	Codes    []label.Code
}

// NewRiskFixture builds the fixture over a store of open.
func NewRiskFixture(t *testing.T, open Opener) *RiskFixture {
	t.Helper()
	ctx := context.Background()
	clock := NewClock()
	s, ok := open(t, clock).(RiskStore)
	if !ok {
		t.Fatal("the store does not implement risk.Store")
	}
	f := &RiskFixture{S: s, Clock: clock, Drafter: &fakeDrafter{}}
	for i, role := range []tracegate.Role{tracegate.RoleRegulator, tracegate.RoleLab} {
		e := &tracegate.Enterprise{USCC: USCC(1400 + i), Name: string(role), Roles: []tracegate.Role{role}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		p := tracegate.Principal{EnterpriseID: e.ID, USCC: e.USCC, Role: role, Enterprise: e}
		if role == tracegate.RoleRegulator {
			f.Reg = p
		} else {
			f.Lab = p
		}
	}
	f.Labels, f.Owner, f.Product = LabelService(t, s, clock, 14, "09421902960055")
	_, codes, err := f.Labels.Issue(ctx, f.Owner, 5, "risk", true)
	if err != nil {
		t.Fatal(err)
	}
	f.Codes = codes
	c, err := ledger.NewCommitter(LabelSecret)
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(c, r, f.Owner.USCC) }
	if _, err := f.Labels.Intake(ctx, f.Owner, &label.IntakeRequest{Codes: compactCodes(codes[:3]), GTIN: f.Product.GTIN, Batch: "B1",
		Location: "urn:epc:id:sgln:6901234.00020.0"}, leaf); err != nil {
		t.Fatal(err)
	}
	f.Svc, err = risk.NewService(ctx, s, risk.ServiceConfig{Clock: clock, Drafter: f.Drafter,
		Monitor: func(context.Context) (string, error) { return f.Reg.USCC, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Complain files a scan-page complaint on the fixture's batch from the
// network prefix.
func (f *RiskFixture) Complain(t *testing.T, prefix string) {
	t.Helper()
	ref, _ := label.NewComplaintReference()
	h, _ := label.ComplaintRefHash(ref)
	c := &label.Complaint{GTIN: f.Product.GTIN, Batch: "B1", Category: "quality", Text: "奶粉结块", IPPrefix: prefix, Device: "phone",
		RefHash: h, OwnerID: f.Owner.EnterpriseID}
	if err := f.S.FileComplaint(context.Background(), c, 0); err != nil {
		t.Fatal(err)
	}
}

func testRisk(t *testing.T, open Opener) {
	f := NewRiskFixture(t, open)
	ctx := context.Background()
	s, svc := f.S, f.Svc
	gtin := f.Product.GTIN
	batch := risk.Subject{Kind: risk.SubjectBatch, Value: gtin + "/B1"}

	// A failed lab result on the batch, from the lab.
	f.Clock.Advance(time.Hour)
	lab := &risk.Signal{Kind: risk.KindLabTest, Source: "CIQ lab Guangzhou", Selector: tracegate.Selector{GTIN: gtin, Batch: "B1"},
		Hazard: risk.HazardMicrobial, Severity: risk.SeverityHigh, Title: "Cronobacter sakazakii detected", Ref: "LAB-2026-0042",
		Attachments: []risk.Attachment{{Name: "report.pdf", Data: []byte("%PDF-1.4 report")}}}
	chs, err := svc.AddSignals(ctx, f.Lab, []*risk.Signal{lab})
	if err != nil {
		t.Fatalf("AddSignals(lab) = %v", err)
	}
	want := map[risk.Subject]bool{batch: true, {Kind: risk.SubjectGTIN, Value: gtin}: true, {Kind: risk.SubjectHS, Value: "19011010"}: true,
		{Kind: risk.SubjectOrigin, Value: "NZ"}: true, {Kind: risk.SubjectManufacturer, Value: "Synlait Milk Ltd"}: true,
		{Kind: risk.SubjectEnterprise, Value: f.Owner.USCC}: true}
	if len(chs) != len(want) {
		t.Fatalf("AddSignals moved %d subjects %+v; want %d", len(chs), chs, len(want))
	}
	for _, ch := range chs {
		if !want[ch.Subject] || ch.After != 6 || ch.To != risk.LevelWarning || ch.WarningID == 0 {
			t.Errorf("change %+v; want a score of 6 (1.5 × 4) at warning with a warning opened", ch)
		}
	}
	// The same ref again is refused, and nothing of the call stored.
	dup := *lab
	dup.Attachments = nil
	other := &risk.Signal{Kind: risk.KindSpotCheck, Selector: tracegate.Selector{GTIN: gtin}, Hazard: risk.HazardOther, Severity: risk.SeverityLow, Title: "x"}
	if _, err := svc.AddSignals(ctx, f.Lab, []*risk.Signal{other, &dup}); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("AddSignals(repeated ref) = %v; want ECONFLICT", err)
	}
	if got, _ := svc.Signals(ctx, risk.SignalFilter{}); len(got) != 1 {
		t.Fatalf("after a refused call %d signals are stored; want 1", len(got))
	}

	// Two complaints from two networks become complaint signals.
	f.Clock.Advance(time.Hour)
	f.Complain(t, "203.0.113.0/24")
	f.Complain(t, "198.51.100.0/24")
	if n, err := svc.SyncComplaints(ctx); err != nil || n != 2 {
		t.Fatalf("SyncComplaints() = %d, %v; want 2", n, err)
	}
	if n, err := svc.SyncComplaints(ctx); err != nil || n != 0 {
		t.Fatalf("SyncComplaints() again = %d, %v; want 0", n, err)
	}
	a, err := svc.Assessment(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	// 6 decays for 2 hours of a 90-day half-life; each complaint 0.5 × 2.
	if a.Level != risk.LevelWarning || a.SignalCount != 3 || len(a.Signals) != 3 || a.Score < 7.99 || a.Score > 8 {
		t.Fatalf("Assessment(batch) = %+v; want about 8 at warning from 3 signals", a)
	}
	if a.Signals[0].ID != lab.ID || a.Signals[0].Kind != risk.KindLabTest || a.Signals[1].Kind != risk.KindComplaint || a.Signals[1].Contribution != 1 {
		t.Fatalf("Assessment(batch).Signals = %+v; want the lab test first, then the complaints at 1 each", a.Signals)
	}
	sigs, err := svc.Signals(ctx, risk.SignalFilter{Subject: batch})
	if err != nil || len(sigs) != 3 || sigs[2].ID != lab.ID || len(sigs[2].Attachments) != 1 || sigs[2].Attachments[0].Type != "application/pdf" {
		t.Fatalf("Signals(batch) = %+v, %v", sigs, err)
	}
	att, sid, err := svc.Attachment(ctx, sigs[2].Attachments[0].ID)
	if err != nil || sid != lab.ID || !bytes.Equal(att.Data, []byte("%PDF-1.4 report")) {
		t.Fatalf("Attachment() = %+v, %d, %v", att, sid, err)
	}

	// One source repeating itself counts less: the second spot check of
	// one agency is worth half.
	sc := func() *risk.Signal {
		return &risk.Signal{Kind: risk.KindSpotCheck, Source: "SAMR Shanghai", Selector: tracegate.Selector{Origin: "AU"}, Hazard: risk.HazardLabelling,
			Severity: risk.SeverityLow, Title: "Chinese label missing"}
	}
	if _, err := svc.AddSignals(ctx, f.Reg, []*risk.Signal{sc(), sc()}); err != nil {
		t.Fatal(err)
	}
	au, _ := svc.Assessment(ctx, risk.Subject{Kind: risk.SubjectOrigin, Value: "AU"})
	if au.Score != 1.5 || au.Signals[1].Factor != 0.5 || au.Level != risk.LevelNone {
		t.Fatalf("Assessment(origin AU) = %+v; want 1 + 0.5 at none", au)
	}

	// Ranked assessments.
	ranked, err := svc.Assessments(ctx, risk.SubjectGTIN, 10)
	if err != nil || len(ranked) != 1 || ranked[0].Subject.Value != gtin || ranked[0].Level != risk.LevelWarning {
		t.Fatalf("Assessments(gtin) = %+v, %v", ranked, err)
	}
	all, _ := svc.Assessments(ctx, "", 100)
	for i := 1; i < len(all); i++ {
		if all[i].Score > all[i-1].Score {
			t.Fatalf("Assessments() not ranked: %v after %v", all[i].Score, all[i-1].Score)
		}
	}

	// Customs sees the GTIN at warning: manual review.
	if tags := svc.Lookups().BarcodeRisk(gtin[1:]); len(tags) != 1 || tags[0].Severity != "warning" {
		t.Fatalf("BarcodeRisk(%s) = %+v; want one warning tag", gtin, tags)
	}
	if tags := svc.Lookups().HSRisk("1901101000"); len(tags) != 1 {
		t.Fatalf("HSRisk() = %+v; want the hs:19011010 tag", tags)
	}

	// The warning of the batch: opened by the lab test, raised by nothing
	// (the complaints kept it at warning), with the stock in its view.
	ws, err := svc.Warnings(ctx, risk.WarningFilter{Status: risk.WarningOpen})
	if err != nil || len(ws) != 6 {
		t.Fatalf("Warnings(open) = %d, %v; want 6", len(ws), err)
	}
	var bw risk.Warning
	for _, w := range ws {
		if w.Subject == batch {
			bw = w
		}
	}
	v, err := svc.Warning(ctx, bw.ID)
	if err != nil || v.Stock == nil || len(v.Stock.Warehouses) != 1 || v.Stock.Warehouses[0].InStock != 3 || len(v.SignalList) != 1 || v.Why == "" {
		t.Fatalf("Warning(batch) = %+v, %v", v, err)
	}
	mid, err := svc.Confirm(ctx, f.Reg, bw.ID, risk.ConfirmRequest{Measure: "recall", Note: "recall batch B1"})
	if err != nil || mid != "m1" {
		t.Fatalf("Confirm() = %q, %v", mid, err)
	}
	d := f.Drafter.drafts[0]
	if d.Kind != "recall" || d.Selector.GTIN != gtin || d.Selector.Batch != "B1" || d.Owner != f.Owner.USCC || d.Warning != bw.ID {
		t.Fatalf("draft = %+v", d)
	}
	if _, err := svc.Confirm(ctx, f.Reg, bw.ID, risk.ConfirmRequest{}); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("Confirm(again) = %v; want ECONFLICT", err)
	}
	var hw risk.Warning
	for _, w := range ws {
		if w.Subject.Kind == risk.SubjectHS {
			hw = w
		}
	}
	if _, err := svc.Dismiss(ctx, f.Reg, hw.ID, ""); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("Dismiss(no reason) = %v; want EINVALID", err)
	}
	if w, err := svc.Dismiss(ctx, f.Reg, hw.ID, "one batch, not the tariff line"); err != nil || w.Status != risk.WarningDismissed || len(w.History) != 2 {
		t.Fatalf("Dismiss() = %+v, %v", w, err)
	}
	// Every step is a leaf the audit re-derives.
	steps := 0
	err = s.RiskWarningLedgerRecords(ctx, func(e *risk.WarningEvent) error {
		steps++
		leaf, err := risk.WarningLeaf(e)
		if err != nil {
			return err
		}
		got, err := s.ReadEntries(ctx, e.LedgerIndex, e.LedgerIndex+1)
		if err != nil || !bytes.Equal(got[0], leaf) {
			t.Errorf("warning step %+v: ledger entry differs (%v)", e, err)
		}
		return nil
	})
	if err != nil || steps != 8 {
		t.Fatalf("RiskWarningLedgerRecords() = %d steps, %v; want 6 opened + confirmed + dismissed", steps, err)
	}

	// The stock search: three in the warehouse, an enterprise with no part
	// in the goods sees none.
	st, err := svc.Stock(ctx, f.Reg, gtin, "B1")
	if err != nil || len(st.Warehouses) != 1 || st.Warehouses[0].ID != f.Owner.USCC || st.Warehouses[0].Batches[0].InStock != 3 || st.Dispatched != 0 {
		t.Fatalf("Stock() = %+v, %v", st, err)
	}
	if st, err := svc.Stock(ctx, f.Lab, gtin, ""); err != nil || len(st.Warehouses) != 0 {
		t.Fatalf("Stock(lab) = %+v, %v; want nothing", st, err)
	}

	// A configuration change re-scores: halving the half-life changes
	// nothing now; doubling every severity doubles every score.
	cfg := risk.DefaultConfig()
	for k, w := range cfg.Severities {
		cfg.Severities[k] = 2 * w
	}
	if _, err := svc.SetConfig(ctx, cfg.JSON()); err != nil {
		t.Fatal(err)
	}
	au, _ = svc.Assessment(ctx, risk.Subject{Kind: risk.SubjectOrigin, Value: "AU"})
	if au.Score != 3 || au.Level != risk.LevelNotice {
		t.Fatalf("after SetConfig, Assessment(origin AU) = %+v; want 3 at notice", au)
	}
	if _, err := svc.SetConfig(ctx, []byte(`{"halfLifeDays": 0}`)); !tracegate.IsCode(err, tracegate.EINVALID) {
		t.Fatalf("SetConfig(bad) = %v; want EINVALID", err)
	}
	again, err := risk.NewService(ctx, s, risk.ServiceConfig{Clock: f.Clock})
	if err != nil || again.Config().Severities[risk.SeverityLow] != 2 {
		t.Fatalf("a new service does not read the stored configuration: %v", err)
	}

	// Decay: after one half-life the batch's score halves.
	before, _ := svc.Assessment(ctx, batch)
	f.Clock.Advance(90 * 24 * time.Hour)
	after, _ := svc.Assessment(ctx, batch)
	if r := after.Score / before.Score; r < 0.4999 || r > 0.5001 {
		t.Fatalf("after a half-life the score went from %v to %v", before.Score, after.Score)
	}
}
