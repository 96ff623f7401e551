package creditsql

import (
	"context"
	"strconv"
	"time"

	"tracegate/credit"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/store/internal/sqldb"
)

// nonConformant is the stored disposition of a failed inspection (events
// are stored with their vocabulary normalised), the one the partial index
// epcis_events_non_conformant holds.
var nonConformant = epcis.NormalizeVocab(epcis.VocabDisposition, "non_conformant")

// gs1Stem begins the canonical (Digital Link) form of a GS1 identifier.
const gs1Stem = "https://id.gs1.org/01/"

// inspectionQuery is the failed inspections of the goods of the
// enterprises between its two last pairs of markers: the non-conformant
// events whose recorder is a regulator or a lab, each with the filer of
// the goods it names (credit.KindInspectionFailed says which filer that
// is). unhex is the dialect's; lo and hi are bound three times.
func inspectionQuery(d sqldb.Dialect) string {
	const failed = `WITH failed AS (SELECT e.seq, e.event_id, e.event_time FROM epcis_events e
		WHERE e.disposition = ? AND EXISTS (SELECT 1 FROM enterprise_roles r
			WHERE r.enterprise_id = e.enterprise_id AND r.role IN ('regulator', 'lab')))`
	const named = ` FROM failed f JOIN epcis_epcs x ON x.seq = f.seq AND x.role IN ('epc', 'class')`
	lot := `x.epc = '` + gs1Stem + `' || i.gtin || '/10/' || i.batch`
	return failed + `
		SELECT p.owner_id, f.event_id, f.event_time` + named + ` AND x.epc LIKE '` + label.EPCPrefix + `%'
			JOIN labels l ON l.hash = ` + d.Unhex("substr(x.epc, "+strconv.Itoa(len(label.EPCPrefix)+1)+")") + `
			JOIN label_intakes i ON i.id = l.intake_id JOIN products p ON p.id = i.product_id
			WHERE p.owner_id BETWEEN ? AND ?
		UNION
		SELECT p.owner_id, f.event_id, f.event_time` + named + ` AND x.epc LIKE '` + gs1Stem + `%/10/%'
			JOIN label_intakes i ON i.gtin = substr(x.epc, ` + strconv.Itoa(len(gs1Stem)+1) + `, 14) AND ` + lot + `
			JOIN products p ON p.id = i.product_id
			WHERE p.owner_id BETWEEN ? AND ?
		UNION
		SELECT p.owner_id, f.event_id, f.event_time` + named + ` AND x.epc LIKE '` + gs1Stem + `%'
			JOIN products p ON p.gtin = substr(x.epc, ` + strconv.Itoa(len(gs1Stem)+1) + `, 14) AND p.status <> 'rejected'
			WHERE p.owner_id BETWEEN ? AND ?
			  AND NOT EXISTS (SELECT 1 FROM label_intakes i WHERE i.gtin = p.gtin AND ` + lot + `)`
}

// inspectionFacts reads the failed inspections of the enterprises' goods,
// one entry per enterprise and event.
func inspectionFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	return refTimeFacts(s, ctx, q, "credit inspections", s.inspections, []any{nonConformant, lo, hi, lo, hi, lo, hi}, credit.InspectionFact, add)
}
