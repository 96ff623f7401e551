package customs

import (
	"context"
	"encoding/json"
	"time"
)

// Release is what the declaration of an order tells of its goods: the
// inventory (清单) the scan page shows and whether customs released it.
type Release struct {
	// Declared is whether the declaration holds a readable inventory; when
	// it does not, only ReleasedAt can be set.
	Declared bool
	// InventoryNo is the inventory's number (invtNo), or its copNo before
	// customs gave one.
	InventoryNo string
	// Parties are the codes of the declaration's parties.
	Parties Parties
	// The parties' names as the inventory declares them.
	PlatformName, EcommerceName, LogisticsName, AgentName string
	// DeclaredAt is the inventory's declTime, read in China time (zero when
	// it is neither YYYYMMDDhhmmss nor YYYYMMDD).
	DeclaredAt                            time.Time
	PortOfEntry, TransportMode, TradeMode string
	// DepartureCountry is the ISO 3166-1 code of the departure country
	// (InventoryHead.DepartureCountry); "" for a bonded inventory.
	DepartureCountry string
	// Buyer is the consignee: personal data, for whoever may see it
	// (the caller decides).
	Buyer ReleaseBuyer
	// ReleasedAt is when the latest decision passed the declaration (放行);
	// zero while it has not.
	ReleasedAt time.Time
}

// ReleaseBuyer is the buyer an inventory names.
type ReleaseBuyer struct {
	Name, IDNumber, Phone, Address string
}

// DeclarationFinder finds the declaration of an order.
type DeclarationFinder interface {
	// FindCustomsDeclaration returns the declaration of (ebpCode, orderNo),
	// or ENOTFOUND.
	FindCustomsDeclaration(ctx context.Context, ebpCode, orderNo string) (*DeclarationRecord, error)
}

// Releases answers the release of orders from the declarations of a store.
type Releases struct{ Store DeclarationFinder }

// OrderRelease is the release of the order (ebpCode, orderNo), or ENOTFOUND
// when tracegate has no declaration of it.
func (r Releases) OrderRelease(ctx context.Context, ebpCode, orderNo string) (*Release, error) {
	rec, err := r.Store.FindCustomsDeclaration(ctx, ebpCode, orderNo)
	if err != nil {
		return nil, err
	}
	return rec.Release()
}

// OrderRelease is the release of the order (ebpCode, orderNo), or ENOTFOUND
// when tracegate has no declaration of it.
func (s *Service) OrderRelease(ctx context.Context, ebpCode, orderNo string) (*Release, error) {
	return Releases{Store: s.store}.OrderRelease(ctx, ebpCode, orderNo)
}

// Release is what rec tells of its goods. An inventory that does not
// decode leaves Declared false; it fails only when the declaration's other
// documents do not decode (Parties).
func (rec *DeclarationRecord) Release() (*Release, error) {
	out := &Release{}
	if rec.Decision != nil && rec.Decision.Status == OutcomePass {
		out.ReleasedAt = rec.DecidedAt
	}
	var inv Inventory
	if rec.Inventory == nil || json.Unmarshal(rec.Inventory, &inv) != nil {
		return out, nil
	}
	parties, err := rec.Parties()
	if err != nil {
		return nil, err
	}
	h := &inv.Head
	out.Declared, out.Parties = true, parties
	out.InventoryNo = deref(h.InvtNo)
	if out.InventoryNo == "" {
		out.InventoryNo = deref(h.CopNo)
	}
	out.PlatformName, out.EcommerceName, out.LogisticsName, out.AgentName = h.EbpName, h.EbcName, h.LogisticsName, h.AgentName
	out.DeclaredAt, _ = time.ParseInLocation("20060102150405", h.DeclTime, chinaTime)
	if out.DeclaredAt.IsZero() {
		out.DeclaredAt, _ = time.ParseInLocation("20060102", h.DeclTime, chinaTime)
	}
	out.PortOfEntry, out.TransportMode, out.TradeMode = h.PortCode, h.TrafMode, h.TradeMode
	out.DepartureCountry = h.DepartureCountry()
	out.Buyer = ReleaseBuyer{Name: h.BuyerName, IDNumber: h.BuyerIDNumber, Phone: h.BuyerTelephone, Address: h.ConsigneeAddress}
	return out, nil
}
