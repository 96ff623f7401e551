package measure

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// ItemStatus is where an affected item is as of a scope's time.
type ItemStatus string

// The statuses of an item in a scope, in the order of its life.
const (
	InStock    ItemStatus = "in_stock"   // bound at intake, not dispatched
	Dispatched ItemStatus = "dispatched" // bound to an order's waybill
	Delivered  ItemStatus = "delivered"  // received by the consignee
	Returned   ItemStatus = "returned"   // came back (bizStep returning)
	Destroyed  ItemStatus = "destroyed"  // destroyed (bizStep destroying)
)

// Statuses lists every ItemStatus in the order of an item's life.
var Statuses = []ItemStatus{InStock, Dispatched, Delivered, Returned, Destroyed}

// ScopeItem is one label a selector reaches, as the store reads it.
type ScopeItem struct {
	Hash [32]byte
	GTIN string
	// Product is the filed product name (Chinese when filed, else the
	// original).
	Product string
	Batch   string
	// Warehouse is the name of the warehouse that bound the item at intake,
	// WarehouseID the USCC of that warehouse when it is a tenant ("" else).
	Warehouse, WarehouseID string
	// ProducedOn is the batch's production date (YYYY-MM-DD) or "".
	ProducedOn string
	// The times of the item's steps; zero when not (yet) taken.
	IntakeAt, DispatchAt, DeliveredAt, ReturnedAt, DestroyedAt time.Time
	// The order and waybill the item is dispatched under ("" before).
	EBPCode, OrderNo, LogisticsCode, WaybillNo string
	// The order's consignee (personal data; see Viewer).
	Consignee, ConsigneePhone, ConsigneeAddress string
	// OwnerID is the enterprise that filed the product; Holders the
	// enterprises with custody of the item: the intake binder, the
	// warehouse tenant and the dispatch binder (0 where none).
	OwnerID int64
	Holders [3]int64
}

// StatusAt is the item's status at t: the latest of its steps taken by then.
func (it *ScopeItem) StatusAt(t time.Time) ItemStatus {
	done := func(at time.Time) bool { return !at.IsZero() && !at.After(t) }
	switch {
	case done(it.DestroyedAt):
		return Destroyed
	case done(it.ReturnedAt):
		return Returned
	case done(it.DeliveredAt) && done(it.DispatchAt):
		return Delivered
	case done(it.DispatchAt):
		return Dispatched
	}
	return InStock
}

// ScopeQuery is what a store reads for a scope: the labels bound at intake
// by At whose product, batch and intake match Selector, and, when it names
// a container, that sat inside it at any depth at ContainedAt (At when
// zero), with their statuses as of At.
type ScopeQuery struct {
	Selector tracegate.Selector
	At       time.Time
	// ContainedAt is when a container's contents are taken: a measure's
	// scope takes them when it came into force, so items unpacked since
	// (to be returned) stay in it.
	ContainedAt time.Time
	// Holder, when not 0, keeps the items the enterprise owns (filed the
	// product) or holds (see ScopeItem.Holders); 0 keeps every item.
	Holder int64
}

// ScopeStore reads scopes. Stores answer each in one read over indexes
// (the intakes of the selected products and lots, then their labels by
// intake, with the dispatch and progress of each), never one query per
// item.
type ScopeStore interface {
	// ScopeItems calls fn with each item of q, ordered by intake binding and
	// label; fn's error stops the read and is returned.
	ScopeItems(ctx context.Context, q *ScopeQuery, fn func(*ScopeItem) error) error
}

// Viewer is who reads a scope: what it sees of each item follows custody
// and the parties (docs/SECURITY.md).
type Viewer struct {
	// EnterpriseID is the reader's enterprise; 0 for the regulator, who sees
	// every item in full.
	EnterpriseID int64
	// Owner is set when the reader owns the measure whose scope it reads: it
	// must notify the buyers, so it sees every item with its consignee.
	Owner bool
}

// Sees reports whether v may see it at all: the regulator and the
// measure's owner see every item, another enterprise the items of its own
// products and those in its custody.
func (v Viewer) Sees(it *ScopeItem) bool {
	return v.EnterpriseID == 0 || v.Owner || it.OwnerID == v.EnterpriseID || slices.Contains(it.Holders[:], v.EnterpriseID)
}

// Full reports whether v sees the consignee of it in full.
func (v Viewer) Full(it *ScopeItem) bool {
	return v.EnterpriseID == 0 || v.Owner || it.OwnerID == v.EnterpriseID
}

// holder is the ScopeQuery.Holder that reads what v may see.
func (v Viewer) holder() int64 {
	if v.Owner {
		return 0
	}
	return v.EnterpriseID
}

// Mask hides the consignee of it unless v sees it in full: 张三 → 张*,
// 13800000000 → 138****0000, an address kept to its first six characters.
func (v Viewer) Mask(it *ScopeItem) {
	if v.Full(it) {
		return
	}
	it.Consignee, it.ConsigneePhone, it.ConsigneeAddress = MaskName(it.Consignee), MaskPhone(it.ConsigneePhone), MaskAddress(it.ConsigneeAddress)
}

// MaskName keeps the first character of a name and stars the rest.
func MaskName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	n := utf8.RuneCountInString(s[size:])
	return string(r) + strings.Repeat("*", max(n, 1))
}

// MaskPhone keeps the first three and last four digits of a number of
// eight or more characters and stars the middle; a shorter one is starred
// whole.
func MaskPhone(s string) string {
	s = strings.TrimSpace(s)
	rs := []rune(s)
	if len(rs) < 8 {
		return strings.Repeat("*", len(rs))
	}
	return string(rs[:3]) + strings.Repeat("*", len(rs)-7) + string(rs[len(rs)-4:])
}

// MaskAddress keeps the first six characters of an address (province and
// city) and stars the rest.
func MaskAddress(s string) string {
	s = strings.TrimSpace(s)
	rs := []rune(s)
	if len(rs) <= 6 {
		return strings.Repeat("*", len(rs))
	}
	return string(rs[:6]) + "****"
}

// StatusCounts counts the items of a scope by status.
type StatusCounts struct {
	Total      int `json:"total"`
	InStock    int `json:"in_stock"`
	Dispatched int `json:"dispatched"`
	Delivered  int `json:"delivered"`
	Returned   int `json:"returned"`
	Destroyed  int `json:"destroyed"`
}

func (c *StatusCounts) add(s ItemStatus) {
	c.Total++
	switch s {
	case InStock:
		c.InStock++
	case Dispatched:
		c.Dispatched++
	case Delivered:
		c.Delivered++
	case Returned:
		c.Returned++
	case Destroyed:
		c.Destroyed++
	}
}

// BatchCount is how many items of a scope are of one lot.
type BatchCount struct {
	GTIN  string `json:"gtin"`
	Batch string `json:"batch"`
	Items int    `json:"items"`
}

// WarehouseCount is how many items of a scope were bound at intake by one
// warehouse: ID is the tenant's USCC, or the name when it is none.
type WarehouseCount struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Items int    `json:"items"`
}

// Summary is the scope of a selector at a time, as the API answers it.
type Summary struct {
	Measure  string             `json:"measure,omitempty"`
	Selector tracegate.Selector `json:"selector"`
	AsOf     time.Time          `json:"asOf"`
	Items    StatusCounts       `json:"items"`
	// Done is how many items are accounted for (returned or destroyed);
	// Percent is Done over Items.Total (100 for an empty scope).
	Done       int              `json:"done"`
	Percent    float64          `json:"percent"`
	Batches    []BatchCount     `json:"batches"`
	Warehouses []WarehouseCount `json:"warehouses"`
	// Orders and Consumers count the distinct orders (platform and order
	// number) and consignees (name and phone) of the dispatched items.
	Orders    int `json:"orders"`
	Consumers int `json:"consumers"`
}

// Each reads the scope q (its Holder aside) as v may see it, masked for v,
// and calls fn with each item and its status as of q.At; fn must not keep
// the item. It fails with EINVALID for a bad selector.
func Each(ctx context.Context, s ScopeStore, q ScopeQuery, v Viewer, fn func(*ScopeItem, ItemStatus) error) error {
	if err := q.Selector.Validate("/selector"); err != nil {
		return err
	}
	q.Holder = v.holder()
	if q.ContainedAt.IsZero() {
		q.ContainedAt = q.At
	}
	return s.ScopeItems(ctx, &q, func(it *ScopeItem) error {
		if !v.Sees(it) {
			return nil
		}
		v.Mask(it)
		return fn(it, it.StatusAt(q.At))
	})
}

// Summarise reads the scope q as v may see it and counts it. It fails as
// Each does.
func Summarise(ctx context.Context, s ScopeStore, q ScopeQuery, v Viewer) (*Summary, error) {
	if err := q.Selector.Validate("/selector"); err != nil {
		return nil, err
	}
	sum := &Summary{Selector: q.Selector, AsOf: q.At.UTC(), Batches: []BatchCount{}, Warehouses: []WarehouseCount{}}
	type lot struct{ gtin, batch string }
	lots := map[lot]int{}
	houses := map[[2]string]int{}
	orders := map[[2]string]struct{}{}
	consumers := map[[2]string]struct{}{}
	var lastLot lot
	var lastLotIdx = -1
	err := Each(ctx, s, q, v, func(it *ScopeItem, st ItemStatus) error {
		sum.Items.add(st)
		// Items come by intake: one lot in a row, so the map is seldom hit.
		if l := (lot{it.GTIN, it.Batch}); lastLotIdx < 0 || l != lastLot {
			i, ok := lots[l]
			if !ok {
				i = len(sum.Batches)
				lots[l] = i
				sum.Batches = append(sum.Batches, BatchCount{GTIN: it.GTIN, Batch: it.Batch})
			}
			lastLot, lastLotIdx = l, i
		}
		sum.Batches[lastLotIdx].Items++
		id := it.WarehouseID
		if id == "" {
			id = it.Warehouse
		}
		hk := [2]string{id, it.Warehouse}
		i, ok := houses[hk]
		if !ok {
			i = len(sum.Warehouses)
			houses[hk] = i
			sum.Warehouses = append(sum.Warehouses, WarehouseCount{ID: id, Name: it.Warehouse})
		}
		sum.Warehouses[i].Items++
		if st != InStock && it.OrderNo != "" {
			orders[[2]string{it.EBPCode, it.OrderNo}] = struct{}{}
			if it.Consignee != "" || it.ConsigneePhone != "" {
				consumers[[2]string{it.Consignee, it.ConsigneePhone}] = struct{}{}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sum.Orders, sum.Consumers = len(orders), len(consumers)
	sum.Done = sum.Items.Returned + sum.Items.Destroyed
	sum.Percent = 100
	if sum.Items.Total > 0 {
		sum.Percent = float64(sum.Done*1000/sum.Items.Total) / 10
	}
	slices.SortFunc(sum.Batches, func(a, b BatchCount) int {
		return strings.Compare(a.GTIN+"\x00"+a.Batch, b.GTIN+"\x00"+b.Batch)
	})
	slices.SortFunc(sum.Warehouses, func(a, b WarehouseCount) int { return strings.Compare(a.ID+"\x00"+a.Name, b.ID+"\x00"+b.Name) })
	return sum, nil
}

// Holders returns the enterprises that own or hold items of the scope of
// sel at at (the recipients of a measure's notifications besides its
// owner), ascending. It fails as Each does.
func Holders(ctx context.Context, s ScopeStore, sel tracegate.Selector, at time.Time) ([]int64, error) {
	seen := map[int64]struct{}{}
	err := Each(ctx, s, ScopeQuery{Selector: sel, At: at}, Viewer{}, func(it *ScopeItem, _ ItemStatus) error {
		for _, id := range append(it.Holders[:], it.OwnerID) {
			if id != 0 {
				seen[id] = struct{}{}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// ScopeQuery is the scope of m without its time: its selector, with a
// container's contents as of when m came into force (when it was created,
// for a draft).
func (m *Measure) ScopeQuery() ScopeQuery {
	q := ScopeQuery{Selector: m.Selector, ContainedAt: m.CreatedAt}
	if m.Since != nil {
		q.ContainedAt = *m.Since
	}
	return q
}
