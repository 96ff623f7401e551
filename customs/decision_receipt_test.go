package customs

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNewInventoryReceipt(t *testing.T) {
	head := ReceiptHead{GUID: "4cde1cfd-eded-46b1-946c-b8022e42fc94", CopNo: "C20261123000001", PreNo: "B20261123000000001",
		Time: testDay, CustomsCode: "5165", EbcCode: "4401960001"}
	long := strings.Repeat("很长的原因", 300)
	tests := []struct {
		name   string
		d      Decision
		status ReturnStatus
		info   string // prefix
	}{
		{"pass", Decision{Status: OutcomePass, Reasons: []Reason{{Rule: RuleLimitSingle, Message: "note", Outcome: OutcomePass}}}, StatusReleased, "放行"},
		{"review", Decision{Status: OutcomeReview, Reasons: []Reason{{Rule: RuleCredit, Message: "the credit level of enterprise X is not known", Outcome: OutcomeReview}}},
			StatusManualReview, "人工审核：[credit] the credit level of enterprise X is not known"},
		{"refuse", Decision{Status: OutcomeRefuse, Reasons: []Reason{
			{Rule: RuleProhibited, Message: "HS 2844100000 falls in 放射性物品", Line: 2, Outcome: OutcomeRefuse},
			{Rule: RuleAmount, Message: "amountPaid", Outcome: OutcomeRefuse}}},
			StatusRejected, "海关退单：[prohibited] gnum 2: HS 2844100000 falls in 放射性物品；[three_docs.amount] amountPaid"},
		{"waiting", Decision{Status: OutcomeWaiting, Reasons: []Reason{{Rule: RuleMissing, Message: "waiting for payment (CEB411)", Outcome: OutcomeWaiting}}},
			StatusAccepted, "海关入库：[three_docs.missing] waiting"},
		{"long", Decision{Status: OutcomeRefuse, Reasons: []Reason{{Rule: RuleDeclaration, Message: long, Outcome: OutcomeRefuse}}}, StatusRejected, "海关退单：[declaration] 很长"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewInventoryReceipt(tc.d, head)
			if err := Validate(m, Version202205); err != nil {
				t.Fatalf("receipt does not validate: %v", err)
			}
			r := m.Returns[0]
			if ReturnStatus(r.ReturnStatus) != tc.status || !strings.HasPrefix(r.ReturnInfo, tc.info) {
				t.Errorf("receipt %s %q, want %s %q…", r.ReturnStatus, r.ReturnInfo, tc.status, tc.info)
			}
			if n := utf8.RuneCountInString(r.ReturnInfo); n > 1000 {
				t.Errorf("returnInfo of %d characters", n)
			}
			if r.GUID != strings.ToUpper(head.GUID) || m.GUID != r.GUID || r.ReturnTime != "20261123000000000" || *r.CustomsCode != "5165" || r.EbpCode != nil {
				t.Errorf("receipt head = %+v", r)
			}
			data, err := Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseMessage(strings.NewReader(string(data)))
			if err != nil {
				t.Fatalf("ParseMessage(receipt): %v", err)
			}
			if got := back.(Receipt).Statuses(); len(got) != 1 || got[0] != tc.status {
				t.Errorf("parsed statuses = %v", got)
			}
		})
	}
}

// TestNoRawIDInDecisions screens a day with every fault and checks that no
// reason, no decision JSON and no receipt contains a buyer's or payer's raw
// ID number.
func TestNoRawIDInDecisions(t *testing.T) {
	deps := demoDeps(t)
	rates := map[string]float64{}
	for _, f := range generatorFaults {
		rates[f] = 1.0 / float64(len(generatorFaults)+1)
	}
	for _, d := range GenerateDayWith(3, 60, testDay, rates) {
		ids := []string{d.Order.Orders[0].Head.BuyerIDNumber, d.Payment.Payments[0].Head.PayerIDNumber}
		dec := Screen(d.ScreeningInput(), deps)
		js, err := json.Marshal(dec)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := Marshal(NewInventoryReceipt(dec, ReceiptHead{GUID: d.Inventory.GUID, CopNo: "C1", PreNo: "B20261123000000001", Time: testDay}))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			for _, s := range []string{string(js), string(rc)} {
				if strings.Contains(s, id) || strings.Contains(s, id[6:14]) {
					t.Errorf("fault %s: output contains the ID %s: %s", d.Fault, id, s)
				}
			}
		}
	}
}
