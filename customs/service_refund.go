package customs

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"tracegate"
)

// refund gives quota back for a CEB625: the refunded lines' share of their
// totalPrice (qty refunded / qty declared), capped by what is still used.
func (p *process) refund(ctx context.Context, r *InvtRefund) (DocumentResult, error) {
	h := r.Head
	res := DocumentResult{Kind: "refund", EbpCode: h.EbpCode, OrderNo: h.OrderNo}
	rec, err := p.tx.FindDeclaration(ctx, MatchKey{EbpCode: strings.TrimSpace(h.EbpCode), OrderNo: strings.TrimSpace(h.OrderNo)})
	if err == nil {
		// Only the declarant refunds; anyone else is answered as if the
		// order were unknown.
		if ok, derr := p.declarantOf(rec); derr != nil {
			return res, derr
		} else if !ok {
			err = tracegate.Errorf(tracegate.ENOTFOUND, "not the declarant")
		}
	}
	if err != nil {
		if tracegate.IsCode(err, tracegate.ENOTFOUND) {
			res.QuotaRestored = "0.00"
			res.Note = "no declaration of this order is known here: no quota restored"
			return res, nil
		}
		return res, err
	}
	docs, err := rec.documents()
	if err != nil {
		return res, err
	}
	if docs.Inventory == nil || rec.BuyerKey == "" {
		return res, tracegate.Invalidf("/InvtRefundHead/orderNo", "order %q has no inventory to refund", h.OrderNo)
	}
	var amount Money
	for i, l := range r.Lines {
		var line *InventoryList
		for j := range docs.Inventory.Lines {
			if strings.TrimSpace(docs.Inventory.Lines[j].Gnum) == strings.TrimSpace(l.Gnum) {
				line = &docs.Inventory.Lines[j]
			}
		}
		ptr := fmt.Sprintf("/InvtRefundList[%d]", i+1)
		if line == nil {
			return res, tracegate.Invalidf(ptr+"/gnum", "the inventory has no line %q", l.Gnum)
		}
		total, err1 := ParseMoney(line.TotalPrice)
		qty, err2 := ParseMoney(line.Qty)
		back, err3 := ParseMoney(l.Qty)
		if err := errors.Join(err1, err2, err3); err != nil || qty <= 0 || back < 0 {
			return res, tracegate.Invalidf(ptr+"/qty", "refund qty %q is not a decimal of at most 2 places within the declared %q", l.Qty, line.Qty)
		}
		share := new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(int64(min(back, qty))))
		amount += Money(share.Quo(share, big.NewInt(int64(qty))).Int64())
	}
	used, refunded, err := p.quotaOf(ctx, rec)
	if err != nil {
		return res, err
	}
	var goods Money
	for _, l := range docs.Inventory.Lines {
		if v, err := ParseMoney(l.TotalPrice); err == nil {
			goods += v
		}
	}
	// Goods refunded once are not refunded again.
	back, err := p.giveQuotaBack(ctx, rec, used, min(amount, max(goods-refunded, 0)))
	res.QuotaRestored = back.String()
	return res, err
}

// quotaOf sums the quota records of a declaration: what it still uses
// (refunds are negative records) and what was refunded so far.
func (p *process) quotaOf(ctx context.Context, rec *DeclarationRecord) (used, refunded Money, err error) {
	uses, err := p.tx.QuotaUses(ctx, rec.ID)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range uses {
		used += u.Value
		if u.Value < 0 {
			refunded -= u.Value
		}
	}
	return used, refunded, nil
}

// giveQuotaBack records a refund of amount, at most what the declaration
// still uses (used), in the year of the use, and returns what was given
// back.
func (p *process) giveQuotaBack(ctx context.Context, rec *DeclarationRecord, used, amount Money) (Money, error) {
	back := QuotaUse{Time: rec.DecidedAt, Value: max(used, 0)}.Refund(amount)
	if back.Value != 0 {
		if err := p.tx.AddQuotaRefund(ctx, QuotaRecord{BuyerKey: rec.BuyerKey, Year: rec.QuotaYear, DeclarationID: rec.ID, Value: back.Value, At: p.now}); err != nil {
			return 0, err
		}
	}
	return -back.Value, nil
}

// AddEarlierQuota records value as an earlier use of the annual quota by
// the buyer with idType and idNumber, counted in the calendar year of at
// (China Standard Time): uses from before this system, or from elsewhere.
// Only the BuyerKey is stored.
func (s *Service) AddEarlierQuota(ctx context.Context, idType, idNumber string, at time.Time, value Money) error {
	return s.store.AddQuotaUses(ctx, []QuotaRecord{{BuyerKey: BuyerKey(s.secret, idType, idNumber),
		Year: at.In(chinaTime).Year(), Value: value, At: at}})
}
