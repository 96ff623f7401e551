package label

import (
	"time"

	"testing"

	"tracegate"
	"tracegate/epcis"
)

func TestPublicEvents(t *testing.T) {
	ev := func(step, disp string) epcis.Event {
		return epcis.Event{Type: epcis.ObjectEvent, BizStep: step, Disposition: disp}
	}
	rec := func(id int64, roles ...tracegate.Role) Recorder {
		return Recorder{ID: id, Name: "e" + string(rune('0'+id)), Roles: roles}
	}
	reg, lab := rec(1, tracegate.RoleRegulator), rec(2, tracegate.RoleLab)
	owner, stranger := rec(3, tracegate.RoleEcommerce), rec(4, tracegate.RolePlatform)
	maker, carrier, wh := rec(5, tracegate.RoleManufacturer), rec(6, tracegate.RoleLogistics), rec(7, tracegate.RoleWarehouse)
	custody := Custody{Owner: owner.ID}
	tests := []struct {
		name string
		ev   epcis.Event
		by   Recorder
		want bool
	}{
		{"regulator inspects", ev("inspecting", "conformant"), reg, true},
		{"lab inspects", ev("inspecting", "non_conformant"), lab, true},
		{"owner inspects its own goods", ev("inspecting", "conformant"), owner, false},
		{"stranger inspects", ev("inspecting", "non_conformant"), stranger, false},
		{"carrier judges on receipt", ev("receiving", "non_conformant"), carrier, false},
		{"regulator releases", ev("urn:tracegate:bizstep:customs_release", "sellable_accessible"), reg, true},
		{"owner releases", ev("urn:tracegate:bizstep:customs_release", "sellable_accessible"), owner, false},
		{"manufacturer commissions", ev("commissioning", "active"), maker, true},
		{"stranger commissions", ev("commissioning", "active"), stranger, false},
		{"owner ships", ev("shipping", "in_transit"), owner, true},
		{"carrier arrives", ev("arriving", "in_progress"), carrier, true},
		{"stranger arrives", ev("arriving", "in_progress"), stranger, false},
		{"warehouse receives", ev("receiving", "sellable_not_accessible"), wh, true},
		{"stranger receives", ev("receiving", "in_progress"), stranger, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, by := PublicEvents([]RecordedEvent{{Event: tt.ev, By: tt.by}}, custody)
			if (len(got) == 1) != tt.want {
				t.Fatalf("PublicEvents(%s by %v) kept %d, want kept %v", tt.ev.BizStep, tt.by.Roles, len(got), tt.want)
			}
			if tt.want && by[0] != tt.by.Name {
				t.Fatalf("PublicEvents() names %q, want %q", by[0], tt.by.Name)
			}
		})
	}
	// The recorder of the dispatch binding is on the chain.
	disp := ev("shipping", "in_transit")
	disp.EventID = "urn:uuid:dispatch"
	if got, _ := PublicEvents([]RecordedEvent{{Event: disp, By: stranger}, {Event: ev("receiving", "in_progress"), By: stranger}},
		Custody{DispatchEvent: "urn:uuid:dispatch"}); len(got) != 2 {
		t.Fatalf("the dispatcher's events kept %d, want 2", len(got))
	}
}

// TestPublicEventsWaybillCarrier: once the item is dispatched under a
// waybill whose logistics code a registered enterprise holds, only that
// carrier (or the custody chain, or a regulator) may record the logistics
// steps and the delivery after dispatch; before dispatch, and for a
// waybill nobody registered, the logistics role suffices.
func TestPublicEventsWaybillCarrier(t *testing.T) {
	dispatched := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	at := func(step string, h int) epcis.Event {
		return epcis.Event{Type: epcis.ObjectEvent, BizStep: step, EventTime: dispatched.Add(time.Duration(h) * time.Hour)}
	}
	carrier := Recorder{ID: 6, Name: "waybill's", Roles: []tracegate.Role{tracegate.RoleLogistics}}
	other := Recorder{ID: 8, Name: "another carrier", Roles: []tracegate.Role{tracegate.RoleLogistics}}
	reg := Recorder{ID: 1, Name: "customs", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	owner := Recorder{ID: 3, Name: "owner", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	c := Custody{Owner: owner.ID, DispatchedAt: dispatched, Carrier: carrier.ID}
	for _, tt := range []struct {
		name string
		ev   epcis.Event
		by   Recorder
		c    Custody
		want bool
	}{
		{"the waybill's carrier delivers", at("receiving", 30), carrier, c, true},
		{"another carrier delivers", at("receiving", 30), other, c, false},
		{"another carrier arrives after dispatch", at("arriving", 5), other, c, false},
		{"another carrier departs before dispatch (upstream)", at("departing", -200), other, c, true},
		{"the owner records the delivery", at("receiving", 30), owner, c, true},
		{"a regulator records the delivery", at("receiving", 30), reg, c, true},
		{"waybill code nobody registered: the role suffices", at("receiving", 30), other, Custody{Owner: owner.ID, DispatchedAt: dispatched}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := PublicEvents([]RecordedEvent{{Event: tt.ev, By: tt.by}}, tt.c); (len(got) == 1) != tt.want {
				t.Fatalf("kept %d, want kept %v", len(got), tt.want)
			}
		})
	}
}
