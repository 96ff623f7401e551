package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"tracegate"
	"tracegate/epcis"
)

// eventDoc is a small EPCIS JSON-LD document with the given events.
func eventDoc(events ...string) []byte {
	return []byte(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"tg":"https://tracegate.example/ns/"}],
"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00",
"epcisBody":{"eventList":[` + strings.Join(events, ",") + `]}}`)
}

// manyEPCs is the identifiers S0…S(n-1) joined by "|".
func manyEPCs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("https://id.gs1.org/01/09506000134352/21/S%d", i)
	}
	return url.QueryEscape(strings.Join(ids, "|"))
}

func objectEvent(serial int, bizStep, when string, extra string) string {
	action := "OBSERVE"
	if bizStep == "commissioning" {
		action = "ADD"
	}
	return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00",
"epcList":["https://id.gs1.org/01/09506000134352/21/S%d"],"action":"`+action+`","bizStep":"%s",
"readPoint":{"id":"urn:epc:id:sgln:9520123.45678.0"},"bizLocation":{"id":"https://id.gs1.org/414/9520123456788"}%s}`, when, serial, bizStep, extra)
}

func testEPCISQuery(t *testing.T, open Opener) {
	s := open(t, NewClock()).(epcisStore)
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(41), Name: "仓库甲", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	b := &tracegate.Enterprise{USCC: USCC(42), Name: "物流乙", Roles: []tracegate.Role{tracegate.RoleLogistics}}
	c := &tracegate.Enterprise{USCC: USCC(43), Name: "无关丙", Roles: []tracegate.Role{tracegate.RoleLab}}
	for _, e := range []*tracegate.Enterprise{a, b, c} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RegisterCompanyPrefix(ctx, b.ID, "9520456"); err != nil {
		t.Fatal(err)
	}
	var evs []string
	for i := range 25 {
		step := "receiving"
		if i%5 == 0 {
			step = "shipping"
		}
		extra := ""
		if i == 3 { // shipped to b: b is a party by its company prefix
			extra = `,"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:9520456.00000"}]`
		}
		if i == 7 {
			step = "commissioning"
			extra = `,"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:9520123456788:PO-7"}],"ilmd":{"tg:lot":"L7","tg:weight":"12.5"}`
		}
		evs = append(evs, objectEvent(i, step, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 1+i), extra))
	}
	capture := func(ent int64, doc []byte, b epcis.CaptureBehaviour) (*epcis.CaptureJob, error) {
		return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent, Behaviour: b, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true})
	}
	if job, err := capture(a.ID, eventDoc(evs...), epcis.Rollback); err != nil || job.Captured != 25 {
		t.Fatalf("Capture(25 events) = %+v, %v", job, err)
	}
	// b records one event about S3 (an item a shipped to it) and one of its
	// own; c, a party of nothing, records one naming S5.
	if _, err := capture(b.ID, eventDoc(objectEvent(3, "departing", "2026-11-30T10:00:00+08:00", ""), objectEvent(99, "departing", "2026-11-30T11:00:00+08:00", "")), epcis.Rollback); err != nil {
		t.Fatal(err)
	}
	if _, err := capture(c.ID, eventDoc(objectEvent(5, "inspecting", "2026-11-30T12:00:00+08:00", "")), epcis.Rollback); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		q    string
		ent  int64
		want int
	}{
		{"all", "", 0, 28},
		{"eventType", "eventType=ObjectEvent", 0, 28},
		{"eventID", "EQ_eventID=" + "x", 0, 0},
		{"other eventType", "eventType=AggregationEvent", 0, 0},
		{"bizStep bare", "EQ_bizStep=shipping", 0, 5},
		{"action", "EQ_action=ADD", 0, 1},
		{"bizStep URN", "EQ_bizStep=urn:epcglobal:cbv:bizstep:shipping", 0, 5},
		{"bizStep alternatives", "EQ_bizStep=shipping|departing", 0, 7},
		{"eventTime window", "GE_eventTime=2026-11-05T00:00:00%2B08:00&LT_eventTime=2026-11-10T00:00:00%2B08:00", 0, 5},
		{"MATCH_epc URN form", "MATCH_epc=urn:epc:id:sgtin:9506000.013435.S3", 0, 2},
		{"MATCH_epc Digital Link", "MATCH_epc=https://id.gs1.org/01/09506000134352/21/S3", 0, 2},
		{"MATCH_epc pattern", "MATCH_epc=urn:epc:idpat:sgtin:9506000.013435.*", 0, 28},
		{"MATCH_anyEPC", "MATCH_anyEPC=https://id.gs1.org/01/09506000134352/21/S99", 0, 1},
		{"bizLocation as SGLN", "EQ_bizLocation=urn:epc:id:sgln:9520123.45678.0", 0, 28},
		{"readPoint", "EQ_readPoint=https://id.gs1.org/414/9520123456788", 0, 28},
		{"bizTransaction", "EQ_bizTransaction_po=urn:epcglobal:cbv:bt:9520123456788:PO-7", 0, 1},
		{"ILMD EQ", "EQ_ILMD_https://tracegate.example/ns/%23lot=L7", 0, 1},
		{"ILMD GT", "GT_ILMD_https://tracegate.example/ns/%23weight=10", 0, 1},
		{"ILMD EXISTS", "EXISTS_ILMD_https://tracegate.example/ns/%23lot=", 0, 1},
		{"eventCountLimit", "eventCountLimit=3", 0, 3},
		{"enterprise b sees its own and S3's", "", b.ID, 3},
		{"enterprise c sees only its own", "", c.ID, 1},
		{"c naming S5 does not see a's S5", "MATCH_epc=https://id.gs1.org/01/09506000134352/21/S5", c.ID, 1},
		{"a does not see c's event naming S5", "MATCH_epc=https://id.gs1.org/01/09506000134352/21/S5", a.ID, 1},
		{"the regulator sees both about S5", "MATCH_epc=https://id.gs1.org/01/09506000134352/21/S5", 0, 2},
		{"600 MATCH_epc values", "MATCH_epc=" + manyEPCs(600), 0, 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := epcis.ParseQuery(mustQuery(t, tt.q))
			if err != nil {
				t.Fatalf("ParseQuery(%q) = %v", tt.q, err)
			}
			q.EnterpriseID = tt.ent
			recs, _, err := s.QueryEvents(ctx, q)
			if err != nil || len(recs) != tt.want {
				t.Fatalf("QueryEvents(%q as %d) = %d records, %v; want %d", tt.q, tt.ent, len(recs), err, tt.want)
			}
		})
	}

	// Pages are stable while captures continue.
	q := &epcis.Query{PerPage: 10, OrderBy: "eventTime"}
	var seen []string
	for page := 0; ; page++ {
		recs, next, err := s.QueryEvents(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			seen = append(seen, r.EventID)
		}
		if page == 0 { // a capture between pages, later in event time
			capture(a.ID, eventDoc(objectEvent(500, "receiving", "2026-12-31T10:00:00+08:00", "")), epcis.Rollback)
		}
		if next == "" {
			break
		}
		q.PageToken = next
	}
	uniq := map[string]bool{}
	for _, id := range seen {
		uniq[id] = true
	}
	if len(seen) != 29 || len(uniq) != 29 {
		t.Fatalf("paged through %d events (%d distinct), want 29 with no repeats", len(seen), len(uniq))
	}
	desc, _, _ := s.QueryEvents(ctx, &epcis.Query{PerPage: 1, OrderBy: "eventTime", Desc: true})
	if len(desc) != 1 || !strings.Contains(string(desc[0].Body), "S500") {
		t.Fatalf("newest by eventTime DESC = %s", desc[0].Body)
	}
	if _, _, err := s.QueryEvents(ctx, &epcis.Query{PerPage: 5, PageToken: "garbage!"}); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("bad page token: %v, want invalid", err)
	}
}

func testEPCISCaptureBehaviour(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(epcisStore)
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(51), Name: "仓库", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	bad := `{"type":"ObjectEvent","eventTime":"2026-11-01T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["https://id.gs1.org/01/09506000134352/21/X"],"action":"JUMP"}`
	doc := eventDoc(objectEvent(1, "receiving", "2026-11-01T10:00:00+08:00", ""), bad, objectEvent(2, "receiving", "2026-11-01T11:00:00+08:00", ""))
	run := func(b epcis.CaptureBehaviour) (*epcis.CaptureJob, error) {
		return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Behaviour: b, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true})
	}
	job, err := run(epcis.Rollback)
	if tracegate.ErrorCode(err) != tracegate.EINVALID || job.Success || job.Captured != 0 || countEvents(t, s) != 0 {
		t.Fatalf("rollback with a bad event = %+v, %v; stored %d; want invalid and nothing stored", job, err, countEvents(t, s))
	}
	var te *tracegate.Error
	if !errors.As(err, &te) || len(te.Details) == 0 || !strings.Contains(te.Details[0].Pointer, "/epcisBody/eventList/1") {
		t.Fatalf("rollback error %+v does not point at event 1", te)
	}
	got, err := s.FindCaptureJob(ctx, job.ID)
	if err != nil || got.Running || got.Success || len(got.Errors) == 0 || got.FinishedAt == nil {
		t.Fatalf("FindCaptureJob() = %+v, %v", got, err)
	}
	job, err = run(epcis.Proceed)
	if err != nil || job.Captured != 2 || job.Failed != 1 || job.Success {
		t.Fatalf("proceed = %+v, %v; want 2 stored, 1 failed", job, err)
	}
	recs, _, _ := s.QueryEvents(ctx, &epcis.Query{PerPage: 10})
	for _, r := range recs {
		if !r.RecordTime.Equal(clock.T) || r.EnterpriseID != ent.ID || r.EventID != r.Hash {
			t.Fatalf("stored record %+v: want recordTime %v, the enterprise, eventID = hash", r, clock.T)
		}
	}
	// An eventID is not an identity: another event of the same enterprise
	// may carry it (GS1's examples do), and lookups by eventID find the
	// first, by hash each.
	shared := `{"eventID":"urn:uuid:5f0a6ac4-6f3e-4c55-9e5e-2b8a1f7c0001","type"`
	doc = eventDoc(strings.Replace(objectEvent(3, "receiving", "2026-11-02T10:00:00+08:00", ""), `{"type"`, shared, 1))
	if job, err = run(epcis.Rollback); err != nil || job.Captured != 1 {
		t.Fatalf("an event with eventID urn:uuid:… = %+v, %v; want it stored", job, err)
	}
	first, err := s.FindEvent(ctx, "urn:uuid:5f0a6ac4-6f3e-4c55-9e5e-2b8a1f7c0001")
	if err != nil {
		t.Fatal(err)
	}
	doc = eventDoc(strings.Replace(objectEvent(4, "receiving", "2026-11-02T10:00:00+08:00", ""), `{"type"`, shared, 1))
	if job, err = run(epcis.Rollback); err != nil || job.Captured != 1 {
		t.Fatalf("second event with a used eventID = %+v, %v; want it stored", job, err)
	}
	if r, err := s.FindEvent(ctx, "urn:uuid:5f0a6ac4-6f3e-4c55-9e5e-2b8a1f7c0001"); err != nil || r.Seq != first.Seq {
		t.Fatalf("FindEvent(shared eventID) = %+v, %v; want the first", r, err)
	}
	// An ni: eventID is a hash: another event's is refused, naming it.
	doc = eventDoc(strings.Replace(objectEvent(5, "receiving", "2026-11-02T10:00:00+08:00", ""), `{"type"`, `{"eventID":"`+recs[0].EventID+`","type"`, 1))
	if job, err = run(epcis.Proceed); err != nil || job.Captured != 0 || job.Failed != 1 || len(job.Errors) != 1 ||
		job.Errors[0].Pointer != "/epcisBody/eventList/0/eventID" {
		t.Fatalf("an event with another event's hash as eventID = %+v, %v; want it refused at /epcisBody/eventList/0/eventID", job, err)
	}
	if _, err := s.FindCaptureJob(ctx, 999999); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindCaptureJob(absent) = %v", err)
	}
	if _, err := s.FindEvent(ctx, "urn:uuid:absent"); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindEvent(absent) = %v", err)
	}
}
