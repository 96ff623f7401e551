package sqlite

import (
	"context"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

// BareInsert inserts the records' rows with prepared statements in one
// transaction and nothing else: the reference of the capture benchmark.
func (s *Store) BareInsert(ctx context.Context, recs []*epcis.Record) error {
	return s.update(ctx, func(tx *Tx) error {
		ev, err := tx.PrepareContext(ctx, `INSERT INTO epcis_events (event_id, event_hash, event_type, event_time, record_time, action,
			biz_step, disposition, read_point, biz_location, enterprise_id, capture_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ev.Close()
		epc, err := tx.PrepareContext(ctx, "INSERT INTO epcis_epcs (seq, role, epc) VALUES (?, ?, ?)")
		if err != nil {
			return err
		}
		defer epc.Close()
		attr, err := tx.PrepareContext(ctx, "INSERT INTO epcis_attrs (seq, kind, type, value) VALUES (?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer attr.Close()
		for _, r := range recs {
			e := r.Event
			res, err := ev.ExecContext(ctx, r.EventID, r.Hash, string(e.Type), e.EventTime.UnixMicro(), micro(tx.now), string(e.Action),
				e.BizStep, e.Disposition, eventsql.Location(e.ReadPoint), eventsql.Location(e.BizLocation), r.EnterpriseID, r.CaptureID, r.Body)
			if err != nil {
				return err
			}
			seq, _ := res.LastInsertId()
			for _, x := range r.Index.EPCs {
				if _, err := epc.ExecContext(ctx, seq, x.Role, x.Value); err != nil {
					return err
				}
			}
			for _, a := range eventsql.AttrRows(&r.Index) {
				if _, err := attr.ExecContext(ctx, seq, a[0], a[1], a[2]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
