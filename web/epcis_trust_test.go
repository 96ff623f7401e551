package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tracegate"
	"tracegate/label"
)

// The attacks of issue 11 on EPCIS, each with ordinary enterprise keys over
// HTTP (docs/security-epcis.md).

const (
	trustGTIN  = "09421902960031"
	trustLot   = "LNZ2609"
	trustClass = "https://id.gs1.org/01/" + trustGTIN + "/10/" + trustLot
	trustPort  = "urn:epc:id:sgln:9521111.00001.0"
	trustSGTIN = "https://id.gs1.org/01/" + trustGTIN + "/21/S1"
)

// trustDoc is an EPCIS document of events, with a header when header is
// not "" (it ends in a comma).
func trustDoc(header string, events ...string) string {
	return `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0",` +
		`"creationDate":"2026-11-20T08:00:00+08:00",` + header + `"epcisBody":{"eventList":[` + strings.Join(events, ",") + `]}}`
}

// portName is a master-data header naming the port.
func portName(name string) string {
	return `"epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` +
		`{"id":"` + trustPort + `","attributes":[{"id":"urn:epcglobal:cbv:mda#name","attribute":"` + name + `"}]}]}]}},`
}

// lotEvent is an event about the lot at the port; extra adds fields.
func lotEvent(step, disp, when, extra string) string {
	return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","quantityList":[{"epcClass":"%s","quantity":2400,"uom":"H87"}],`+
		`"action":"OBSERVE","bizStep":"%s","disposition":"%s","readPoint":{"id":"%s"},"bizLocation":{"id":"%s"}%s}`, when, trustClass, step, disp, trustPort, trustPort, extra)
}

// itemEvent is an event about the serialised item S1.
func itemEvent(step, when, extra string) string {
	return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","epcList":["%s"],"action":"OBSERVE","bizStep":"%s"%s}`,
		when, trustSGTIN, step, extra)
}

// capture posts a document with key and wants status.
func (f *fixture) capture(t *testing.T, key, doc string, status int) *httptest.ResponseRecorder {
	t.Helper()
	w := f.do("POST", "/epcis/capture", key, "application/ld+json", doc)
	if w.Code != status {
		t.Fatalf("capture = %d %s, want %d", w.Code, w.Body, status)
	}
	return w
}

// eventIDs answers the eventIDs of a query's events as key sees them.
func (f *fixture) eventIDs(t *testing.T, key, path string) []string {
	t.Helper()
	w := f.do("GET", path, key, "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
	}
	var doc struct {
		Body struct {
			Results struct {
				Body struct {
					Events []struct {
						EventID string `json:"eventID"`
					} `json:"eventList"`
				} `json:"resultsBody"`
			} `json:"queryResults"`
		} `json:"epcisBody"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, w.Body)
	}
	var ids []string
	for _, e := range doc.Body.Results.Body.Events {
		ids = append(ids, e.EventID)
	}
	return ids
}

// trustWorld is a lot at the port (arrival by logistics, with the port's
// name; conformant inspection by the regulator), bound at intake by the
// warehouse to the e-commerce enterprise's filing, and the warehouse's
// shipment of item S1 to the logistics firm (its registered prefix).
type trustWorld struct {
	arrival, inspection, shipment string // eventIDs
	code                          string // the label, compact
}

func newTrustWorld(t *testing.T, f *fixture) *trustWorld {
	t.Helper()
	lg, reg, wh := f.keys[tracegate.RoleLogistics], f.keys[tracegate.RoleRegulator], f.keys[tracegate.RoleWarehouse]
	if w := f.do("POST", fmt.Sprintf("/api/enterprises/%d/gs1-prefixes", f.ents[tracegate.RoleLogistics].ID), reg, "application/json", `{"prefix":"9521111"}`); w.Code != http.StatusCreated {
		t.Fatalf("register prefix = %d %s", w.Code, w.Body)
	}
	wt := &trustWorld{
		arrival:    "urn:uuid:7d1c0c55-4a0e-4b8e-9c71-000000000001",
		inspection: "urn:uuid:7d1c0c55-4a0e-4b8e-9c71-000000000002",
		shipment:   "urn:uuid:7d1c0c55-4a0e-4b8e-9c71-000000000003",
	}
	f.capture(t, lg, trustDoc(portName("广州南沙港"), lotEvent("arriving", "in_progress", "2026-10-20T10:00:00+08:00", `,"eventID":"`+wt.arrival+`"`)), 202)
	f.capture(t, reg, trustDoc("", lotEvent("inspecting", "conformant", "2026-10-21T10:00:00+08:00", `,"eventID":"`+wt.inspection+`"`)), 202)
	f.capture(t, wh, trustDoc("", itemEvent("shipping", "2026-11-01T10:00:00+08:00",
		`,"eventID":"`+wt.shipment+`","destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:9521111.00000"}]`)), 202)
	f.fileProduct(t, trustGTIN)
	codes := f.requestLabels(t, wh, 1)
	if w := f.do("POST", "/api/labels/intake", wh, "application/json", jsonBody(map[string]any{"codes": codes, "gtin": trustGTIN,
		"batch": trustLot, "productionDate": "2026-09-01", "expiryDate": "2028-08-31"})); w.Code != http.StatusOK {
		t.Fatalf("intake = %d %s", w.Code, w.Body)
	}
	c, _ := label.ParseCode(codes[0])
	wt.code = c.Compact()
	return wt
}

// TestEPCISVisibilityMatrix: who sees which event. A lab that captured an
// event naming the public lot and item reads none of the others' events
// (issue 11 finding 3); custody (intake binding, filing) and being a party
// (registered prefix) do grant them.
func TestEPCISVisibilityMatrix(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		wt := newTrustWorld(t, f)
		lab := f.keys[tracegate.RoleLab]
		// The attacker names the lot and the item it read on a scan page.
		probe := "urn:uuid:7d1c0c55-4a0e-4b8e-9c71-0000000000ff"
		f.capture(t, lab, trustDoc("", lotEvent("inspecting", "conformant", "2026-11-02T10:00:00+08:00", `,"eventID":"`+probe+`"`),
			itemEvent("receiving", "2026-11-02T11:00:00+08:00", "")), 202)
		q := map[string]string{
			"lot":  "/epcis/events?MATCH_anyEPCClass=" + url.QueryEscape(trustClass),
			"item": "/epcis/epcs/" + url.PathEscape(trustSGTIN) + "/events",
		}
		// Columns: platform ecommerce logistics warehouse payment manufacturer importer lab regulator.
		matrix := []struct {
			query, event string
			want         string // 1: the role sees the event, 0: it does not
		}{
			{"lot", wt.arrival, "011100001"},    // the filer and the binder by custody; logistics recorded it
			{"lot", wt.inspection, "010100001"}, // the regulator's, seen by custody
			{"lot", probe, "010100011"},         // the lab's own, and what the custodians are told about their goods
			{"item", wt.shipment, "001100001"},  // the warehouse's, to logistics by its prefix
		}
		for _, m := range matrix {
			for i, role := range tracegate.Roles {
				ids := f.eventIDs(t, f.keys[role], q[m.query])
				sees := strings.Contains(strings.Join(ids, " "), m.event)
				if sees != (m.want[i] == '1') {
					t.Errorf("%s sees %s in %s = %v, want %c (got %v)", role, m.event, m.query, sees, m.want[i], ids)
				}
				w := f.do("GET", "/epcis/events/"+url.PathEscape(m.event), f.keys[role], "", "")
				if (w.Code == http.StatusOK) != (m.want[i] == '1') {
					t.Errorf("%s GET /epcis/events/%s = %d, want seen %c", role, m.event, w.Code, m.want[i])
				}
			}
		}
		// Containment follows the same rule: naming the pallet in an event
		// of one's own shows nothing of what others packed in it.
		pallet := "urn:epc:id:sscc:9521111.0000000001"
		agg := `{"type":"AggregationEvent","eventTime":"2026-11-01T09:00:00+08:00","eventTimeZoneOffset":"+08:00","parentID":"` + pallet +
			`","childEPCs":["` + trustSGTIN + `"],"action":"ADD","bizStep":"packing"}`
		f.capture(t, f.keys[tracegate.RoleWarehouse], trustDoc("", agg), 202)
		f.capture(t, lab, trustDoc("", `{"type":"ObjectEvent","eventTime":"2026-11-02T09:00:00+08:00","eventTimeZoneOffset":"+08:00","epcList":["`+pallet+`"],"action":"OBSERVE","bizStep":"inspecting"}`), 202)
		for role, want := range map[tracegate.Role]bool{tracegate.RoleWarehouse: true, tracegate.RoleLab: false, tracegate.RoleRegulator: true} {
			w := f.do("GET", "/epcis/containment/"+url.PathEscape(pallet), f.keys[role], "", "")
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "/21/S1") != want {
				t.Errorf("%s GET /epcis/containment/%s = %d %s, want S1 shown %v", role, pallet, w.Code, w.Body, want)
			}
		}
		// The lab's named query and its subscription's view are the same.
		if w := f.do("POST", "/epcis/queries", lab, "application/json", `{"name":"lot","query":{"MATCH_anyEPCClass":"`+trustClass+`"}}`); w.Code != http.StatusCreated {
			t.Fatalf("create named query = %d %s", w.Code, w.Body)
		}
		if ids := f.eventIDs(t, lab, "/epcis/queries/lot/events"); len(ids) != 1 || ids[0] != probe {
			t.Errorf("the lab's named query answers %v, want only its own %s", ids, probe)
		}
	})
}
