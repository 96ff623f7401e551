package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// Places of the demo supply chain, as SGLN identifiers (made-up GLNs under
// the real GS1 prefixes of each country).
var places = map[string]string{
	"NZ": "urn:epc:id:sgln:9421902.00001.0", // factory and port of Auckland
	"AU": "urn:epc:id:sgln:9310230.00001.0", // Melbourne
	"JP": "urn:epc:id:sgln:4901901.00001.0", // Yokohama
}

const (
	portNansha      = "urn:epc:id:sgln:6901234.00010.0" // 南沙港 port of entry
	bondedWarehouse = "urn:epc:id:sgln:6901234.00020.0" // 南沙保税港区 bonded warehouse
	deliveryHub     = "urn:epc:id:sgln:6901234.00030.0" // Guangzhou delivery station
	releaseStep     = "urn:tracegate:bizstep:customs_release"
)

// step is one event of the demo journey: who records it, when (days after
// manufacture), and what.
type step struct {
	role        tracegate.Role
	day         int
	bizStep     string
	action      string
	disposition string
	readPoint   string // "" means the origin place
	extra       func(p product, i int, at time.Time) string
}

var journey = []step{
	{tracegate.RoleManufacturer, 0, "commissioning", "ADD", "active", "", func(p product, i int, at time.Time) string {
		lot := "L" + p.origin + "26A"
		return fmt.Sprintf(`,"ilmd":{"cbvmda:lotNumber":"%s","cbvmda:itemExpirationDate":"%s"}`, lot, expiryOf(p.hs, lot, at).Format(time.DateOnly))
	}},
	{tracegate.RoleLogistics, 6, "departing", "OBSERVE", "in_transit", "", nil},
	{tracegate.RoleLogistics, 14, "arriving", "OBSERVE", "in_progress", portNansha, nil},
	{tracegate.RoleRegulator, 15, "inspecting", "OBSERVE", "conformant", portNansha, nil},
	{tracegate.RoleWarehouse, 16, "receiving", "OBSERVE", "sellable_not_accessible", bondedWarehouse, nil},
	{tracegate.RoleRegulator, 20, releaseStep, "OBSERVE", "sellable_accessible", bondedWarehouse, nil},
	{tracegate.RoleWarehouse, 20, "shipping", "OBSERVE", "in_transit", bondedWarehouse, func(p product, i int, _ time.Time) string {
		return fmt.Sprintf(`,"bizTransactionList":[{"type":"po","bizTransaction":"urn:tracegate:order:HG2026112%05d"},{"type":"bol","bizTransaction":"urn:tracegate:waybill:SL8%08d"}]`, 100+i, 3000+i)
	}},
	{tracegate.RoleLogistics, 22, "receiving", "OBSERVE", "completeness_verified", deliveryHub, nil},
}

// itemsPerProduct is how many serialised items of each product the demo
// follows through the journey.
const itemsPerProduct = 3

// seedEvents captures the journey of each product's items, one capture per
// step and product by the enterprise that records that step, through the
// ledger when leafFor gives a leaf function.
func seedEvents(ctx context.Context, s Store, d *Data, leafFor func(uscc string) epcis.LeafFunc) (int, error) {
	start := time.Date(2026, 10, 1, 9, 30, 0, 0, time.FixedZone("+08:00", 8*3600))
	n := 0
	for pi, p := range products {
		g, err := p.gtin()
		if err != nil {
			return 0, err
		}
		for _, st := range journey {
			ent := d.enterpriseWith(st.role)
			var evs []string
			for i := range itemsPerProduct {
				serial := fmt.Sprintf("%s%04d", strings.ToUpper(p.origin), pi*100+i+1)
				when := start.AddDate(0, 0, st.day+pi).Add(time.Duration(i) * time.Minute)
				rp := st.readPoint
				if rp == "" {
					rp = places[p.origin]
				}
				extra := ""
				if st.extra != nil {
					extra = st.extra(p, pi*100+i, when)
				}
				evs = append(evs, fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","epcList":["https://id.gs1.org/01/%s/21/%s"],"action":"%s","bizStep":"%s","disposition":"%s","readPoint":{"id":"%s"},"bizLocation":{"id":"%s"}%s}`,
					when.Format(time.RFC3339), g, serial, st.action, st.bizStep, st.disposition, rp, rp, extra))
			}
			job, err := captureEvents(ctx, s, ent, leafFor, "2026-11-01T08:00:00+08:00", "", evs)
			if err != nil {
				return 0, fmt.Errorf("demo events (%s, %s): %w", p.name, st.bizStep, err)
			}
			n += job.Captured
		}
	}
	return n, nil
}

// captureEvents captures the JSON-LD events as one EPCIS document (with
// header, an `"epcisHeader":{…},` member or "") by ent, through the ledger
// when leafFor gives a leaf function.
func captureEvents(ctx context.Context, s epcis.Store, ent *tracegate.Enterprise, leafFor func(uscc string) epcis.LeafFunc,
	created, header string, events []string) (*epcis.CaptureJob, error) {
	doc := []byte(`{"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"` +
		created + `",` + header + `"epcisBody":{"eventList":[` + strings.Join(events, ",") + `]}}`)
	var leaf epcis.LeafFunc
	if leafFor != nil {
		leaf = leafFor(ent.USCC)
	}
	return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: ent.ID, Body: bytes.NewReader(doc), Size: int64(len(doc)), JSON: true, Leaf: leaf})
}

// enterpriseWith returns the first demo enterprise acting in role.
func (d *Data) enterpriseWith(role tracegate.Role) *tracegate.Enterprise {
	for _, e := range d.Enterprises {
		if e.HasRole(role) {
			return e
		}
	}
	return d.Enterprises[0]
}
