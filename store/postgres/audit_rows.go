package postgres

import (
	"context"
	"fmt"
	"time"

	"tracegate/audit"
)

// LabelLinks returns where each existing label of hashes points and when
// it was last unbound.
func (s *Store) LabelLinks(ctx context.Context, hashes [][32]byte) (map[[32]byte]*audit.LabelLink, error) {
	out := make(map[[32]byte]*audit.LabelLink, len(hashes))
	if len(hashes) == 0 {
		return out, nil
	}
	keys := make([][]byte, len(hashes))
	for i := range hashes {
		keys[i] = hashes[i][:]
	}
	rows, err := s.pool.Query(ctx, `SELECT l.hash, COALESCE(l.intake_id, 0), COALESCE(l.dispatch_id, 0),
		(SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'intake'),
		(SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'dispatch')
		FROM labels l WHERE l.hash = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: label links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var l audit.LabelLink
		var ui, ud *time.Time
		if err := rows.Scan(&h, &l.IntakeID, &l.DispatchID, &ui, &ud); err != nil {
			return nil, fmt.Errorf("postgres: label links: %w", err)
		}
		if ui != nil {
			l.UnboundIntake = ui.UTC()
		}
		if ud != nil {
			l.UnboundDispatch = ud.UTC()
		}
		if len(h) == 32 {
			out[[32]byte(h)] = &l
		}
	}
	return out, rows.Err()
}
