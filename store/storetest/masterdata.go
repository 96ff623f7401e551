package storetest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
	"tracegate/epcis"
)

// Locations of the master-data tests: a site with a dock and a warehouse,
// the warehouse with a shelf (and a cycle back from the shelf to the
// warehouse, which a query must survive), and an unrelated office.
const (
	mdSite      = "urn:epc:id:sgln:9520123.45678.0"
	mdDock      = "urn:epc:id:sgln:9520123.45678.1"
	mdWarehouse = "urn:epc:id:sgln:9520123.45678.2"
	mdShelf     = "urn:epc:id:sgln:9520123.45678.3"
	mdOffice    = "urn:epc:id:sgln:9520123.45678.9"
	mdGate      = "urn:epc:id:sgln:9520123.45678.7"
)

// masterDataDoc is a JSON-LD document whose header carries vocabularies
// (epcisHeader.epcisMasterData) and whose body carries events.
func masterDataDoc(vocabularies string, events ...string) []byte {
	return []byte(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00",
"epcisHeader":{"epcisMasterData":{"vocabularyList":[` + vocabularies + `]}},
"epcisBody":{"eventList":[` + strings.Join(events, ",") + `]}}`)
}

func vocabElement(id, name string, children ...string) string {
	attrs := ""
	if name != "" {
		attrs = `,"attributes":[{"id":"urn:epcglobal:cbv:mda#name","attribute":"` + name + `"},{"id":"urn:epcglobal:cbv:mda:sst","attribute":"201"}]`
	}
	kids := ""
	if len(children) > 0 {
		kids = `,"children":["` + strings.Join(children, `","`) + `"]`
	}
	return `{"id":"` + id + `"` + attrs + kids + `}`
}

func locationEvent(serial int, readPoint, bizLocation string) string {
	return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"2026-11-20T10:%02d:00+08:00","eventTimeZoneOffset":"+08:00",
"epcList":["https://id.gs1.org/01/09506000134352/21/MD%d"],"action":"OBSERVE","bizStep":"receiving",
"readPoint":{"id":"%s"},"bizLocation":{"id":"%s"}}`, serial, serial, readPoint, bizLocation)
}

func testMasterData(t *testing.T, open Opener) {
	s := open(t, NewClock()).(epcisStore)
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(51), Name: "保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	capture := func(doc []byte, b epcis.CaptureBehaviour, json bool) (*epcis.CaptureJob, error) {
		return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Behaviour: b, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: json})
	}
	bizLocations := `{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` +
		vocabElement(mdSite, "南沙保税仓", mdDock, mdWarehouse) + "," +
		vocabElement(mdWarehouse, "", mdShelf) + "," +
		vocabElement(mdShelf, "", mdWarehouse) + "," +
		vocabElement(mdOffice, "Office") + `]}`
	// The read-point hierarchy is its own: gate under the site.
	readPoints := `{"type":"urn:epcglobal:epcis:vtype:ReadPoint","vocabularyElementList":[` +
		vocabElement(mdSite, "Site reader", mdGate) + `]}`
	doc := masterDataDoc(bizLocations+","+readPoints,
		locationEvent(1, mdSite, mdSite), locationEvent(2, mdGate, mdDock), locationEvent(3, mdSite, mdWarehouse),
		locationEvent(4, mdSite, mdShelf), locationEvent(5, mdShelf, mdOffice))
	if job, err := capture(doc, epcis.Rollback, true); err != nil || job.Captured != 5 {
		t.Fatalf("Capture(master data and 5 events) = %+v, %v", job, err)
	}
	count := func(t *testing.T, raw string) int {
		t.Helper()
		q, err := epcis.ParseQuery(mustQuery(t, raw))
		if err != nil {
			t.Fatalf("ParseQuery(%q) = %v", raw, err)
		}
		recs, _, err := s.QueryEvents(ctx, q)
		if err != nil {
			t.Fatalf("QueryEvents(%q) = %v", raw, err)
		}
		return len(recs)
	}
	tests := []struct {
		name string
		q    string
		want int
	}{
		{"WD_bizLocation site: itself and every descendant", "WD_bizLocation=" + mdSite, 4},
		{"WD_bizLocation warehouse: itself and the shelf, despite the cycle", "WD_bizLocation=" + mdWarehouse, 2},
		{"WD_bizLocation leaf", "WD_bizLocation=" + mdDock, 1},
		{"WD_bizLocation as a Digital Link", "WD_bizLocation=" + epcis.CanonicalEPC(mdSite), 4},
		{"WD_bizLocation alternatives", "WD_bizLocation=" + mdDock + "|" + mdOffice, 2},
		{"WD_bizLocation unknown to master data and without events", "WD_bizLocation=urn:epc:id:sgln:9520123.45678.5", 0},
		{"EQ_bizLocation stays exact", "EQ_bizLocation=" + mdSite, 1},
		{"WD_readPoint follows the ReadPoint vocabulary", "WD_readPoint=" + mdSite, 4},
		{"WD_readPoint of a child", "WD_readPoint=" + mdGate, 1},
		{"WD_readPoint does not follow BusinessLocation children", "WD_readPoint=" + mdWarehouse, 0},
		{"WD_readPoint of a location without children", "WD_readPoint=" + mdShelf, 1},
		{"WD and EQ together", "WD_bizLocation=" + mdSite + "&EQ_readPoint=" + mdGate, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := count(t, tt.q); got != tt.want {
				t.Fatalf("QueryEvents(%q) = %d events, want %d", tt.q, got, tt.want)
			}
		})
	}

	names, err := s.LocationNames(ctx, []string{mdSite, epcis.CanonicalEPC(mdOffice), mdDock, "urn:epc:id:sgln:1.2.3"})
	if err != nil {
		t.Fatalf("LocationNames() = %v", err)
	}
	want := map[string]string{mdSite: "南沙保税仓", epcis.CanonicalEPC(mdOffice): "Office"}
	if len(names) != len(want) || names[mdSite] != want[mdSite] || names[epcis.CanonicalEPC(mdOffice)] != "Office" {
		t.Fatalf("LocationNames() = %v, want %v (BusinessLocation's name before ReadPoint's)", names, want)
	}

	// A later declaration of an element replaces its attributes and
	// children: the site loses the warehouse.
	doc = masterDataDoc(`{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` +
		vocabElement(mdSite, "Nansha bonded warehouse", mdDock) + `]}`)
	if job, err := capture(doc, epcis.Rollback, true); err != nil || !job.Success {
		t.Fatalf("Capture(master data only) = %+v, %v", job, err)
	}
	if got := count(t, "WD_bizLocation="+mdSite); got != 2 {
		t.Fatalf("after the site's new children, WD_bizLocation site = %d events, want 2", got)
	}
	if names, _ := s.LocationNames(ctx, []string{mdSite}); names[mdSite] != "Nansha bonded warehouse" {
		t.Fatalf("LocationNames() after the update = %v", names)
	}

	// A rolled-back capture keeps none of its master data.
	bad := strings.Replace(locationEvent(9, mdSite, mdSite), `"OBSERVE"`, `"SIDEWAYS"`, 1)
	doc = masterDataDoc(`{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[`+
		vocabElement(mdOffice, "", mdSite)+`]}`, bad)
	if _, err := capture(doc, epcis.Rollback, true); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("Capture(bad event) = %v, want invalid", err)
	}
	if got := count(t, "WD_bizLocation="+mdOffice); got != 1 {
		t.Fatalf("after a rolled-back capture, WD_bizLocation office = %d events, want 1 (its children were not stored)", got)
	}
	// Master data without a vocabulary element id is refused with a pointer.
	doc = masterDataDoc(`{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[{"children":["` + mdSite + `"]}]}`)
	if _, err := capture(doc, epcis.Rollback, true); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("Capture(element without id) = %v, want invalid", err)
	}

	// A JSON-LD header may follow the body.
	late := "urn:epc:id:sgln:9520123.45678.4"
	doc = []byte(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-20T08:00:00+08:00",
"epcisBody":{"eventList":[` + locationEvent(10, late, late) + `]},
"epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` +
		vocabElement(late, "Late header", mdDock) + `]}]}}}`)
	if job, err := capture(doc, epcis.Rollback, true); err != nil || job.Captured != 1 {
		t.Fatalf("Capture(header after the body) = %+v, %v", job, err)
	}
	if names, _ := s.LocationNames(ctx, []string{late}); names[late] != "Late header" {
		t.Fatalf("LocationNames() of a header after the body = %v", names)
	}
	if got := count(t, "WD_bizLocation="+late); got != 2 {
		t.Fatalf("WD_bizLocation of the late header's location = %d events, want 2 (itself and the dock)", got)
	}

	// XML: EPCISHeader/extension/EPCISMasterData, the shared example
	// (an empty event list, a location with one child and a name-less
	// attribute set).
	p := filepath.Join(Testdata(t), "epcis/examples/xml/WithFullCombinationOfFields/masterdata_all_possible_fields.xml")
	if job, err := captureFile(ctx, s, ent.ID, p, epcis.Rollback); err != nil || !job.Success {
		t.Fatalf("Capture(%s) = %+v, %v", p, job, err)
	}
	xmlDoc := []byte(`<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-20T08:00:00+08:00">
<EPCISBody><EventList>
<ObjectEvent><eventTime>2026-11-20T11:00:00+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
<epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action>
<readPoint><id>urn:epc:id:sgln:0037000.00729.8201</id></readPoint><bizLocation><id>urn:epc:id:sgln:0037000.00729.8201</id></bizLocation>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`)
	if job, err := capture(xmlDoc, epcis.Rollback, false); err != nil || job.Captured != 1 {
		t.Fatalf("Capture(XML event) = %+v, %v", job, err)
	}
	for _, q := range []string{"WD_bizLocation=urn:epc:id:sgln:0037000.00729.0", "WD_readPoint=urn:epc:id:sgln:0037000.00729.0"} {
		if got := count(t, q); got != 1 {
			t.Fatalf("QueryEvents(%q) after the XML master data = %d events, want 1 (8201 is a child of .0)", q, got)
		}
	}

	// An XML header with a named location.
	xmlMD := []byte(`<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-20T08:00:00+08:00">
<EPCISHeader><extension><EPCISMasterData><VocabularyList>
<Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation"><VocabularyElementList>
<VocabularyElement id="urn:epc:id:sgln:0037000.00729.0"><attribute id="urn:epcglobal:cbv:mda#name">Fancy DC</attribute>
<attribute id="http://epcis.example.com/mda/address"><Street>100 Nowhere Street</Street></attribute>
<children><id>urn:epc:id:sgln:0037000.00729.8201</id></children></VocabularyElement>
</VocabularyElementList></Vocabulary></VocabularyList></EPCISMasterData></extension></EPCISHeader>
<EPCISBody><EventList></EventList></EPCISBody></epcis:EPCISDocument>`)
	if job, err := capture(xmlMD, epcis.Rollback, false); err != nil || !job.Success {
		t.Fatalf("Capture(XML master data) = %+v, %v", job, err)
	}
	if names, err := s.LocationNames(ctx, []string{"urn:epc:id:sgln:0037000.00729.0"}); err != nil || names["urn:epc:id:sgln:0037000.00729.0"] != "Fancy DC" {
		t.Fatalf("LocationNames(XML location) = %v, %v; want Fancy DC", names, err)
	}
}
