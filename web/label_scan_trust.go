package web

import (
	"context"
	"time"

	"tracegate"
	"tracegate/epcis"
	"tracegate/label"
)

// The public timeline shows only what parties with a part in each step
// recorded (label.PublicEvents, docs/security-epcis.md); this file gives it
// the recorders and the custody chain.

// trustCaches keep the recorders of events and the brand owners of GTINs
// briefly: every scan of a batch names the same few of each.
type trustCaches struct {
	recorders *ttlCache[int64, label.Recorder] // by enterprise ID
	brands    *ttlCache[string, int64]         // the GTIN's company prefix holder, by GTIN
}

func newTrustCaches() trustCaches {
	return trustCaches{
		recorders: newTTLCache[int64, label.Recorder](30*time.Second, 10_000),
		brands:    newTTLCache[string, int64](30*time.Second, 10_000),
	}
}

// publicTimeline keeps the events of a label's timeline that their
// recorders may record, with the recorders' names.
func (s *Server) publicTimeline(ctx context.Context, st *label.State, product *tracegate.Product, d *label.Dispatch, evs []seqEvent) ([]epcis.Event, []string, error) {
	c := label.Custody{Owner: st.IssuedTo, Binder: st.WarehouseID, DispatchEvent: st.DispatchEvent, DispatchedAt: st.DispatchAt}
	if d != nil {
		c.Carrier = d.Logistics.ID // the enterprise registered under the waybill's logistics code
	}
	if product != nil {
		c.Filer = product.OwnerID
	}
	if st.GTIN != "" {
		brand, err := s.scanCache.trust.brands.get(st.GTIN, func() (int64, error) {
			return s.store.CompanyPrefixOwner(ctx, epcis.GTINPrefixDigits(st.GTIN))
		})
		if err != nil {
			return nil, nil, err
		}
		c.BrandOwner = brand
	}
	recorded := make([]label.RecordedEvent, 0, len(evs))
	for _, e := range evs {
		by, err := s.scanCache.trust.recorders.get(e.by, func() (label.Recorder, error) {
			ent, err := s.store.FindEnterprise(ctx, e.by)
			if tracegate.IsCode(err, tracegate.ENOTFOUND) {
				return label.Recorder{ID: e.by}, nil
			} else if err != nil {
				return label.Recorder{}, err
			}
			return label.Recorder{ID: ent.ID, Name: ent.Name, Roles: ent.Roles}, nil
		})
		if err != nil {
			return nil, nil, err
		}
		recorded = append(recorded, label.RecordedEvent{Event: *e.event, By: by})
	}
	events, names := label.PublicEvents(recorded, c)
	return events, names, nil
}
