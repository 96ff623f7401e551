package sqlite

import (
	"context"
	"fmt"
	"time"

	"tracegate/credit"
)

// creditComplaints reads the consumer complaints about the enterprises'
// products that a regulator substantiated, each dated by the reply that
// substantiated it (the complaint may be closed since).
func creditComplaints(ctx context.Context, q queryer, lo, hi int64, _ time.Time, add func(int64, credit.Fact)) error {
	rows, err := q.QueryContext(ctx, `SELECT c.owner_id, c.id, MIN(r.created_at) FROM label_complaints c
		JOIN label_complaint_replies r ON r.complaint_id = c.id AND r.status = 'substantiated'
		WHERE c.owner_id BETWEEN ? AND ? GROUP BY c.owner_id, c.id`, lo, hi)
	if err != nil {
		return fmt.Errorf("sqlite: credit complaints: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eid, id, at int64
		if err := rows.Scan(&eid, &id, &at); err != nil {
			return fmt.Errorf("sqlite: credit complaints: %w", err)
		}
		add(eid, credit.ComplaintFact(id, fromMicro(at)))
	}
	return rows.Err()
}
