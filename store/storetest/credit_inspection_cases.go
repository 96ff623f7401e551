package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/epcis"
	"tracegate/label"
)

// testCreditInspections: a failed inspection (disposition non_conformant)
// recorded by a regulator or a lab is an entry of the record of the goods'
// filer — by the label's filing, by the intakes holding the lot, or every
// filer of the GTIN — and the same claim by anyone else, a passed
// inspection or an identifier that names nothing is none.
func testCreditInspections(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := NewClock()
	s, ok := open(t, clock).(CreditStore)
	if !ok {
		t.Fatal("the store does not implement credit.Store")
	}
	const gtin = "09421902960048"
	lsvc, p, _ := LabelService(t, s, clock, 1, gtin)
	_, codes, err := lsvc.Issue(ctx, p, 2, "credit", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lsvc.Intake(ctx, p, &label.IntakeRequest{Codes: compactCodes(codes[:1]), GTIN: gtin, Batch: "L1",
		ProductionDate: "2026-08-01", ExpiryDate: "2028-07-31", Location: "urn:epc:id:sgln:6901234.00020.0"}, nil); err != nil {
		t.Fatal(err)
	}
	enterprise := func(n int, name string, role tracegate.Role) *tracegate.Enterprise {
		e := &tracegate.Enterprise{USCC: USCC(n), Name: name, Roles: []tracegate.Role{role}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	other := enterprise(7711, "海淘二号", tracegate.RoleEcommerce) // files the same GTIN, holds no lot
	if _, err := s.SaveProducts(ctx, []*tracegate.Product{Product(other.ID, gtin)}); err != nil {
		t.Fatal(err)
	}
	lab := enterprise(7712, "广州检测中心", tracegate.RoleLab)
	reg := enterprise(7713, "南沙海关", tracegate.RoleRegulator)
	nobody := enterprise(7714, "无关公司", tracegate.RoleEcommerce)

	at := func(day int) string { return fmt.Sprintf("2026-11-%02dT10:00:00+08:00", day) }
	event := func(id, disp, day, what string) string {
		return `{"type":"ObjectEvent","eventID":"urn:uuid:` + id + `","eventTime":"` + day + `","eventTimeZoneOffset":"+08:00",` +
			what + `,"action":"OBSERVE","bizStep":"inspecting","disposition":"` + disp + `",
"readPoint":{"id":"urn:epc:id:sgln:9520123.45678.0"}}`
	}
	epcs := func(ids ...string) string { return `"epcList":["` + strings.Join(ids, `","`) + `"]` }
	lot := func(l string) string {
		return `"epcList":[],"quantityList":[{"epcClass":"https://id.gs1.org/01/` + gtin + `/10/` + l + `","quantity":6}]`
	}
	serial := "https://id.gs1.org/01/" + gtin + "/21/X1"
	const (
		idSerial = "00000000-0000-4000-8000-000000000001"
		idLot    = "00000000-0000-4000-8000-000000000002"
		idNoLot  = "00000000-0000-4000-8000-000000000003"
		idLabel  = "00000000-0000-4000-8000-000000000004"
	)
	capture := func(by *tracegate.Enterprise, events ...string) {
		t.Helper()
		doc := eventDoc(events...)
		job, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: by.ID, Behaviour: epcis.Rollback, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true})
		if err != nil || job.Captured != len(events) {
			t.Fatalf("Capture() by %s = %+v, %v", by.Name, job, err)
		}
	}
	capture(lab,
		event(idSerial, "non_conformant", at(10), epcs(serial)),
		event(idLot, "non_conformant", at(11), lot("L1")),
		event(idNoLot, "non_conformant", at(12), lot("L9")),
		event("00000000-0000-4000-8000-000000000005", "conformant", at(13), epcs(serial)),
		event("00000000-0000-4000-8000-000000000006", "non_conformant", at(13), epcs(label.EPCPrefix+"zz", "https://id.gs1.org/01/09506000134352/21/X1")))
	capture(reg, event(idLabel, "non_conformant", at(14), epcs(label.EPC(lsvc.Hash(codes[0])))))
	capture(nobody, event("00000000-0000-4000-8000-000000000007", "non_conformant", at(15), epcs(serial)))

	svc := credit.NewService(s, nil, nil, clock, nil)
	refs := func(e *tracegate.Enterprise) []string {
		t.Helper()
		rec, _, err := svc.Recompute(ctx, e.USCC)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range rec.Facts {
			if f.Kind != credit.KindInspectionFailed {
				t.Fatalf("%s has an entry %+v; want only failed inspections", e.Name, f)
			}
			out = append(out, f.Ref)
			if day := f.At.In(time.FixedZone("", 8*3600)).Day(); f.Ref == "epcis-event:urn:uuid:"+idLot && day != 11 {
				t.Fatalf("entry %s dated %s; want the event's time", f.Ref, f.At)
			}
		}
		slices.Sort(out)
		return out
	}
	ref := func(ids ...string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = "epcis-event:urn:uuid:" + id
		}
		slices.Sort(out)
		return out
	}
	if got, want := refs(p.Enterprise), ref(idSerial, idLot, idNoLot, idLabel); !slices.Equal(got, want) {
		t.Fatalf("failed inspections of the lot's holder = %v; want %v", got, want)
	}
	if got, want := refs(other), ref(idSerial, idNoLot); !slices.Equal(got, want) {
		t.Fatalf("failed inspections of the other filer = %v; want %v (not the lot another's intake holds)", got, want)
	}
	for _, e := range []*tracegate.Enterprise{lab, reg, nobody} {
		if got := refs(e); len(got) != 0 {
			t.Fatalf("failed inspections of %s = %v; want none", e.Name, got)
		}
	}
	// Four failures at 8 points each, a few weeks old: level 3 under the
	// default rules (15 to 40).
	rec, _, err := svc.Recompute(ctx, p.Enterprise.USCC)
	if err != nil || rec.Level != 3 || rec.Score < 30 || rec.Score > 32 {
		t.Fatalf("grade of the lot's holder = %+v, %v; want level 3 near 32", rec, err)
	}
}
