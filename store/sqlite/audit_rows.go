package sqlite

import (
	"context"
	"fmt"

	"tracegate/audit"
)

// LabelLinks returns where each existing label of hashes points and when
// it was last unbound.
func (s *Store) LabelLinks(ctx context.Context, hashes [][32]byte) (map[[32]byte]*audit.LabelLink, error) {
	out := make(map[[32]byte]*audit.LabelLink, len(hashes))
	if len(hashes) == 0 {
		return out, nil
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT l.hash, COALESCE(l.intake_id, 0), COALESCE(l.dispatch_id, 0),
		COALESCE((SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'intake'), 0),
		COALESCE((SELECT MAX(u.at) FROM label_unbindings u WHERE u.hash = l.hash AND u.kind = 'dispatch'), 0)
		FROM labels l WHERE l.hash IN (`+placeholders(len(hashes))+`)`, hashArgs(hashes)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: label links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var l audit.LabelLink
		var ui, ud int64
		if err := rows.Scan(&h, &l.IntakeID, &l.DispatchID, &ui, &ud); err != nil {
			return nil, fmt.Errorf("sqlite: label links: %w", err)
		}
		l.UnboundIntake, l.UnboundDispatch = optMicro(ui), optMicro(ud)
		if len(h) == 32 {
			out[[32]byte(h)] = &l
		}
	}
	return out, rows.Err()
}
