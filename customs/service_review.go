package customs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// InventoryDecision returns the decision of the declaration of (ebpCode,
// orderNo): the latest stored one, or, before the inventory arrived,
// a waiting (or, past the match timeout, refused) decision naming the
// missing documents, which is not stored. It fails with ENOTFOUND when no
// document of the order arrived.
func (s *Service) InventoryDecision(ctx context.Context, ebpCode, orderNo string, now time.Time) (*DeclarationRecord, Decision, error) {
	rec, err := s.store.FindCustomsDeclaration(ctx, strings.TrimSpace(ebpCode), strings.TrimSpace(orderNo))
	if err != nil {
		return nil, Decision{}, err
	}
	if rec.Decision != nil {
		return rec, *rec.Decision, nil
	}
	docs, err := rec.documents()
	if err != nil {
		return nil, Decision{}, err
	}
	d := Screen(ScreeningInput{Line: SecondLine, Documents: docs, MatchTimedOut: rec.State.TimedOut(now, s.timeout)}, ScreeningDeps{})
	return rec, d, nil
}

// Review is one entry of the regulator's manual-review queue.
type Review struct {
	// ID is the declaration's, which POST /api/customs/reviews/{id}
	// (ResolveReview) takes.
	ID          int64     `json:"id"`
	EbpCode     string    `json:"ebpCode"`
	OrderNo     string    `json:"orderNo"`
	LogisticsNo string    `json:"logisticsNo,omitempty"`
	Buyer       string    `json:"buyer"` // masked ID number
	DecidedAt   time.Time `json:"decidedAt"`
	LedgerIndex int64     `json:"ledgerIndex"`
	Decision    Decision  `json:"decision"`
}

// Reviews returns the open manual reviews, oldest first.
func (s *Service) Reviews(ctx context.Context, limit int) ([]Review, error) {
	recs, err := s.store.CustomsReviews(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Review, 0, len(recs))
	for _, r := range recs {
		var inv Inventory
		if err := json.Unmarshal(r.Inventory, &inv); err != nil {
			return nil, fmt.Errorf("customs: decode inventory: %w", err)
		}
		out = append(out, Review{ID: r.ID, EbpCode: r.State.EbpCode, OrderNo: r.State.OrderNo, LogisticsNo: r.State.LogisticsNo,
			Buyer: MaskID(inv.Head.BuyerIDNumber), DecidedAt: r.DecidedAt, LedgerIndex: r.LedgerIndex, Decision: *r.Decision})
	}
	return out, nil
}
