package creditsql

import (
	"context"
	"time"

	"tracegate/credit"
	"tracegate/store/internal/sqldb"
)

// misdeclarationFacts reads the stored barcode-analytics findings that hold
// the enterprises to have misdeclared (their culprits), one entry per
// finding and enterprise.
func misdeclarationFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT p.enterprise_id, f.key, f.at FROM risk_finding_parties p
		JOIN risk_findings f ON f.id = p.finding_id
		WHERE p.culprit AND p.enterprise_id BETWEEN ? AND ? AND f.kind <> 'prefix_origin'
		ORDER BY p.enterprise_id, f.id`, lo, hi)
	if err != nil {
		return s.errf("credit misdeclarations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, at int64
		var key string
		if err := rows.Scan(&eid, &key, &at); err != nil {
			return s.errf("credit misdeclarations", err)
		}
		add(eid, credit.MisdeclarationFact(key, time.Unix(at, 0).UTC()))
	}
	return rows.Err()
}
