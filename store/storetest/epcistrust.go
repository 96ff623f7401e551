package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"tracegate"
	"tracegate/epcis"
)

// The store side of "who may say what" in EPCIS (docs/security-epcis.md):
// registered GS1 company prefixes, owned master data, eventIDs that are not
// borrowed across enterprises, and capture jobs recovered after a stop.

func testEPCISTrust(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock).(epcisStore)
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(61), Name: "港口甲", Roles: []tracegate.Role{tracegate.RoleLogistics}}
	b := &tracegate.Enterprise{USCC: USCC(62), Name: "商家乙", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	for _, e := range []*tracegate.Enterprise{a, b} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	capture := func(ent int64, doc []byte, behaviour epcis.CaptureBehaviour) (*epcis.CaptureJob, error) {
		return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent, Behaviour: behaviour, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true})
	}

	t.Run("prefixes", func(t *testing.T) {
		for _, tt := range []struct {
			ent    int64
			prefix string
			code   string
		}{
			{a.ID, "952", tracegate.EINVALID},
			{a.ID, "95201x", tracegate.EINVALID},
			{999999, "9529999", tracegate.ENOTFOUND},
			{a.ID, "9521111", ""},
			{a.ID, "9521111", ""}, // again: a no-op
			{b.ID, "9521111", tracegate.ECONFLICT},
			{b.ID, "952111122", ""}, // a longer prefix inside a's
		} {
			if err := s.RegisterCompanyPrefix(ctx, tt.ent, tt.prefix); tracegate.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Errorf("RegisterCompanyPrefix(%d, %q) = %v, want %q", tt.ent, tt.prefix, err, tt.code)
			}
		}
		if got, err := s.CompanyPrefixes(ctx, a.ID); err != nil || len(got) != 1 || got[0] != "9521111" {
			t.Errorf("CompanyPrefixes(a) = %v, %v", got, err)
		}
		for digits, want := range map[string]int64{"9521111000017": a.ID, "9521111220001": b.ID, "9529999000001": 0} {
			if got, err := s.CompanyPrefixOwner(ctx, digits); err != nil || got != want {
				t.Errorf("CompanyPrefixOwner(%s) = %d, %v; want %d", digits, got, err, want)
			}
		}
	})

	t.Run("master data is owned", func(t *testing.T) {
		port := "urn:epc:id:sgln:9521111.00001.0"   // a's by its prefix
		office := "urn:epc:id:sgln:9530000.00001.0" // nobody's prefix: its first declarer's
		loc := func(id, name string) string {
			return `{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` + vocabElement(id, name) + `]}`
		}
		ev := locationEvent(1, office, office)
		if _, err := capture(b.ID, masterDataDoc(loc(office, "乙办公室"), ev), epcis.Rollback); err != nil {
			t.Fatalf("first declaration of the office = %v", err)
		}
		for _, tt := range []struct {
			name  string
			ent   int64
			vocab string
			code  string
		}{
			{"another's first declaration", a.ID, loc(office, "FAKE"), tracegate.EFORBIDDEN},
			{"its declarer again", b.ID, loc(office, "乙的办公室"), ""},
			{"a location of another's prefix", b.ID, loc(port, "FAKE PORT"), tracegate.EFORBIDDEN},
			{"the prefix's owner", a.ID, loc(port, "广州南沙港"), ""},
		} {
			_, err := capture(tt.ent, masterDataDoc(tt.vocab, ev), epcis.Proceed)
			if tracegate.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Errorf("%s: Capture() = %v, want %q", tt.name, err, tt.code)
			}
			var te *tracegate.Error
			if tt.code != "" && (!errors.As(err, &te) || te.Pointer != "/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0") {
				t.Errorf("%s: the refusal %v does not point at the element", tt.name, err)
			}
		}
		names, err := s.LocationNames(ctx, []string{office, port})
		if err != nil || names[office] != "乙的办公室" || names[port] != "广州南沙港" {
			t.Fatalf("LocationNames() = %v, %v; want the owners' names", names, err)
		}
	})

	t.Run("eventIDs are not borrowed", func(t *testing.T) {
		id := "urn:uuid:0b9f6f1e-8a7d-4c55-9e5e-2b8a1f7c0002"
		withID := func(serial int) []byte {
			return eventDoc(strings.Replace(objectEvent(serial, "receiving", "2026-11-03T10:00:00+08:00", ""), `{"type"`, `{"eventID":"`+id+`","type"`, 1))
		}
		if job, err := capture(a.ID, withID(71), epcis.Rollback); err != nil || job.Captured != 1 {
			t.Fatalf("capture with eventID = %+v, %v", job, err)
		}
		job, err := capture(b.ID, withID(72), epcis.Rollback)
		var te *tracegate.Error
		if tracegate.ErrorCode(err) != tracegate.EINVALID || job.Captured != 0 || !errors.As(err, &te) || len(te.Details) != 1 ||
			te.Details[0].Pointer != "/epcisBody/eventList/0/eventID" {
			t.Fatalf("another enterprise's eventID = %+v, %v; want refused at /epcisBody/eventList/0/eventID", job, err)
		}
		if r, err := s.FindEvent(ctx, id); err != nil || r.EnterpriseID != a.ID {
			t.Fatalf("FindEvent(%s) = %+v, %v; want a's", id, r, err)
		}
	})

	t.Run("capture jobs recovered after a stop", func(t *testing.T) {
		committed := &epcis.CaptureJob{EnterpriseID: a.ID, Behaviour: epcis.Rollback}
		lost := &epcis.CaptureJob{EnterpriseID: a.ID, Behaviour: epcis.Proceed}
		for _, j := range []*epcis.CaptureJob{committed, lost} {
			if err := s.CreateCaptureJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		e, err := epcis.DecodeEvent([]byte(objectEvent(81, "receiving", "2026-11-04T10:00:00+08:00", "")))
		if err != nil {
			t.Fatal(err)
		}
		rec := epcis.NewRecord(e, a.ID)
		rec.CaptureID = committed.ID
		if err := s.WriteEvents(ctx, nil, func(w epcis.EventWriter) error { _, err := w.Write(ctx, []*epcis.Record{rec}); return err }); err != nil {
			t.Fatal(err)
		}
		clock.Advance(1000)
		start := clock.Now()
		young := &epcis.CaptureJob{EnterpriseID: a.ID, Behaviour: epcis.Rollback} // the new process's own
		if err := s.CreateCaptureJob(ctx, young); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RecoverCaptureJobs(ctx, start); err != nil || n != 2 {
			t.Fatalf("RecoverCaptureJobs() = %d, %v; want 2", n, err)
		}
		for _, c := range []struct {
			job      *epcis.CaptureJob
			running  bool
			success  bool
			captured int
		}{{committed, false, true, 1}, {lost, false, false, 0}, {young, true, false, 0}} {
			got, err := s.FindCaptureJob(ctx, c.job.ID)
			if err != nil || got.Running != c.running || got.Success != c.success || got.Captured != c.captured ||
				(!c.running && (got.FinishedAt == nil || len(got.Errors) != 1)) {
				t.Errorf("job %d after recovery = %+v, %v; want running %v, success %v, %d captured", c.job.ID, got, err, c.running, c.success, c.captured)
			}
		}
		if n, err := s.RecoverCaptureJobs(ctx, start); err != nil || n != 0 {
			t.Errorf("RecoverCaptureJobs() again = %d, %v; want 0", n, err)
		}
	})
}
