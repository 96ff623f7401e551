package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
)

// scanView is the anonymous scan page of a label, as JSON.
func (f *fixture) scanView(t *testing.T, code string) label.ScanView {
	t.Helper()
	req := httptest.NewRequest("GET", "/l/"+code, nil)
	req.Header.Set("Accept", "application/json")
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /l/%s = %d %s", code, w.Code, w.Body)
	}
	var v label.ScanView
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("scan view: %v", err)
	}
	return v
}

// TestScanPageForgedInspection: any key captures a non_conformant
// inspection of a batch dated before the real one, and master data
// renaming the port (issue 11 finding 4). The rename is refused naming the
// vocabulary element; the inspection is stored (its author sees it) but the
// public page shows only the regulator's, and who said each step.
func TestScanPageForgedInspection(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wt := newTrustWorld(t, f)
		plat := f.keys[tracegate.RolePlatform]
		forged := lotEvent("inspecting", "non_conformant", "2026-10-19T10:00:00+08:00", "")
		w := f.capture(t, plat, trustDoc(portName("FAKE PORT"), forged), http.StatusForbidden)
		checkProblem(t, w, http.StatusForbidden, "/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0")
		f.capture(t, plat, trustDoc("", forged), http.StatusAccepted)
		// A logistics firm may not inspect either; a lab may.
		f.capture(t, f.keys[tracegate.RoleLogistics], trustDoc("", lotEvent("inspecting", "non_conformant", "2026-10-18T10:00:00+08:00", "")), http.StatusAccepted)

		v := f.scanView(t, wt.code)
		page, _ := json.Marshal(v)
		if strings.Contains(string(page), "不合格") || strings.Contains(string(page), "FAKE PORT") {
			t.Fatalf("the public page shows the forgery: %s", page)
		}
		steps := map[label.StepKind]label.Step{}
		for _, st := range v.Timeline {
			steps[st.Step] = st
		}
		if st := steps[label.StepInspection]; !st.Recorded || st.Detail != "合格" || st.By != f.ents[tracegate.RoleRegulator].Name {
			t.Errorf("inspection step = %+v, want the regulator's 合格", st)
		}
		if st := steps[label.StepArrival]; st.Place != "广州南沙港" || st.By != f.ents[tracegate.RoleLogistics].Name {
			t.Errorf("arrival step = %+v, want 广州南沙港 recorded by the logistics firm", st)
		}
		// The port's owner (its company prefix) may rename it.
		f.capture(t, f.keys[tracegate.RoleLogistics], trustDoc(portName("南沙港区"), lotEvent("arriving", "in_progress", "2026-10-20T11:00:00+08:00", "")), http.StatusAccepted)
	})
}

// TestBorrowedEventID: an eventID of another enterprise's event, or an ni:
// eventID that is not the event's own hash, is refused naming the field,
// and a lookup answers only a record the caller may see (finding 5).
func TestBorrowedEventID(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wt := newTrustWorld(t, f)
		plat := f.keys[tracegate.RolePlatform]
		reg, err := s.FindEvent(context.Background(), wt.inspection)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{wt.arrival, reg.Hash} {
			w := f.capture(t, plat, trustDoc("", itemEvent("receiving", "2026-11-03T10:00:00+08:00", `,"eventID":"`+id+`"`)), http.StatusBadRequest)
			if d := problemDetails(t, w); d["/epcisBody/eventList/0/eventID"] == "" {
				t.Errorf("borrowing %s: problem %s, want one naming /epcisBody/eventList/0/eventID", id, w.Body)
			}
			if w := f.do("GET", "/epcis/events/"+url.PathEscape(id), plat, "", ""); w.Code != http.StatusNotFound {
				t.Errorf("GET /epcis/events/%s by the borrower = %d %s, want 404", id, w.Code, w.Body)
			}
		}
		// Its own hash as its eventID is fine, and so is a uuid of its own.
		own := itemEvent("receiving", "2026-11-03T11:00:00+08:00", "")
		e, err := epcis.DecodeEvent([]byte(own))
		if err != nil {
			t.Fatal(err)
		}
		f.capture(t, plat, trustDoc("", itemEvent("receiving", "2026-11-03T11:00:00+08:00", `,"eventID":"`+epcis.EventHash(e)+`"`)), http.StatusAccepted)
	})
}

// TestCaptureRefusesBadText: invalid UTF-8 and NUL anywhere in a captured
// document answer 400 naming the field, on both stores (finding 10).
func TestCaptureRefusesBadText(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		ev := func(epc string) string {
			return `{"type":"ObjectEvent","eventTime":"2026-11-01T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["` + epc + `"],"action":"OBSERVE"}`
		}
		xml := func(epc string) string {
			return `<?xml version="1.0" encoding="UTF-8"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2026-11-01T10:00:00+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset><epcList><epc>` +
				epc + `</epc></epcList><action>OBSERVE</action></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`
		}
		tests := []struct {
			name, ctype, body, pointer string
		}{
			{"JSON invalid UTF-8", "application/ld+json", trustDoc("", ev("urn:epc:id:sgtin:9506000.013435.\xff\xfe")), "/epcisBody/eventList/0/epcList/0"},
			{"JSON NUL", "application/ld+json", trustDoc("", ev(`urn:epc:id:sgtin:9506000.013435.A\u0000B`)), "/epcisBody/eventList/0/epcList/0"},
			{"JSON NUL in master data", "application/ld+json", trustDoc(portName(`Port\u0000`), ev("urn:epc:id:sgtin:9506000.013435.C")),
				"/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0/attributes/0/attribute"},
			{"XML invalid UTF-8", "application/xml", xml("urn:epc:id:sgtin:9506000.013435.\xff"), ""},
			{"XML NUL", "application/xml", xml("urn:epc:id:sgtin:9506000.013435.&#0;"), ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := f.do("POST", "/epcis/capture", wh, tt.ctype, tt.body)
				if w.Code != http.StatusBadRequest || (tt.pointer != "" && !strings.Contains(w.Body.String(), `"`+tt.pointer+`"`)) {
					t.Fatalf("capture = %d %s, want 400 naming %s", w.Code, w.Body, tt.pointer)
				}
			})
		}
		if ids := f.eventIDs(t, f.keys[tracegate.RoleRegulator], "/epcis/events"); len(ids) != 0 {
			t.Fatalf("stored %v, want nothing", ids)
		}
		// Queries and path parameters follow the same rule.
		for path, pointer := range map[string]string{
			"/epcis/events?MATCH_epc=urn:x:%FF": "/query/MATCH_epc",
			"/epcis/events?EQ_bizStep=a%00b":    "/query/EQ_bizStep",
			"/epcis/epcs/urn:x:%00/events":      "/path/epc",
			"/epcis/events/urn:uuid:%FF":        "/path/eventID",
			"/epcis/containment/urn:x:%FF%FE":   "/path/epc",
		} {
			w := f.do("GET", path, f.keys[tracegate.RoleWarehouse], "", "")
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"`+pointer+`"`) {
				t.Errorf("GET %s = %d %s, want 400 naming %s", path, w.Code, w.Body, pointer)
			}
		}
	})
}

// TestQueryListLimits: 600 MATCH_epc values are answered (not a 500 from
// SQLite's expression depth); past the documented limits, 400 naming the
// parameter (finding 12).
func TestQueryListLimits(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		reg := f.keys[tracegate.RoleRegulator]
		f.capture(t, f.keys[tracegate.RoleWarehouse], trustDoc("", shipEvent("A1")), http.StatusAccepted)
		values := func(n int, pattern bool) string {
			vs := make([]string, n)
			for i := range vs {
				vs[i] = "urn:epc:id:sgtin:9506000.013435.A" + strings.Repeat("1", 1+i%3) + string(rune('a'+i%26))
				if pattern {
					vs[i] = "urn:epc:idpat:sgtin:9506000.01343" + string(rune('0'+i%10)) + ".*"
				}
			}
			vs[0] = "urn:epc:id:sgtin:9506000.013435.A1"
			return url.QueryEscape(strings.Join(vs, "|"))
		}
		if ids := f.eventIDs(t, reg, "/epcis/events?MATCH_epc="+values(600, false)); len(ids) != 1 {
			t.Fatalf("600 MATCH_epc values found %d events, want 1", len(ids))
		}
		for _, tt := range []struct{ query, pointer string }{
			{"MATCH_epc=" + values(epcis.MaxQueryValues+1, false), "/query/MATCH_epc"},
			{"MATCH_anyEPC=" + values(epcis.MaxQueryPatterns+2, true), "/query/MATCH_anyEPC"},
		} {
			w := f.do("GET", "/epcis/events?"+tt.query, reg, "", "")
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"`+tt.pointer+`"`) {
				t.Errorf("GET /epcis/events?%.40s… = %d %s, want 400 naming %s", tt.query, w.Code, w.Body, tt.pointer)
			}
		}
	})
}

// TestStuckCaptureJobs: a job left running by a stop (its events committed
// or not) is finished at start-up from what was committed (finding 15).
func TestStuckCaptureJobs(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		wh := f.ents[tracegate.RoleWarehouse]
		committed := &epcis.CaptureJob{EnterpriseID: wh.ID, Behaviour: epcis.Rollback}
		lost := &epcis.CaptureJob{EnterpriseID: wh.ID, Behaviour: epcis.Rollback}
		for _, j := range []*epcis.CaptureJob{committed, lost} {
			if err := s.CreateCaptureJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		e, err := epcis.DecodeEvent([]byte(shipEvent("Z9")))
		if err != nil {
			t.Fatal(err)
		}
		rec := epcis.NewRecord(e, wh.ID)
		rec.CaptureID = committed.ID
		if err := s.WriteEvents(ctx, nil, func(w epcis.EventWriter) error { _, err := w.Write(ctx, []*epcis.Record{rec}); return err }); err != nil {
			t.Fatal(err)
		}
		// The process stops here; the next start finishes both.
		if n, err := s.RecoverCaptureJobs(ctx, time.Now().Add(time.Second)); err != nil || n != 2 {
			t.Fatalf("RecoverCaptureJobs() = %d, %v; want 2", n, err)
		}
		for _, c := range []struct {
			job  *epcis.CaptureJob
			want string
		}{{committed, `"capturedEvents":1,`}, {lost, `"capturedEvents":0,`}} {
			w := f.do("GET", "/epcis/capture/"+strconv.FormatInt(c.job.ID, 10), f.keys[tracegate.RoleWarehouse], "", "")
			success := c.job == committed
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), c.want) || !strings.Contains(w.Body.String(), `"running":false`) ||
				!strings.Contains(w.Body.String(), `"success":`+strconv.FormatBool(success)) {
				t.Errorf("GET /epcis/capture/%d = %d %s, want finished with %s, success %v", c.job.ID, w.Code, w.Body, c.want, success)
			}
		}
	})
}
