package web

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

const epcisDocHead = `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00","epcisBody":{"eventList":[`

func shipEvent(serial string) string {
	return `{"type":"ObjectEvent","eventTime":"2026-11-20T10:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["urn:epc:id:sgtin:9506000.013435.` +
		serial + `"],"action":"OBSERVE","bizStep":"shipping","disposition":"in_transit","bizLocation":{"id":"urn:epc:id:sgln:9520123.45678.0"}}`
}

func TestEPCISEndpoints(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh, lab, reg := f.keys[tracegate.RoleWarehouse], f.keys[tracegate.RoleLab], f.keys[tracegate.RoleRegulator]
		var events []string
		for _, sn := range []string{"A1", "A2", "A3", "A4", "A5"} {
			events = append(events, shipEvent(sn))
		}
		doc := epcisDocHead + strings.Join(events, ",") + `]}}`

		w := f.do("POST", "/epcis/capture", wh, "application/ld+json", doc)
		if w.Code != 202 || w.Header().Get("Location") == "" || w.Header().Get("GS1-EPCIS-Capture-Limit") == "" {
			t.Fatalf("capture = %d %v %s", w.Code, w.Header(), w.Body)
		}
		var job map[string]any
		json.Unmarshal(w.Body.Bytes(), &job)
		if job["capturedEvents"] != float64(5) || job["success"] != true || job["running"] != false {
			t.Fatalf("capture job = %v", job)
		}
		loc := w.Header().Get("Location")
		if w := f.do("GET", loc, wh, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"capturedEvents":5`) {
			t.Fatalf("GET %s = %d %s", loc, w.Code, w.Body)
		}
		if w := f.do("GET", loc, lab, "", ""); w.Code != 404 {
			t.Fatalf("another enterprise reading the job = %d, want 404", w.Code)
		}
		// The same document again: recognised, nothing new.
		w = f.do("POST", "/epcis/capture", wh, "application/ld+json", doc)
		if w.Code != 202 || !strings.Contains(w.Body.String(), `"duplicateEvents":5`) {
			t.Fatalf("capture again = %d %s", w.Code, w.Body)
		}

		// Query with paging.
		w = f.do("GET", "/epcis/events?perPage=2&EQ_bizStep=shipping", wh, "", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), "EPCISQueryDocument") || w.Header().Get("Link") == "" {
			t.Fatalf("query = %d %v %s", w.Code, w.Header(), w.Body)
		}
		next := strings.TrimSuffix(strings.TrimPrefix(w.Header().Get("Link"), "<"), `>; rel="next"`)
		w = f.do("GET", next, wh, "", "")
		if w.Code != 200 || strings.Count(w.Body.String(), `"ObjectEvent"`) != 2 {
			t.Fatalf("page 2 = %d %s", w.Code, w.Body)
		}
		// Digital Link output.
		req := httptest.NewRequest("GET", "/epcis/epcs/"+url.PathEscape("urn:epc:id:sgtin:9506000.013435.A3")+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+wh)
		req.Header.Set("GS1-EPC-Format", "Always_GS1_Digital_Link")
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "https://id.gs1.org/01/09506000134352/21/A3") || strings.Count(rec.Body.String(), `"ObjectEvent"`) != 1 {
			t.Fatalf("epc events as Digital Links = %d %s", rec.Code, rec.Body)
		}
		// XML output.
		req = httptest.NewRequest("GET", "/epcis/events?perPage=1", nil)
		req.Header.Set("Authorization", "Bearer "+reg)
		req.Header.Set("Accept", "application/xml")
		rec = httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "EPCISQueryDocument") || rec.Header().Get("Content-Type") != "application/xml" {
			t.Fatalf("xml query = %d %s", rec.Code, rec.Body)
		}
		// Visibility: the lab recorded nothing, so sees nothing; the regulator sees all.
		if w := f.do("GET", "/epcis/events", lab, "", ""); strings.Count(w.Body.String(), `"ObjectEvent"`) != 0 {
			t.Fatalf("lab sees %s", w.Body)
		}
		if w := f.do("GET", "/epcis/events", reg, "", ""); strings.Count(w.Body.String(), `"ObjectEvent"`) != 5 {
			t.Fatalf("regulator sees %s", w.Body)
		}
		if w := f.do("GET", "/epcis/events?maxEventCount=2", reg, "", ""); w.Code != 413 {
			t.Fatalf("maxEventCount exceeded = %d", w.Code)
		}
		// One event, by its hash eventID, percent-encoded.
		w = f.do("GET", "/epcis/events?perPage=1", wh, "", "")
		var qd struct {
			EpcisBody struct {
				QueryResults struct {
					ResultsBody struct {
						EventList []map[string]any
					}
				}
			}
		}
		json.Unmarshal(w.Body.Bytes(), &qd)
		if len(qd.EpcisBody.QueryResults.ResultsBody.EventList) != 1 {
			t.Fatalf("query document shape: %s", w.Body)
		}
		id, _ := qd.EpcisBody.QueryResults.ResultsBody.EventList[0]["eventID"].(string)
		if w := f.do("GET", "/epcis/events/"+url.PathEscape(id), wh, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), id) {
			t.Fatalf("GET event %s = %d %s", id, w.Code, w.Body)
		}
		if w := f.do("GET", "/epcis/events/"+url.PathEscape(id), lab, "", ""); w.Code != 404 {
			t.Fatalf("lab reading the warehouse's event = %d, want 404", w.Code)
		}

		bad := []struct {
			name, ct, body, behaviour string
			status                    int
			content                   string
		}{
			{"malformed json", "application/ld+json", `{"type":"EPCISDocument",`, "", 400, ""},
			{"schema violation", "application/ld+json", epcisDocHead + `{"type":"ObjectEvent","eventTime":"x"}]}}`, "", 400, "eventList/0"},
			{"unknown event type", "application/ld+json", epcisDocHead + `{"type":"TeleportEvent","eventTime":"2026-11-20T10:00:00+08:00","eventTimeZoneOffset":"+08:00"}]}}`, "", 400, ""},
			{"wrong content type", "text/plain", doc, "", 415, ""},
			{"bad behaviour header", "application/ld+json", doc, "sometimes", 400, "GS1-Capture-Error-Behaviour"},
			{"xml bomb", "application/xml", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-20T08:00:00Z"><EPCISBody><EventList>&lol2;</EventList></EPCISBody></epcis:EPCISDocument>`, "", 400, ""},
			{"external entity", "application/xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-20T08:00:00Z"><EPCISBody><EventList>&xxe;</EventList></EPCISBody></epcis:EPCISDocument>`, "", 400, ""},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				req := httptest.NewRequest("POST", "/epcis/capture", strings.NewReader(tt.body))
				req.Header.Set("Authorization", "Bearer "+wh)
				req.Header.Set("Content-Type", tt.ct)
				if tt.behaviour != "" {
					req.Header.Set("GS1-Capture-Error-Behaviour", tt.behaviour)
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.content) {
					t.Fatalf("capture %s = %d %s; want %d containing %q", tt.name, w.Code, w.Body, tt.status, tt.content)
				}
				checkProblem(t, w, tt.status, "")
			})
		}
		// Nothing from the refused documents was stored.
		if w := f.do("GET", "/epcis/events", reg, "", ""); strings.Count(w.Body.String(), `"ObjectEvent"`) != 5 {
			t.Fatalf("after refused captures the regulator sees %d events", strings.Count(w.Body.String(), `"ObjectEvent"`))
		}
		// An official XML example captures.
		x, err := os.ReadFile(filepath.Join(storetest.Testdata(t), "epcis/examples/xml/CBV/CBV-11.1-ObjectEventExample.xml"))
		if err == nil {
			if w := f.do("POST", "/epcis/capture", wh, "application/xml", string(x)); w.Code != 202 {
				t.Fatalf("capture official XML example = %d %s", w.Code, w.Body)
			}
		}
	})
}

func TestContainmentEndpoints(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh, lab, reg := f.keys[tracegate.RoleWarehouse], f.keys[tracegate.RoleLab], f.keys[tracegate.RoleRegulator]
		doc := epcisDocHead + `{"type":"AggregationEvent","eventTime":"2026-11-20T10:00:00+08:00","eventTimeZoneOffset":"+08:00","parentID":"urn:epc:id:sscc:0614141.0000000001","childEPCs":["urn:epc:id:sgtin:9506000.013435.P1","urn:epc:id:sgtin:9506000.013435.P2"],"action":"ADD","bizStep":"packing"}]}}`
		if w := f.do("POST", "/epcis/capture", wh, "application/ld+json", doc); w.Code != 202 {
			t.Fatalf("capture = %d %s", w.Code, w.Body)
		}
		parent := url.PathEscape("urn:epc:id:sscc:0614141.0000000001")
		if w := f.do("GET", "/epcis/containment/"+parent, wh, "", ""); w.Code != 200 || strings.Count(w.Body.String(), `"depth":1`) != 2 {
			t.Fatalf("contents = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/epcis/containment/"+parent+"?at=2026-11-19T00:00:00Z", reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"contents":[]`) {
			t.Fatalf("contents before packing = %d %s", w.Code, w.Body)
		}
		child := url.PathEscape("https://id.gs1.org/01/09506000134352/21/P2")
		if w := f.do("GET", "/epcis/containers/"+child, reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "00614141") {
			t.Fatalf("containers = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/epcis/containment/"+parent, lab, "", ""); w.Code != 404 {
			t.Fatalf("an unrelated enterprise asking = %d, want 404", w.Code)
		}
		if w := f.do("GET", "/epcis/containment/"+parent+"?at=yesterday", reg, "", ""); w.Code != 400 {
			t.Fatalf("bad at = %d", w.Code)
		}
	})
}

func TestNamedQueriesAndSubscriptions(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh, lab := f.keys[tracegate.RoleWarehouse], f.keys[tracegate.RoleLab]
		f.do("POST", "/epcis/capture", wh, "application/ld+json", epcisDocHead+shipEvent("Q1")+`]}}`)
		tests := []struct {
			name, method, path, key, body string
			status                        int
			content, pointer              string
		}{
			{"create", "POST", "/epcis/queries", wh, `{"name":"shipments","query":{"EQ_bizStep":["shipping"],"eventType":"ObjectEvent"}}`, 201, `"name":"shipments"`, ""},
			{"duplicate", "POST", "/epcis/queries", wh, `{"name":"shipments","query":{}}`, 409, "", ""},
			{"bad parameter", "POST", "/epcis/queries", wh, `{"name":"x","query":{"EQ_colour":"red"}}`, 400, "EQ_colour", "/query/EQ_colour"},
			{"bad value type", "POST", "/epcis/queries", wh, `{"name":"x","query":{"EQ_bizStep":3}}`, 400, "", "/query/EQ_bizStep"},
			{"no name", "POST", "/epcis/queries", wh, `{"query":{}}`, 400, "", "/name"},
			{"list", "GET", "/epcis/queries", wh, "", 200, "shipments", ""},
			{"get", "GET", "/epcis/queries/shipments", wh, "", 200, "EQ_bizStep", ""},
			{"other enterprise", "GET", "/epcis/queries/shipments", lab, "", 404, "", ""},
			{"run", "GET", "/epcis/queries/shipments/events", wh, "", 200, "Q1", ""},
			{"subscribe", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","stream":true}`, 201, `"subscriptionID"`, ""},
			{"subscribe scheduled", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","reportIfEmpty":true,"schedule":{"second":"0","minute":"5","hour":"1"}}`, 201, `"schedule":{"second":"0","minute":"5","hour":"1"},"reportIfEmpty":true`, ""},
			{"schedule with numbers", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{"second":0,"minute":"0,30","dayOfWeek":"[1-5]"}}`, 201, `"dayOfWeek":"[1-5]"`, ""},
			{"schedule out of range", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{"minute":"60"}}`, 400, "outside 0 through 59", "/schedule/minute"},
			{"schedule bad range", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{"hour":"[5-2]"}}`, 400, "starts after it ends", "/schedule/hour"},
			{"schedule unknown field", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{"week":"1"}}`, 400, "", "/schedule/week"},
			{"schedule empty", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{}}`, 400, "", "/schedule"},
			{"schedule never", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","schedule":{"dayOfMonth":"31","month":"2"}}`, 400, "no time matches", "/schedule"},
			{"stream and schedule", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","stream":true,"schedule":{"hour":"1"}}`, 400, "not both", "/stream"},
			{"reportIfEmpty on a stream", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123","stream":true,"reportIfEmpty":true}`, 400, "", "/reportIfEmpty"},
			{"subscribe without stream", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"0123456789abcdef0123"}`, 400, "", "/stream"},
			{"short token", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"https://erp.example.com/hook","signatureToken":"abc","stream":true}`, 400, "", "/signatureToken"},
			{"bad dest", "POST", "/epcis/queries/shipments/subscriptions", wh, `{"dest":"ftp://x","signatureToken":"0123456789abcdef0123","stream":true}`, 400, "", "/dest"},
			{"list subscriptions", "GET", "/epcis/queries/shipments/subscriptions", wh, "", 200, `"stream":false,"schedule":{"second":"0","minute":"5","hour":"1"}`, ""},
			{"delete", "DELETE", "/epcis/queries/shipments", wh, "", 204, "", ""},
			{"deleted", "GET", "/epcis/queries/shipments", wh, "", 404, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := f.do(tt.method, tt.path, tt.key, "application/json", tt.body)
				if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.content) {
					t.Fatalf("%s %s = %d %s; want %d containing %q", tt.method, tt.path, w.Code, w.Body, tt.status, tt.content)
				}
				if w.Code >= 400 {
					checkProblem(t, w, tt.status, tt.pointer)
				}
			})
		}
	})
}

// TestEventIDWithPercent: the mux unescapes the path once; an eventID that
// itself contains "%25" must not be decoded a second time.
func TestEventIDWithPercent(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wh := f.keys[tracegate.RoleWarehouse]
		ev := strings.Replace(shipEvent("P9"), `{"type"`, `{"eventID":"urn:tracegate:ev:50%25","type"`, 1)
		if w := f.do("POST", "/epcis/capture", wh, "application/ld+json", epcisDocHead+ev+`]}}`); w.Code != 202 {
			t.Fatalf("capture = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/epcis/events/"+url.PathEscape("urn:tracegate:ev:50%25"), wh, "", ""); w.Code != 200 {
			t.Fatalf("GET event with %%25 in its id = %d %s", w.Code, w.Body)
		}
	})
}
