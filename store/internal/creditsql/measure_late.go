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
	return refTimeFacts(s, ctx, q, "credit late measures", `SELECT e.id, m.id, m.completed_at FROM measures m JOIN enterprises e ON e.uscc = m.owner
		WHERE e.id BETWEEN ? AND ? AND m.deadline IS NOT NULL AND m.completed_at IS NOT NULL AND m.completed_at > m.deadline`, []any{lo, hi}, credit.MeasureLateFact, add)
}
