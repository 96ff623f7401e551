package customs

import (
	"bytes"
	"strings"
	"testing"
)

func ptr(s string) *string { return &s }

// matchingDocs returns an order, payment, waybill and inventory that agree:
// goodsValue 150.00 + freight 10.00 + taxTotal 5.50 − discount 0.50 =
// acturalPaid 165.00 = amountPaid.
func matchingDocs() Documents {
	o := &Order{Head: OrderHead{
		OrderNo: "O1", EbpCode: "EBP1", EbcCode: "EBC1",
		GoodsValue: "150", Freight: "10.00", TaxTotal: "5.5", Discount: "0.50", ActuralPaid: "165.00",
		BuyerName: "李小宝", BuyerIDType: "1", BuyerIDNumber: "130681136250023332",
		Consignee: "焦洪宇", ConsigneeTelephone: "13522652231", ConsigneeAddress: "北京市海淀区",
	}, Lines: []OrderList{
		{Gnum: "1", ItemNo: ptr("AF001-001"), ItemName: "面霜", Qty: "1", Price: "100", TotalPrice: "100"},
		{Gnum: "2", ItemNo: ptr("AF001-002"), ItemName: "纸尿裤", Qty: "2", Price: "25.00", TotalPrice: "50"},
	}}
	return Documents{
		Order: o,
		Payment: &PaymentHead{OrderNo: "O1", EbpCode: "EBP1", AmountPaid: "165",
			PayerName: "李小宝", PayerIDType: "1", PayerIDNumber: "130681136250023332"},
		Waybill: &LogisticsHead{OrderNo: "O1", LogisticsNo: "L1",
			Consignee: "焦洪宇", ConsigneeTelephone: "13522652231", ConsigneeAddress: " 北京市海淀区 "},
		Inventory: &Inventory{Head: InventoryHead{OrderNo: "O1", EbpCode: "EBP1", EbcCode: "EBC1", LogisticsNo: "L1"},
			Lines: []InventoryList{ // in another order than the order lines: mapped by gnum
				{Gnum: "2", ItemNo: ptr("AF001-002"), Gname: "纸尿裤", Qty: "2.000", Price: "25", TotalPrice: "50.00"},
				{Gnum: "1", ItemNo: ptr("AF001-001"), ItemName: ptr("面霜"), Gname: "面霜 50ml", Qty: "1", Price: "100", TotalPrice: "100"},
			}},
	}
}

func TestCheckThreeDocs(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(d *Documents)
		failRule string // "" when all pass
		problem  string
	}{
		{"all match", func(*Documents) {}, "", ""},
		{"order number", func(d *Documents) { d.Payment.OrderNo = "O2" }, RuleOrder, "payment orderNo"},
		{"platform", func(d *Documents) { d.Inventory.Head.EbpCode = "EBP2" }, RuleOrder, "inventory ebpCode"},
		{"acturalPaid formula", func(d *Documents) { d.Order.Head.ActuralPaid = "166"; d.Payment.AmountPaid = "166" }, RuleAmount, "≠ goodsValue"},
		{"amountPaid", func(d *Documents) { d.Payment.AmountPaid = "164.99" }, RuleAmount, "amountPaid 164.99"},
		{"non-decimal amount", func(d *Documents) { d.Order.Head.Freight = "ten" }, RuleAmount, "order freight"},
		{"consignee name", func(d *Documents) { d.Waybill.Consignee = "李小可" }, RuleConsignee, "consignee:"},
		{"consignee phone", func(d *Documents) { d.Waybill.ConsigneeTelephone = "13936921298" }, RuleConsignee, "consigneeTelephone"},
		{"consignee address", func(d *Documents) { d.Waybill.ConsigneeAddress = "上海" }, RuleConsignee, "consigneeAddress"},
		{"payer name", func(d *Documents) { d.Payment.PayerName = "支付人" }, RulePayer, "payerName"},
		{"payer id", func(d *Documents) { d.Payment.PayerIDNumber = "130625021345225322" }, RulePayer, "payer ID"},
		{"line qty", func(d *Documents) { d.Inventory.Lines[0].Qty = "3" }, RuleLines, "qty"},
		{"line price", func(d *Documents) { d.Inventory.Lines[1].Price = "99.99" }, RuleLines, "price"},
		{"line total", func(d *Documents) { d.Inventory.Lines[1].TotalPrice = "99.99" }, RuleLines, "totalPrice"},
		{"line itemNo", func(d *Documents) { d.Inventory.Lines[1].ItemNo = ptr("X") }, RuleLines, "itemNo"},
		{"line name", func(d *Documents) { d.Inventory.Lines[0].Gname = "尿不湿" }, RuleLines, "item name"},
		{"missing line", func(d *Documents) { d.Inventory.Lines = d.Inventory.Lines[:1] }, RuleLines, "order gnum 1 has no inventory line"},
		{"extra line", func(d *Documents) {
			d.Inventory.Lines = append(d.Inventory.Lines, InventoryList{Gnum: "3", Gname: "x", Qty: "1", Price: "1", TotalPrice: "1"})
		}, RuleLines, "inventory gnum 3 has no order line"},
		{"duplicate gnum", func(d *Documents) { d.Inventory.Lines[1].Gnum = "2" }, RuleLines, "occurs twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := matchingDocs()
			tc.mutate(&d)
			got := CheckThreeDocs(d)
			if len(got) != 5 {
				t.Fatalf("CheckThreeDocs returned %d findings, want 5", len(got))
			}
			for _, f := range got {
				wantPass := f.Rule != tc.failRule
				if f.Passed != wantPass || f.Passed != (len(f.Problems) == 0) {
					t.Errorf("%s: Passed = %v %q, want %v", f.Rule, f.Passed, f.Problems, wantPass)
				}
				if !wantPass && !strings.Contains(strings.Join(f.Problems, "; "), tc.problem) {
					t.Errorf("%s: problems %q, want one containing %q", f.Rule, f.Problems, tc.problem)
				}
			}
		})
	}
}

func TestCheckThreeDocsPartial(t *testing.T) {
	d := matchingDocs()
	d.Inventory, d.Waybill = nil, nil
	var rules []string
	for _, f := range CheckThreeDocs(d) {
		rules = append(rules, f.Rule)
	}
	if got, want := strings.Join(rules, ","), RuleOrder+","+RuleAmount+","+RulePayer; got != want {
		t.Errorf("rules run = %s, want %s", got, want)
	}
}

// The official samples were written independently of each other: the 311
// order and the 511 waybill name different consignees, and the 411 payer is
// not the 311 buyer. The match must catch both.
func TestCheckThreeDocsOfficialSamples(t *testing.T) {
	parse := func(name string) Message {
		m, err := ParseMessage(bytes.NewReader(readSample(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	o := parse("CEB311").(*CEB311Message).Orders[0]
	p := parse("CEB411").(*CEB411Message).Payments[0].Head
	w := parse("CEB511").(*CEB511Message).Logistics[0].Head
	got := map[string]bool{}
	for _, f := range CheckThreeDocs(Documents{Order: &o, Payment: &p, Waybill: &w}) {
		got[f.Rule] = f.Passed
	}
	if !got[RuleAmount] || got[RuleConsignee] || got[RulePayer] {
		t.Errorf("official samples: %v, want amount passed, consignee and payer failed", got)
	}
}
