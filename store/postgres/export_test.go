package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"tracegate/epcis"
	"tracegate/store/internal/eventsql"
)

// BareInsert inserts the records' rows in one transaction with the same
// single-statement insert a capture uses, pipelined in one batch, and
// nothing else: the reference of the capture benchmark.
func (s *Store) BareInsert(ctx context.Context, recs []*epcis.Record) error {
	return s.update(ctx, func(tx *Tx) error {
		batch := &pgx.Batch{}
		for _, r := range recs {
			e := r.Event
			roles, values := make([]string, len(r.Index.EPCs)), make([]string, len(r.Index.EPCs))
			for i, x := range r.Index.EPCs {
				roles[i], values[i] = x.Role, x.Value
			}
			attrs := eventsql.AttrRows(&r.Index)
			kinds, types, avals := make([]string, len(attrs)), make([]string, len(attrs)), make([]string, len(attrs))
			for i, a := range attrs {
				kinds[i], types[i], avals[i] = a[0], a[1], a[2]
			}
			batch.Queue(insertEvent, r.EventID, r.Hash, string(e.Type), e.EventTime, tx.now, string(e.Action), e.BizStep, e.Disposition,
				eventsql.Location(e.ReadPoint), eventsql.Location(e.BizLocation), r.EnterpriseID, r.CaptureID, string(r.Body),
				roles, values, kinds, types, avals, nil, nil)
		}
		return tx.SendBatch(ctx, batch).Close()
	})
}
