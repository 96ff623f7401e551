package eventsql

import "strings"

// The visibility rule (docs/security-epcis.md), the one predicate every read
// of events goes through (queries, one event, an identifier's events,
// containment, named queries, subscription deliveries): a regulator
// (Query.EnterpriseID 0) sees every event; an enterprise sees an event when
//
//  1. it recorded the event;
//  2. it is a party of the event by a GS1 company prefix registered to it:
//     a source, destination or business transaction of the event names one
//     of its GLNs (urn:epc:id:sgln / pgln, GS1 Digital Link 414 / 417) or
//     is a CBV transaction it issued (urn:epcglobal:cbv:bt:<GLN>:…);
//  3. the event is about goods in its custody as the label tables say
//     (written by tracegate itself, never by a capture): a label it was
//     issued, bound at intake or dispatched, or a lot (GTIN + batch, the
//     epcClass https://id.gs1.org/01/<GTIN>/10/<batch>) that it bound
//     labels to at intake or whose product filing is its own.
//
// Having recorded some other event that names the same identifier grants
// nothing: anyone can write an identifier.
//
// Each branch is an index lookup from the candidate event (its identifier
// and attribute rows by seq, then a primary key or a short index range), so
// the predicate adds no scan to a query and nothing to capture.
func (b *builder) visibleTo(enterpriseID int64) {
	e := func() string { return b.arg(enterpriseID) }
	var party []string
	for _, p := range partyPatterns {
		party = append(party, "a.value LIKE '"+p[0]+"' || p.prefix || '"+p[1]+"'")
	}
	conds := []string{
		"e.enterprise_id = " + e(),
		"EXISTS (SELECT 1 FROM epcis_attrs a JOIN gs1_company_prefixes p ON p.enterprise_id = " + e() +
			" WHERE a.seq = e.seq AND a.kind IN ('src', 'dst', 'bizt') AND (" + strings.Join(party, " OR ") + "))",
		"EXISTS (SELECT 1 FROM epcis_epcs x JOIN labels l ON l.hash = " + b.d.Unhex("substr(x.epc, 21)") +
			" JOIN label_requests r ON r.id = l.request_id" +
			" LEFT JOIN label_intakes i ON i.id = l.intake_id LEFT JOIN label_dispatches d ON d.id = l.dispatch_id" +
			" WHERE x.seq = e.seq AND x.role IN ('epc', 'parent', 'input', 'output') AND x.epc LIKE 'urn:tracegate:label:%' AND length(x.epc) = 84" +
			" AND (r.enterprise_id = " + e() + " OR i.enterprise_id = " + e() + " OR d.enterprise_id = " + e() + "))",
		"EXISTS (SELECT 1 FROM epcis_epcs x JOIN label_intakes i ON i.gtin = substr(x.epc, 23, 14) AND i.batch = substr(x.epc, 41)" +
			" JOIN products pr ON pr.id = i.product_id" +
			" WHERE x.seq = e.seq AND x.role IN ('class', 'inclass', 'outclass') AND x.epc LIKE 'https://id.gs1.org/01/%'" +
			" AND substr(x.epc, 37, 4) = '/10/' AND (i.enterprise_id = " + e() + " OR pr.owner_id = " + e() + "))",
	}
	b.conds = append(b.conds, "("+strings.Join(conds, " OR ")+")")
}

// partyPatterns are the LIKE patterns, around a company prefix, of the
// identifiers that name a party by its prefix.
var partyPatterns = [][2]string{
	{"urn:epc:id:sgln:", ".%"},
	{"urn:epc:id:pgln:", ".%"},
	{"https://id.gs1.org/414/", "%"},
	{"https://id.gs1.org/417/", "%"},
	{"urn:epcglobal:cbv:bt:", "%"},
}
