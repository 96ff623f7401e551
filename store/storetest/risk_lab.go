package storetest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/label"
	"tracegate/risk"
)

// fixedSampler samples no lot of a graded enterprise at level 1 (share 0).
type fixedSampler struct{}

func (fixedSampler) LotSample(string, string) (int, bool, float64) { return 1, false, 0 }

func testRiskLab(t *testing.T, open Opener) {
	f := NewRiskFixture(t, open)
	ctx := context.Background()
	s, svc := f.S, f.Svc
	gtin := f.Product.GTIN
	// A second lab and a platform whose confirmed code is the suite's
	// declarations' ebpCode.
	other := &tracegate.Enterprise{USCC: USCC(1410), Name: "other lab", Roles: []tracegate.Role{tracegate.RoleLab}}
	plat := &tracegate.Enterprise{USCC: USCC(1411), Name: "platform", Roles: []tracegate.Role{tracegate.RolePlatform}}
	for _, e := range []*tracegate.Enterprise{other, plat} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveCustomsCode(ctx, &tracegate.CustomsCode{Code: "4401960001", Kind: tracegate.CodeEbp, EnterpriseID: plat.ID, Status: tracegate.CodeConfirmed}); err != nil {
		t.Fatal(err)
	}
	otherLab := tracegate.Principal{EnterpriseID: other.ID, USCC: other.USCC, Role: tracegate.RoleLab}
	platform := tracegate.Principal{EnterpriseID: plat.ID, USCC: plat.USCC, Role: tracegate.RolePlatform}

	// Bad orders store nothing.
	req := risk.LabOrderRequest{GTIN: gtin, Batch: "B1", Items: 6, Tests: []string{"Cronobacter", "melamine"}, Purpose: risk.PurposePreListing, Lab: f.Lab.USCC}
	for _, tt := range []struct {
		edit func(r *risk.LabOrderRequest)
		ptr  string
	}{
		{func(r *risk.LabOrderRequest) { r.Batch = "" }, "/batch"},
		{func(r *risk.LabOrderRequest) { r.Items = 0 }, "/items"},
		{func(r *risk.LabOrderRequest) { r.Tests = []string{"a", "a"} }, "/tests/1"},
		{func(r *risk.LabOrderRequest) { r.Purpose = "fun" }, "/purpose"},
		{func(r *risk.LabOrderRequest) { r.Lab = f.Reg.USCC }, "/lab"},
	} {
		r := req
		r.Tests = append([]string(nil), req.Tests...)
		tt.edit(&r)
		if _, err := svc.OrderLab(ctx, f.Reg, r); !tracegate.IsCode(err, tracegate.EINVALID) || !strings.Contains(pointerOf(err), tt.ptr) {
			t.Errorf("OrderLab(bad %s) = %v; want EINVALID at %s", tt.ptr, err, tt.ptr)
		}
	}
	if _, err := svc.OrderLab(ctx, f.Lab, req); !tracegate.IsCode(err, tracegate.EFORBIDDEN) {
		t.Fatalf("OrderLab(by a lab) = %v; want EFORBIDDEN", err)
	}
	if os, _ := svc.LabOrders(ctx, f.Reg, risk.LabOrderFilter{}); len(os) != 0 {
		t.Fatalf("bad orders stored %d", len(os))
	}

	// The platform requires a passed pre-listing inspection: the batch
	// cannot leave before one.
	if err := svc.SetPreListing(ctx, platform, true); err != nil {
		t.Fatal(err)
	}
	if on, err := svc.PreListing(ctx, platform); err != nil || !on {
		t.Fatalf("PreListing() = %v, %v", on, err)
	}
	ls, err := label.NewService(label.ServiceConfig{Secret: LabelSecret, BaseURL: "https://tg.example", Clock: f.Clock,
		Parties: s, Declarations: Declarations{"4401960001/ORD-1": {Released: true, Status: "pass", Codes: []string{"4401960001", WarehouseCode(14)}, LogisticsCode: "4401980002", LogisticsNo: "SF-ORD-1"}},
		PreListing: svc}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	dispatch := func(i int, order string) error {
		_, err := ls.Dispatch(ctx, f.Owner, &label.DispatchRequest{Codes: compactCodes(f.Codes[i : i+1]), EBPCode: "4401960001", OrderNo: order,
			LogisticsCode: "4401980002", WaybillNo: "SF-" + order, Location: "urn:epc:id:sgln:6901234.00020.0"}, nil)
		return err
	}
	wantRefused(t, "Dispatch(no inspection)", dispatch(0, "ORD-1"), tracegate.ECONFLICT, map[string]string{"/codes/0": "no reported pre-listing inspection"})

	// The platform orders it; the lab reports one test failed.
	o, err := svc.OrderLab(ctx, platform, req)
	if err != nil || o.ID == 0 || o.Status != risk.LabOrdered || o.LabID != f.Lab.EnterpriseID {
		t.Fatalf("OrderLab() = %+v, %v", o, err)
	}
	if _, err := svc.LabOrder(ctx, otherLab, o.ID); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("LabOrder(another lab) = %v; want ENOTFOUND", err)
	}
	if os, _ := svc.LabOrders(ctx, otherLab, risk.LabOrderFilter{}); len(os) != 0 {
		t.Fatalf("another lab lists %d orders", len(os))
	}
	pdf := risk.Attachment{Name: "report.pdf", Data: []byte("%PDF-1.7 CNAS report")}
	fail := &risk.LabResult{Test: "Cronobacter", Hazard: risk.HazardMicrobial, Severity: risk.SeveritySerious, Detail: "detected in 2 of 6", Report: pdf}
	if _, _, err := svc.RecordLabResults(ctx, otherLab, o.ID, []*risk.LabResult{fail}); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("RecordLabResults(another lab) = %v; want ENOTFOUND", err)
	}
	for _, tt := range []struct {
		r    risk.LabResult
		code string
		ptr  string
	}{
		{risk.LabResult{Test: "lead", Passed: true, Report: pdf}, tracegate.EINVALID, "/results/0/test"},
		{risk.LabResult{Test: "melamine", Hazard: risk.HazardChemical, Report: pdf}, tracegate.EINVALID, "/results/0/severity"},
		{risk.LabResult{Test: "melamine", Passed: true, Report: risk.Attachment{Name: "r.png", Data: []byte("\x89PNG\r\n\x1a\nxx")}}, tracegate.EINVALID, "/results/0/report/data"},
		{risk.LabResult{Test: "melamine", Passed: true, Report: risk.Attachment{Name: "r.pdf", Data: append([]byte("%PDF-"), make([]byte, risk.MaxAttachmentBytes)...)}}, tracegate.ETOOLARGE, "/results/0/report/data"},
	} {
		r := tt.r
		if _, _, err := svc.RecordLabResults(ctx, f.Lab, o.ID, []*risk.LabResult{&r}); !tracegate.IsCode(err, tt.code) || pointerOf(err) != tt.ptr {
			t.Errorf("RecordLabResults(%+v) = %v; want %s at %s", tt.r.Test, err, tt.code, tt.ptr)
		}
	}
	f.Clock.Advance(time.Hour)
	got, chs, err := svc.RecordLabResults(ctx, f.Lab, o.ID, []*risk.LabResult{fail})
	if err != nil || len(got.Results) != 1 || got.Status != risk.LabOrdered || got.Results[0].Signal == 0 || len(chs) != 6 {
		t.Fatalf("RecordLabResults(fail) = %+v, %d changes, %v", got, len(chs), err)
	}
	sig, err := svc.Signal(ctx, got.Results[0].Signal)
	if err != nil || sig.Kind != risk.KindLabTest || sig.Severity != risk.SeveritySerious || sig.Ref != "lab-result:"+itoa(got.Results[0].ID) ||
		len(sig.Attachments) != 1 || sig.Attachments[0].ID != got.Results[0].Report.ID {
		t.Fatalf("the failed result's signal = %+v, %v", sig, err)
	}
	again := &risk.LabResult{Test: "Cronobacter", Passed: true, Report: pdf}
	if _, _, err := svc.RecordLabResults(ctx, f.Lab, o.ID, []*risk.LabResult{again}); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("RecordLabResults(again) = %v; want ECONFLICT", err)
	}
	got, _, err = svc.RecordLabResults(ctx, f.Lab, o.ID, []*risk.LabResult{{Test: "melamine", Passed: true, Report: pdf}})
	if err != nil || got.Status != risk.LabFailed || got.Reported == nil || len(got.Results) != 2 {
		t.Fatalf("RecordLabResults(last) = %+v, %v", got, err)
	}
	if a, err := svc.LabReport(ctx, platform, o.ID, got.Results[1].Report.ID); err != nil || !bytes.Equal(a.Data, pdf.Data) {
		t.Fatalf("LabReport() = %v", err)
	}
	if _, err := svc.LabReport(ctx, otherLab, o.ID, got.Results[1].Report.ID); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("LabReport(another lab) = %v", err)
	}
	wantRefused(t, "Dispatch(failed inspection)", dispatch(0, "ORD-1"), tracegate.ECONFLICT, map[string]string{"/codes/0": "failed its latest pre-listing inspection"})

	// A new inspection passes: the batch may leave.
	f.Clock.Advance(time.Hour)
	o2, err := svc.OrderLab(ctx, f.Reg, risk.LabOrderRequest{GTIN: gtin, Batch: "B1", Items: 3, Tests: []string{"Cronobacter"}, Purpose: risk.PurposePreListing, Lab: f.Lab.USCC})
	if err != nil {
		t.Fatal(err)
	}
	if o2, _, err = svc.RecordLabResults(ctx, f.Lab, o2.ID, []*risk.LabResult{{Test: "Cronobacter", Passed: true, Report: pdf}}); err != nil || o2.Status != risk.LabPassed {
		t.Fatalf("RecordLabResults(pass) = %+v, %v", o2, err)
	}
	if err := dispatch(0, "ORD-1"); err != nil {
		t.Fatalf("Dispatch(passed) = %v", err)
	}
	if os, err := svc.LabOrders(ctx, f.Lab, risk.LabOrderFilter{Status: risk.LabPassed}); err != nil || len(os) != 1 || os[0].ID != o2.ID {
		t.Fatalf("LabOrders(passed) = %+v, %v", os, err)
	}

	// Sampling follows credit: a level that samples no batch needs none.
	sampled, err := risk.NewService(ctx, s, risk.ServiceConfig{Clock: f.Clock, Sampler: fixedSampler{}})
	if err != nil {
		t.Fatal(err)
	}
	if sm, _ := sampled.LabOrder(ctx, f.Reg, o2.ID); sm.Sampling == nil || sm.Sampling.Level != 1 || sm.Sampling.Sampled {
		t.Fatalf("LabOrder().Sampling = %+v", sm.Sampling)
	}
	refuse, err := sampled.DispatchRefusal(ctx, "4401960001")
	if err != nil || refuse == nil {
		t.Fatalf("DispatchRefusal() = %v", err)
	}
	if why, err := refuse(gtin, "B-UNTESTED"); err != nil || why != "" {
		t.Fatalf("an unsampled batch is refused: %q, %v", why, err)
	}
	if why, _ := mustRefusal(t, svc, "4401960001")(gtin, "B-UNTESTED"); why == "" {
		t.Fatal("an ungraded filer's untested batch is not refused")
	}
	if err := svc.SetPreListing(ctx, platform, false); err != nil {
		t.Fatal(err)
	}
	if refuse, err := svc.DispatchRefusal(ctx, "4401960001"); err != nil || refuse != nil {
		t.Fatalf("DispatchRefusal(not required) = %v", err)
	}

	// Every result is a leaf the audit re-derives.
	n := 0
	err = s.RiskLabResultLedgerRecords(ctx, func(r *risk.LabResult, g, b string) error {
		n++
		leaf, err := risk.LabResultLeaf(r, g, b)
		if err != nil {
			return err
		}
		got, err := s.ReadEntries(ctx, r.LedgerIndex, r.LedgerIndex+1)
		if err != nil || !bytes.Equal(got[0], leaf) {
			t.Errorf("lab result %+v: ledger entry differs (%v)", r, err)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("RiskLabResultLedgerRecords() = %d, %v; want 3", n, err)
	}
}

func mustRefusal(t *testing.T, svc *risk.Service, code string) func(gtin, batch string) (string, error) {
	t.Helper()
	fn, err := svc.DispatchRefusal(context.Background(), code)
	if err != nil || fn == nil {
		t.Fatalf("DispatchRefusal(%s) = %v", code, err)
	}
	return fn
}

func pointerOf(err error) string {
	if e := codedError(err); e != nil {
		return e.Pointer
	}
	return ""
}
