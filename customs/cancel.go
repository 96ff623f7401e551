package customs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"tracegate"
)

// cancel takes one CEB623 cancel request (撤单): the inventory of its
// (ebpCode, orderNo) is cancelled — the decision becomes cancelled in the
// history and the ledger, what the declaration still used of the buyer's
// annual quota is given back as a refund (CEB625) gives it back, and the
// answer carries a CEB624 of 399 海关审结. A request naming no declared
// inventory, another waybill, or an inventory cancelled already is refused
// with a CEB624 of 100 海关退单 saying why; nothing is changed then.
func (p *process) cancel(ctx context.Context, c *InvtCancel) (DocumentResult, error) {
	ebp, order := strings.TrimSpace(c.EbpCode), strings.TrimSpace(c.OrderNo)
	res := DocumentResult{Kind: "cancel", EbpCode: ebp, OrderNo: order}
	refuse := func(rec *DeclarationRecord, why string) (DocumentResult, error) {
		pre := ""
		if rec != nil {
			pre = preNo(rec)
		}
		b, err := Marshal(NewCancelReceipt(StatusRejected, why, pre, p.now, c))
		res.Note, res.Receipt = why, string(b)
		return res, err
	}
	rec, err := p.tx.FindDeclaration(ctx, MatchKey{EbpCode: ebp, OrderNo: order})
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return refuse(nil, fmt.Sprintf("no inventory of order %s on platform %s is declared here: nothing cancelled", order, ebp))
	} else if err != nil {
		return res, err
	}
	if ok, err := p.declarantOf(rec); err != nil {
		return res, err
	} else if !ok { // answered as if there were none: others' orders cannot be probed
		return refuse(nil, fmt.Sprintf("no inventory of order %s on platform %s is declared here: nothing cancelled", order, ebp))
	}
	switch {
	case rec.Inventory == nil || rec.Decision == nil:
		return refuse(rec, fmt.Sprintf("no inventory of order %s on platform %s is declared here: nothing cancelled", order, ebp))
	case rec.Decision.Status == OutcomeCancelled:
		return refuse(rec, fmt.Sprintf("the inventory of order %s was cancelled already", order))
	case strings.TrimSpace(c.LogisticsNo) != rec.State.LogisticsNo:
		return refuse(rec, fmt.Sprintf("the inventory of order %s is declared with waybill %s, not %s: nothing cancelled",
			order, rec.State.LogisticsNo, strings.TrimSpace(c.LogisticsNo)))
	}
	// Give back what the declaration still uses, as a refund does: a
	// negative use in the year of the use.
	used, _, err := p.quotaOf(ctx, rec)
	if err != nil {
		return res, err
	}
	back, err := p.giveQuotaBack(ctx, rec, used, used)
	if err != nil {
		return res, err
	}
	res.QuotaRestored = back.String()
	why := strings.TrimSpace(c.Reason)
	d := Decision{Status: OutcomeCancelled, Reasons: []Reason{{Rule: RuleCancel, Message: "撤单: " + why, Outcome: OutcomeCancelled}}}
	if p.from.EnterpriseID != 0 && !slices.Contains(rec.Senders, p.from.EnterpriseID) {
		rec.Senders = append(rec.Senders, p.from.EnterpriseID)
	}
	if err := p.s.record(ctx, p.tx, rec, d, append(rec.GUIDs(), p.guid)); err != nil {
		return res, err
	}
	b, err := Marshal(NewCancelReceipt(StatusCleared, "撤单 "+why, preNo(rec), p.now, c))
	if err != nil {
		return res, err
	}
	idx := rec.LedgerIndex
	res.Decision, res.LedgerIndex, res.Receipt = &d, &idx, string(b)
	return res, nil
}

// declarantOf reports whether the sender may cancel or refund rec: a
// trusted sender always, an enterprise only when it holds the inventory's
// ebcCode or agentCode (an order without an inventory has no declarant).
func (p *process) declarantOf(rec *DeclarationRecord) (bool, error) {
	if p.from.Trusted() {
		return true, nil
	}
	if rec.Inventory == nil {
		return false, nil
	}
	parties, err := rec.Parties()
	if err != nil {
		return false, err
	}
	return p.from.holds(parties.Declarant()...), nil
}
