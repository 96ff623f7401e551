package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
)

func aggEvent(action, parent string, children []string, at string) string {
	kids := ""
	if len(children) > 0 {
		kids = `,"childEPCs":["` + strings.Join(children, `","`) + `"]`
	}
	return fmt.Sprintf(`{"type":"AggregationEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","parentID":"%s"%s,"action":"%s","bizStep":"packing"}`,
		at, parent, kids, action)
}

func testContainment(t *testing.T, open Opener) {
	s, ok := open(t, NewClock()).(interface {
		epcisStore
		epcis.ContainmentStore
	})
	if !ok {
		t.Fatal("the store does not implement epcis.ContainmentStore")
	}
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(61), Name: "保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	const (
		container = "urn:epc:id:sscc:0614141.0000000009"
		pallet    = "urn:epc:id:sscc:0614141.0000000001"
		pallet2   = "urn:epc:id:sscc:0614141.0000000002"
		case1     = "urn:epc:id:sscc:0614141.0000000011"
		case2     = "urn:epc:id:sscc:0614141.0000000012"
		item1     = "urn:epc:id:sgtin:9506000.013435.I1"
		item2     = "urn:epc:id:sgtin:9506000.013435.I2"
	)
	capture := func(events ...string) {
		t.Helper()
		doc := eventDoc(events...)
		if _, err := epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true}); err != nil {
			t.Fatalf("Capture() = %v", err)
		}
	}
	at := func(day int) time.Time { return time.Date(2026, 11, day, 12, 0, 0, 0, time.UTC) }
	capture(
		aggEvent("ADD", pallet, []string{case1, case2}, "2026-11-01T08:00:00+08:00"),
		aggEvent("ADD", case1, []string{item1, item2}, "2026-11-02T08:00:00+08:00"),
		aggEvent("ADD", container, []string{pallet}, "2026-11-03T08:00:00+08:00"),
	)
	names := map[string]string{}
	for id, name := range map[string]string{container: "container", pallet: "pallet", pallet2: "pallet2", case1: "case1", case2: "case2", item1: "item1", item2: "item2"} {
		names[epcis.CanonicalEPC(id)] = name
	}
	children := func(cs []epcis.Containment) string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%d:%s", c.Depth, names[c.Child]))
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	check := func(name, parent string, when time.Time, deep bool, want string) {
		t.Helper()
		got, err := s.Contents(ctx, parent, when, deep)
		if err != nil || children(got) != want {
			t.Fatalf("%s: Contents(%s, %v, deep=%v) = %q, %v; want %q", name, parent, when, deep, children(got), err, want)
		}
	}
	check("everything in the container", container, at(4), true, "1:pallet 2:case1 2:case2 3:item1 3:item2")
	check("the pallet on day 1", pallet, at(1), false, "1:case1 1:case2")
	check("the container before it was loaded", container, at(2), true, "")
	capture(aggEvent("DELETE", pallet, []string{case2}, "2026-11-05T08:00:00+08:00"))
	check("after taking case 2 off", pallet, at(6), false, "1:case1")
	check("history before that", pallet, at(4), false, "1:case1 1:case2")
	capture(aggEvent("ADD", pallet2, []string{case1}, "2026-11-07T08:00:00+08:00"))
	check("case 1 moved to pallet 2", pallet, at(8), false, "")
	ups, err := s.Containers(ctx, "https://id.gs1.org/01/09506000134352/21/I1", at(8))
	if err != nil || len(ups) != 2 || names[ups[0].Parent] != "case1" || names[ups[1].Parent] != "pallet2" {
		t.Fatalf("Containers(item 1) = %+v, %v; want case 1 then pallet 2", ups, err)
	}
	capture(aggEvent("DELETE", pallet2, nil, "2026-11-09T08:00:00+08:00"))
	check("pallet 2 emptied", pallet2, at(10), true, "")
	check("pallet 2 the day before", pallet2, at(8), true, "1:case1 2:item1 2:item2")
}
