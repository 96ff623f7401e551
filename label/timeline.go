package label

import (
	"slices"
	"strings"
	"time"

	"tracegate/epcis"
)

// BizStepCustomsRelease is the business step of a customs release (放行)
// event. CBV 2.0 has no such step, so tracegate names its own; a bizStep
// whose last word is "customs_release" or "release" in any namespace is
// read the same way.
const BizStepCustomsRelease = "urn:tracegate:bizstep:customs_release"

// StepKind names one step of an item's journey, in the order of the
// timeline.
type StepKind string

// The steps of the timeline, in order.
const (
	StepManufacture StepKind = "manufacture" // commissioning
	StepDeparture   StepKind = "departure"   // departing (启运)
	StepArrival     StepKind = "arrival"     // arriving at the port of entry
	StepInspection  StepKind = "inspection"  // inspecting (检验检疫)
	StepWarehouse   StepKind = "warehouse"   // receiving or storing in the bonded warehouse (入仓)
	StepRelease     StepKind = "release"     // customs release (放行)
	StepDispatch    StepKind = "dispatch"    // shipping out of the bonded zone (出区)
	StepDelivery    StepKind = "delivery"    // receiving at the destination (签收)
)

// stepKinds lists the steps in order; their labels are the catalogs'
// "step." texts.
func stepKinds() []StepKind {
	return []StepKind{StepManufacture, StepDeparture, StepArrival, StepInspection,
		StepWarehouse, StepRelease, StepDispatch, StepDelivery}
}

// Step is one entry of the timeline. A step with no record has Recorded
// false and no time or place.
type Step struct {
	Step     StepKind   `json:"step"`
	Label    string     `json:"label"`
	Recorded bool       `json:"recorded"`
	Time     *time.Time `json:"time,omitempty"`
	Place    string     `json:"place,omitempty"`
	Detail   string     `json:"detail,omitempty"` // e.g. the inspection result
	// By names the enterprise that recorded the step ("" for a step filled
	// from tracegate's own bindings and declarations).
	By string `json:"by,omitempty"`
}

// bizWord returns the bare word of an event's bizStep: "shipping" for any
// form of the CBV term, the last word for a company step.
func bizWord(ev *epcis.Event) string {
	v := epcis.VocabForm(epcis.VocabBizStep, epcis.NormalizeVocab(epcis.VocabBizStep, ev.BizStep), epcis.FormBare)
	if i := strings.LastIndexAny(v, ":/-#"); i >= 0 {
		v = v[i+1:]
	}
	return v
}

// dispWord returns the bare word of an event's disposition.
func dispWord(ev *epcis.Event) string {
	v := epcis.VocabForm(epcis.VocabDisposition, epcis.NormalizeVocab(epcis.VocabDisposition, ev.Disposition), epcis.FormBare)
	if i := strings.LastIndexAny(v, ":/-#"); i >= 0 {
		v = v[i+1:]
	}
	return v
}

// found is the event (or binding) that records one step.
type found struct {
	at     time.Time
	place  string
	detail string
	by     string
}

// classify assigns events to steps. Events are taken in time order; the
// first event of a step records it, except that receiving counts as
// warehouse intake before dispatch and as delivery after it, and shipping
// counts as dispatch only once the goods have reached the port or the
// warehouse (an earlier shipping is the shipper's).
// by names the recorder of each event (index-aligned; may be shorter).
func classify(events []epcis.Event, by []string, places map[string]Place, en bool) map[StepKind]found {
	evs := make([]*epcis.Event, 0, len(events))
	names := map[*epcis.Event]string{}
	for i := range events {
		if events[i].ErrorDeclaration == nil {
			evs = append(evs, &events[i])
			if i < len(by) {
				names[&events[i]] = by[i]
			}
		}
	}
	slices.SortStableFunc(evs, func(a, b *epcis.Event) int { return a.EventTime.Compare(b.EventTime) })
	out := map[StepKind]found{}
	for _, ev := range evs {
		var k StepKind
		switch w := bizWord(ev); w {
		case "commissioning", "creating_class_instance":
			k = StepManufacture
			if isLabelIntake(ev) {
				k = StepWarehouse // the label is commissioned in the bonded warehouse
			}
		case "departing":
			k = StepDeparture
		case "arriving":
			k = StepArrival
		case "inspecting":
			k = StepInspection
		case "storing", "stocking":
			k = StepWarehouse
		case "receiving", "accepting":
			k = StepWarehouse
			if _, ok := out[StepDispatch]; ok {
				k = StepDelivery
			}
		case "customs_release", "release":
			k = StepRelease
		case "shipping":
			_, arrived := out[StepArrival]
			_, stored := out[StepWarehouse]
			if !arrived && !stored {
				continue
			}
			k = StepDispatch
		default:
			continue
		}
		if _, ok := out[k]; ok {
			continue
		}
		f := found{at: ev.EventTime, place: placeName(ev, places, en), by: names[ev]}
		if k == StepInspection {
			f.detail = inspectionResult(dispWord(ev), en)
		}
		out[k] = f
	}
	return out
}

// isLabelIntake reports whether ev commissions tracegate labels (an intake
// binding) rather than manufactured goods.
func isLabelIntake(ev *epcis.Event) bool {
	return len(ev.EPCList) > 0 && strings.HasPrefix(ev.EPCList[0], EPCPrefix)
}

// placeName names the event's business location, or its read point.
func placeName(ev *epcis.Event, places map[string]Place, en bool) string {
	for _, loc := range []*epcis.Location{ev.BizLocation, ev.ReadPoint} {
		if loc == nil {
			continue
		}
		if p, ok := places[loc.ID]; ok {
			if en && p.NameEN != "" {
				return p.NameEN
			}
			return p.Name
		}
	}
	return ""
}

// inspectionResult words an inspection disposition; "" when it says nothing.
func inspectionResult(disp string, en bool) string {
	switch disp {
	case "conformant":
		return textsFor(en).Passed
	case "non_conformant":
		return textsFor(en).Failed
	}
	return ""
}

// timeline builds the eight steps from the events, filling from the intake
// and dispatch bindings what no event records.
func timeline(in *ScanInput, steps map[StepKind]found, en bool) []Step {
	fill := func(k StepKind, at time.Time, place string) {
		if _, ok := steps[k]; !ok && !at.IsZero() {
			steps[k] = found{at: at, place: place}
		}
	}
	if it := in.Intake; it != nil {
		fill(StepWarehouse, it.At, it.Warehouse.Name)
	}
	if d := in.Dispatch; d != nil {
		fill(StepRelease, d.ReleasedAt, "")
		fill(StepDispatch, d.DispatchedAt, "")
	}
	var out []Step
	tx := textsFor(en)
	for _, k := range stepKinds() {
		st := Step{Step: k, Label: tx.Steps[k]}
		if f, ok := steps[k]; ok {
			at := f.at
			st.Recorded, st.Time, st.Place, st.Detail, st.By = true, &at, f.place, f.detail, f.by
		} else {
			st.Detail = notRecorded(en)
		}
		out = append(out, st)
	}
	return out
}

func notRecorded(en bool) string { return textsFor(en).NotRecorded }
