package label

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"tracegate/epcis"
)

func TestTimeline(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC) }
	order := []StepKind{StepManufacture, StepDeparture, StepArrival, StepInspection, StepWarehouse, StepRelease,
		StepDispatch, StepDelivery}
	for _, tc := range []struct {
		name  string
		edit  func(in *ScanInput)
		lang  string
		want  map[StepKind]string // step -> "day place detail" (day of March); absent: not recorded
		label map[StepKind]string
	}{
		{"full", func(in *ScanInput) {}, "en", map[StepKind]string{
			StepManufacture: "Jan 5 Camden, NSW", StepDeparture: "Feb 20 Sydney Airport",
			StepArrival: "Feb 21 Guangzhou Baiyun Airport", StepInspection: "Feb 22 Guangzhou Baiyun Airport Passed",
			StepWarehouse: "Mar 10 白云综保区", StepRelease: "Apr 2 白云综保区", StepDispatch: "Apr 2 白云综保区",
			StepDelivery: "Apr 4 "}, map[StepKind]string{StepWarehouse: "Bonded warehouse intake"}},
		{"no events, bindings fill in", func(in *ScanInput) { in.Events = nil; in.Dispatch.ReleasedAt = d(1) },
			"", map[StepKind]string{StepWarehouse: "Mar 10 白云机场综保区保税仓", StepRelease: "Mar 1 ",
				StepDispatch: "Apr 2 "}, map[StepKind]string{StepRelease: "海关放行"}},
		{"nothing", func(in *ScanInput) { *in = ScanInput{} }, "", nil, map[StepKind]string{StepManufacture: "生产"}},
		{"erroneous event ignored, failed inspection", func(in *ScanInput) {
			in.Intake, in.Dispatch = nil, nil
			bad := ev(cbv("departing"), "", "", d(1))
			bad.ErrorDeclaration = &epcis.ErrorDeclaration{DeclarationTime: d(2)}
			in.Events = []epcis.Event{bad, ev("urn:epcglobal:cbv:bizstep:inspecting", "non_conformant", "", d(3))}
		}, "", map[StepKind]string{StepInspection: "Mar 3  不合格"}, nil},
		{"a label's commissioning is its warehouse intake, not manufacture", func(in *ScanInput) {
			in.Intake, in.Dispatch = nil, nil
			intake := ev(cbv("commissioning"), "", "", d(4))
			intake.EPCList = []string{EPCPrefix + "00ff"}
			in.Events = []epcis.Event{intake}
		}, "", map[StepKind]string{StepWarehouse: "Mar 4 "}, nil},
		{"shipping before arrival is the shipper's", func(in *ScanInput) {
			in.Intake, in.Dispatch = nil, nil
			in.Events = []epcis.Event{ev(cbv("shipping"), "", "", d(1)), ev(cbv("receiving"), "", "", d(2))}
		}, "", map[StepKind]string{StepWarehouse: "Mar 2 "}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := fullInput(t)
			tc.edit(&in)
			v := BuildScanView(in, Anonymous(), tc.lang, now)
			if len(v.Timeline) != len(order) {
				t.Fatalf("%d steps, want %d", len(v.Timeline), len(order))
			}
			for i, s := range v.Timeline {
				if s.Step != order[i] {
					t.Errorf("step %d is %s, want %s", i, s.Step, order[i])
				}
				want, ok := tc.want[s.Step]
				if s.Recorded != ok {
					t.Errorf("%s recorded = %v, want %v", s.Step, s.Recorded, ok)
					continue
				}
				if !ok {
					if s.Time != nil || (s.Detail != "未记录" && s.Detail != "not recorded") {
						t.Errorf("%s not recorded but shows %v %q", s.Step, s.Time, s.Detail)
					}
					continue
				}
				got := s.Time.Format("Jan 2") + " " + s.Place
				if s.Detail != "" {
					got += " " + s.Detail
				}
				if got != want {
					t.Errorf("%s = %q, want %q", s.Step, got, want)
				}
				if l, ok := tc.label[s.Step]; ok && s.Label != l {
					t.Errorf("%s label = %q, want %q", s.Step, s.Label, l)
				}
			}
		})
	}
}

func TestScanViewNoticesAndStatus(t *testing.T) {
	in := fullInput(t)
	in.Notices = append(in.Notices, Notice{Kind: NoticeStopSale, Text: "暂停销售", Since: now},
		Notice{Kind: NoticeRecall, Text: "旧召回", Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	v := BuildScanView(in, Anonymous(), "en", now)
	var kinds []string
	for _, n := range v.Notices {
		kinds = append(kinds, string(n.Kind)+":"+n.Text+"|"+n.Original)
		if n.Action == "" {
			t.Errorf("%s notice says nothing of what to do", n.Kind)
		}
	}
	// Notices without an English text show the kind's standard English
	// wording on the English page, the authority's Chinese words beside it.
	want := "recall:Batch L2601 recalled| recall:This product is being recalled.|旧召回 " +
		"stop_sale:The regulator has ordered sales of this product stopped.|暂停销售 " +
		"risk_notice:The regulator has issued a risk notice about this product.|注意冲泡温度"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("notices = %q, want %q", got, want)
	}
	if v.Notices[0].Title != "Recall" || v.Proof.Status != ProofIncluded {
		t.Errorf("title %q, proof %q", v.Notices[0].Title, v.Proof.Status)
	}
	if c := in.Code.Commitment(); v.Proof.Commitment != hex.EncodeToString(c[:]) {
		t.Errorf("proof commitment = %q, want the code's", v.Proof.Commitment)
	}
	if v.Authenticity.Status != AuthGenuine || !v.Authenticity.FirstScan {
		t.Errorf("authenticity = %+v, want genuine first scan", v.Authenticity)
	}

	for _, tc := range []struct {
		name string
		edit func(in *ScanInput)
		want AuthStatus
	}{
		{"unbound", func(in *ScanInput) { in.Product = nil; in.Label.BoundAt = time.Time{} }, AuthUnbound},
		{"scan before dispatch event", func(in *ScanInput) {
			in.Scans = []Scan{{At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Device: DevicePhone}}
		}, AuthSuspected},
		{"no notices, no proof", func(in *ScanInput) { in.Notices, in.Proof = nil, nil }, AuthGenuine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := fullInput(t)
			tc.edit(&in)
			v := BuildScanView(in, Anonymous(), "", now)
			if v.Authenticity.Status != tc.want || v.Authenticity.Message == "" {
				t.Errorf("status = %s (%q), want %s", v.Authenticity.Status, v.Authenticity.Message, tc.want)
			}
			if v.Notices == nil || (in.Proof == nil && v.Proof.Status != ProofNone) {
				t.Errorf("notices %v (want non-nil), proof %q", v.Notices, v.Proof.Status)
			}
		})
	}
}
