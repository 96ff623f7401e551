package creditsql

import (
	"context"
	"time"

	"tracegate/credit"
	"tracegate/store/internal/sqldb"
)

// measureLateFacts reads the measures each enterprise owned and completed
// after their deadline (the measures table: completed_at is set by the
// owner's transition to completed).
func measureLateFacts(s *Store, ctx context.Context, q sqldb.Q, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.Query(ctx, `SELECT e.id, m.id, m.completed_at FROM measures m JOIN enterprises e ON e.uscc = m.owner
		WHERE e.id BETWEEN ? AND ? AND m.deadline IS NOT NULL AND m.completed_at IS NOT NULL AND m.completed_at > m.deadline`, lo, hi)
	if err != nil {
		return s.errf("credit late measures", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var id string
		var at time.Time
		if err := rows.Scan(&eid, &id, s.d.TimeDest(&at)); err != nil {
			return s.errf("credit late measures", err)
		}
		add(eid, credit.MeasureLateFact(id, at))
	}
	return rows.Err()
}
