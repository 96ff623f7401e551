package label

import (
	"slices"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// Who may say what on the public timeline (docs/security-epcis.md): anyone
// with a key can capture an event naming a lot or a label, so the scan
// page shows an event only when its recorder has a part in the step it
// records, and says who recorded it.
//
//   - inspection (bizStep inspecting, or an inspection disposition such as
//     conformant or non_conformant on any step): a regulator or a lab
//     (roles are granted by the regulator when it registers an enterprise);
//   - customs release: a regulator;
//   - every other step (manufacture, departure, arrival, warehouse,
//     dispatch, delivery): a regulator, an enterprise on the item's custody
//     chain as tracegate's own records say (the label's owner, the warehouse
//     that bound it at intake, the filer of its product, the brand owner by
//     the GTIN's registered company prefix, the enterprise that dispatched
//     it), or an enterprise acting in the step's role (manufacturer for
//     manufacture; logistics for departure, arrival, dispatch and delivery;
//     warehouse for the warehouse) — except that once the item is dispatched
//     under a waybill whose logistics code a registered enterprise holds,
//     the logistics steps and the delivery after dispatch are only that
//     carrier's (or the custody chain's).

// Recorder is the enterprise that recorded an event, as the timeline
// names it.
type Recorder struct {
	ID    int64
	Name  string
	Roles []tracegate.Role
}

func (r Recorder) has(roles ...tracegate.Role) bool {
	return slices.ContainsFunc(r.Roles, func(have tracegate.Role) bool { return slices.Contains(roles, have) })
}

// RecordedEvent is an event with its recorder.
type RecordedEvent struct {
	Event epcis.Event
	By    Recorder
}

// Custody is the item's custody chain as tracegate's own records (labels,
// bindings, filings, registered prefixes) give it; 0 where unknown.
type Custody struct {
	Owner      int64 // the enterprise the label was issued to
	Binder     int64 // the enterprise that bound it at intake
	Filer      int64 // the enterprise whose product filing it is bound to
	BrandOwner int64 // the holder of the GTIN's registered GS1 company prefix
	// DispatchEvent is the eventID of the label's dispatch binding: its
	// recorder dispatched the item.
	DispatchEvent string
	// DispatchedAt is when the item left the bonded warehouse, and Carrier
	// the enterprise registered under its waybill's logistics code (0 when
	// none is): after dispatch, only the waybill's own carrier (or the
	// custody chain) may record logistics steps and the delivery.
	DispatchedAt time.Time
	Carrier      int64
}

// PublicEvents keeps the events whose recorder may record the step each
// records, and returns them with their recorders' names (index-aligned),
// for ScanInput.Events and ScanInput.EventsBy. It never fails.
func PublicEvents(evs []RecordedEvent, c Custody) ([]epcis.Event, []string) {
	chain := map[int64]bool{}
	for _, id := range []int64{c.Owner, c.Binder, c.Filer, c.BrandOwner} {
		if id != 0 {
			chain[id] = true
		}
	}
	for _, ev := range evs {
		if c.DispatchEvent != "" && ev.Event.EventID == c.DispatchEvent && ev.By.ID != 0 {
			chain[ev.By.ID] = true
		}
	}
	var out []epcis.Event
	var by []string
	for _, ev := range evs {
		k := stepRole(&ev.Event)
		if c.Carrier != 0 && !c.DispatchedAt.IsZero() && ev.Event.EventTime.After(c.DispatchedAt) &&
			(k == classLogistics || k == classReceipt) && !chain[ev.By.ID] && !ev.By.has(tracegate.RoleRegulator) && ev.By.ID != c.Carrier {
			continue // a carrier that is not the waybill's
		}
		if mayRecord(k, ev.By, chain) {
			out = append(out, ev.Event)
			by = append(by, ev.By.Name)
		}
	}
	return out, by
}

// stepClass is what an event claims, for who may claim it.
type stepClass int

const (
	classOther stepClass = iota
	classInspection
	classRelease
	classManufacture
	classLogistics
	classWarehouse
	classReceipt // receiving: warehouse intake, or delivery after dispatch
)

// stepRole classifies ev as the timeline would read it.
func stepRole(ev *epcis.Event) stepClass {
	if isInspectionDisposition(dispWord(ev)) {
		return classInspection
	}
	switch bizWord(ev) {
	case "inspecting":
		return classInspection
	case "customs_release", "release":
		return classRelease
	case "commissioning", "creating_class_instance":
		if isLabelIntake(ev) {
			return classWarehouse
		}
		return classManufacture
	case "departing", "arriving", "shipping":
		return classLogistics
	case "storing", "stocking":
		return classWarehouse
	case "receiving", "accepting":
		return classReceipt
	}
	return classOther
}

// isInspectionDisposition reports the CBV dispositions that state an
// inspection's outcome.
func isInspectionDisposition(d string) bool {
	switch d {
	case "conformant", "non_conformant", "needs_replacement", "mismatch_instance", "mismatch_class", "mismatch_quantity":
		return true
	}
	return false
}

// mayRecord reports whether by may record a step of class k on the public
// timeline of an item whose custody chain is chain.
func mayRecord(k stepClass, by Recorder, chain map[int64]bool) bool {
	if by.has(tracegate.RoleRegulator) {
		return true
	}
	switch k {
	case classInspection:
		return by.has(tracegate.RoleLab)
	case classRelease:
		return false
	}
	if chain[by.ID] {
		return true
	}
	switch k {
	case classManufacture:
		return by.has(tracegate.RoleManufacturer)
	case classLogistics:
		return by.has(tracegate.RoleLogistics)
	case classWarehouse:
		return by.has(tracegate.RoleWarehouse)
	case classReceipt:
		return by.has(tracegate.RoleLogistics, tracegate.RoleWarehouse)
	}
	return false
}
