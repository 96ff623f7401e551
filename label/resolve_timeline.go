package label

import (
	"context"
	"slices"
	"sync"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// The public timeline shows only what parties with a part in each step
// recorded (PublicEvents, docs/security-epcis.md); this file gives it the
// recorders, the custody chain and the names of places.

// publicTimeline keeps the events of a label's timeline that their
// recorders may record, with the recorders' names.
func (r *Resolver) publicTimeline(ctx context.Context, st *State, product *tracegate.Product, d *Dispatch, evs []seqEvent) ([]epcis.Event, []string, error) {
	c := Custody{Owner: st.IssuedTo, Binder: st.WarehouseID, DispatchEvent: st.DispatchEvent, DispatchedAt: st.DispatchAt}
	if d != nil {
		c.Carrier = d.Logistics.ID // the enterprise registered under the waybill's logistics code
	}
	if product != nil {
		c.Filer = product.OwnerID
	}
	if st.GTIN != "" {
		brand, err := r.cache.brands.Get(st.GTIN, func() (int64, error) {
			return r.cfg.Reader.CompanyPrefixOwner(ctx, epcis.GTINPrefixDigits(st.GTIN))
		})
		if err != nil {
			return nil, nil, err
		}
		c.BrandOwner = brand
	}
	recorded := make([]RecordedEvent, 0, len(evs))
	for _, e := range evs {
		by, err := r.cache.recorders.Get(e.by, func() (Recorder, error) {
			ent, err := r.cfg.Reader.FindEnterprise(ctx, e.by)
			if tracegate.IsCode(err, tracegate.ENOTFOUND) {
				return Recorder{ID: e.by}, nil
			} else if err != nil {
				return Recorder{}, err
			}
			return Recorder{ID: ent.ID, Name: ent.Name, Roles: ent.Roles}, nil
		})
		if err != nil {
			return nil, nil, err
		}
		recorded = append(recorded, RecordedEvent{Event: *e.event, By: by})
	}
	events, names := PublicEvents(recorded, c)
	return events, names, nil
}

// placeCache keeps the master-data names of locations for a minute: the
// timeline names the same few ports and warehouses on every scan.
type placeCache struct {
	mu    sync.Mutex
	at    time.Time
	names map[string]string // id -> name ("" when master data has none)
}

// lookup returns the names of the read points and business locations of evs.
func (c *placeCache) lookup(ctx context.Context, rd ScanReader, evs []epcis.Event) (map[string]Place, error) {
	out := map[string]Place{}
	var missing []string
	c.mu.Lock()
	if time.Since(c.at) > time.Minute || c.names == nil {
		c.names, c.at = map[string]string{}, time.Now()
	}
	for _, e := range evs {
		for _, loc := range []*epcis.Location{e.ReadPoint, e.BizLocation} {
			if loc == nil {
				continue
			}
			if name, ok := c.names[loc.ID]; !ok {
				missing = append(missing, loc.ID)
			} else if name != "" {
				out[loc.ID] = Place{Name: name}
			}
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	found, err := rd.LocationNames(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	for _, id := range missing {
		c.names[id] = found[id]
		if found[id] != "" {
			out[id] = Place{Name: found[id]}
		}
	}
	c.mu.Unlock()
	return out, nil
}
