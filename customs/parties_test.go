package customs

import (
	"strings"
	"testing"
	"time"

	"tracegate"
)

func TestCheckParties(t *testing.T) {
	d := GenerateDay(7, 1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))[0]
	inv := d.Inventory.Inventories[0].Head
	ord := d.Order.Orders[0].Head
	cancel := &CEB623Message{Envelope: Envelope{GUID: "X"}, Transfer: d.Inventory.Transfer,
		Cancels: []InvtCancel{{EbcCode: inv.EbcCode, AgentCode: inv.AgentCode}}}
	for _, tc := range []struct {
		name    string
		from    Sender
		m       Message
		pointer string // "" for accepted
	}{
		{"operator import", Sender{}, d.Order, ""},
		{"regulator", Sender{Role: tracegate.RoleRegulator}, d.Order, ""},
		{"platform under its codes", Sender{Role: tracegate.RolePlatform, Codes: []string{ord.EbpCode}}, d.Order, ""},
		{"no codes", Sender{Role: tracegate.RolePlatform}, d.Order, "/CEB311Message/BaseTransfer/copCode"},
		{"copCode only", Sender{Role: tracegate.RolePlatform, Codes: []string{d.Order.Transfer.BaseTransfer.CopCode}}, withOrderParties(d.Order, "1111111111", "2222222222"), "/CEB311Message/Order[1]/OrderHead/ebpCode"},
		{"payment", Sender{Role: tracegate.RolePayment, Codes: []string{d.Payment.Payments[0].Head.PayCode}}, d.Payment, ""},
		{"payment of another", Sender{Role: tracegate.RolePayment, Codes: []string{"9999999999"}}, d.Payment, "/CEB411Message/BaseTransfer/copCode"},
		{"waybill", Sender{Role: tracegate.RoleLogistics, Codes: []string{d.Waybill.Logistics[0].Head.LogisticsCode}}, d.Waybill, ""},
		{"inventory by its declarant", Sender{Role: tracegate.RoleEcommerce, Codes: []string{inv.EbcCode}}, d.Inventory, ""},
		{"cancel by the declarant", Sender{Role: tracegate.RoleEcommerce, Codes: []string{inv.EbcCode}}, cancel, ""},
		{"cancel by the platform", Sender{Role: tracegate.RolePlatform, Codes: []string{inv.EbpCode}}, cancel, "/CEB623Message/BaseTransfer/copCode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkParties(tc.from, tc.m)
			var e *tracegate.Error
			switch {
			case tc.pointer == "" && err != nil:
				t.Fatalf("checkParties = %v; want accepted", err)
			case tc.pointer != "" && (err == nil || !tracegate.IsCode(err, tracegate.EINVALID)):
				t.Fatalf("checkParties = %v; want EINVALID at %s", err, tc.pointer)
			case tc.pointer != "":
				e = err.(*tracegate.Error)
				if e.Pointer != tc.pointer || !strings.Contains(e.Message, "not a confirmed customs code") {
					t.Fatalf("checkParties = %q at %s; want %s", e.Message, e.Pointer, tc.pointer)
				}
			}
		})
	}
}

// withOrderParties is a copy of m whose order names ebp and ebc.
func withOrderParties(m *CEB311Message, ebp, ebc string) *CEB311Message {
	c := *m
	c.Orders = []Order{m.Orders[0]}
	c.Orders[0].Head.EbpCode, c.Orders[0].Head.EbcCode = ebp, ebc
	return &c
}

func TestDecisionRedacted(t *testing.T) {
	d := Decision{Status: OutcomeRefuse, Reasons: []Reason{
		{Rule: RuleConsignee, Message: `consigneeTelephone: order "13800000000", waybill "13900000000"`, Outcome: OutcomeRefuse},
		{Rule: RulePayer, Message: `payerName "张三" is not the buyer "李四"`, Outcome: OutcomeRefuse},
		{Rule: RuleAmount, Message: "payment amountPaid 1 ≠ order acturalPaid 2", Outcome: OutcomeRefuse},
	}}
	r := d.Redacted()
	for _, s := range []string{"13800000000", "13900000000", "张三", "李四"} {
		for _, x := range r.Reasons {
			if strings.Contains(x.Message, s) {
				t.Errorf("Redacted() keeps %q: %+v", s, x)
			}
		}
	}
	if r.Reasons[2].Message != d.Reasons[2].Message || !strings.Contains(d.Reasons[0].Message, "13800000000") {
		t.Errorf("Redacted() changed a finding without personal data, or the original: %+v / %+v", r.Reasons, d.Reasons)
	}
}
