package storetest

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/customs"
)

// testCustomsParties checks the intake's parties rules on the store, in
// single messages and in a batch: an enterprise sends only under its own
// confirmed codes, replaces no document of another, attaches no inventory
// to another's order and cancels or refunds only as the declarant; a batch
// with a refused message keeps the others, as Intake would.
func testCustomsParties(t *testing.T, open Opener) {
	s, svc, _ := newCustoms(t, open)
	ctx := context.Background()
	victim := GenerateFault(50, "")
	h := victim.Inventory.Inventories[0].Head
	vm := CustomsMessages(t, victim)
	for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
		intake(t, svc, vm[k])
	}
	attacker := customs.Sender{EnterpriseID: 99, USCC: USCC(7799), Role: tracegate.RoleEcommerce, Codes: []string{"5101960001"}}
	declarant := customs.Sender{EnterpriseID: 98, USCC: USCC(7798), Role: tracegate.RoleEcommerce, Codes: []string{h.EbcCode}}

	// A cancel under the attacker's own codes naming the victim's order.
	c := CancelMessage(victim, "C6000000-0000-4000-8000-000000000623")
	c.Transfer.BaseTransfer.CopCode, c.Cancels[0].EbcCode, c.Cancels[0].AgentCode = "5101960001", "5101960001", "5101960001"
	cancel, _ := customs.Marshal(c)
	// A refund likewise.
	r := RefundMessage(victim, "C6000000-0000-4000-8000-000000000625")
	r.Transfer.BaseTransfer.CopCode, r.Refunds[0].Head.EbcCode, r.Refunds[0].Head.AgentCode = "5101960001", "5101960001", "5101960001"
	refund, _ := customs.Marshal(r)

	// And the victim's inventory re-sent, under the victim's codes.
	got := svc.IntakeBatch(ctx, attacker, [][]byte{cancel, vm[customs.DocInventory], refund})
	if got[0].Err != nil || got[0].Result.Documents[0].Decision != nil {
		t.Fatalf("IntakeBatch: the attacker's cancel = %+v, %v; want refused as an unknown order", got[0].Result, got[0].Err)
	}
	if e := codedError(got[1].Err); e == nil || e.Code != tracegate.EINVALID || e.Pointer != "/CEB621Message/BaseTransfer/copCode" {
		t.Fatalf("IntakeBatch: the victim's inventory sent by the attacker = %v; want EINVALID at copCode", got[1].Err)
	}
	if got[2].Err != nil || got[2].Result.Documents[0].QuotaRestored != "0.00" {
		t.Fatalf("IntakeBatch: the attacker's refund = %+v, %v; want nothing restored", got[2].Result, got[2].Err)
	}
	rec, err := s.FindCustomsDeclaration(ctx, h.EbpCode, h.OrderNo)
	if err != nil || rec.Decision.Status != customs.OutcomePass {
		t.Fatalf("the victim's declaration after the attacks = %+v, %v; want pass", rec, err)
	}

	// The declarant's own inventory of another declaration is taken; its
	// cancel of the victim's order is its own: it holds the ebcCode.
	own := GenerateFault(51, "")
	own.Inventory.Inventories[0].Head.EbcCode = h.EbcCode
	own.Inventory.Inventories[0].Head.AgentCode = h.EbcCode
	own.Inventory.Transfer.BaseTransfer.CopCode = h.EbcCode
	om := CustomsMessages(t, own)
	c = CancelMessage(victim, "C6000000-0000-4000-8000-000000000626")
	mine, _ := customs.Marshal(c)
	got = svc.IntakeBatch(ctx, declarant, [][]byte{om[customs.DocInventory], mine})
	if got[0].Err != nil || got[1].Err != nil {
		t.Fatalf("IntakeBatch(declarant) = %v, %v", got[0].Err, got[1].Err)
	}
	if d := got[1].Result.Documents[0].Decision; d == nil || d.Status != customs.OutcomeCancelled {
		t.Fatalf("the declarant's cancel = %+v; want cancelled", got[1].Result.Documents[0])
	}
	checkLedger(t, s)
}
