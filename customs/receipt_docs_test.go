package customs

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tracegate"
)

func TestDocumentReceipts(t *testing.T) {
	guid := "4cde1cfd-eded-46b1-946c-b8022e42fc94"
	long := strings.Repeat("很长的原因", 300)
	copNo := "COP-NUMBER-LONGER-THAN-TWENTY"
	pre := "TG0000000000000042"
	cancel := &InvtCancel{GUID: guid, CustomsCode: "5165", OrderNo: "T20261123000001", EbpCode: "4401980001", EbcCode: "4401960001",
		AgentCode: "4401960001", InvtNo: "440120261123000001", CopNo: &copNo}
	tests := []struct {
		name   string
		m      Receipt
		status ReturnStatus
		info   string // prefix
	}{
		{"order taken", NewOrderReceipt(StatusAccepted, "", testDay, &OrderHead{GUID: guid, EbpCode: "4401980001", EbcCode: "4401960001", OrderNo: "T1"}),
			StatusAccepted, "海关入库"},
		{"payment refused", NewPaymentReceipt(StatusRejected, "/CEB411Message/Payment[1]/PaymentHead/currency: bad", testDay,
			&PaymentHead{GUID: guid, PayCode: "3101980200", PayTransactionID: "P1"}), StatusRejected, "海关退单：/CEB411Message/Payment[1]/PaymentHead/currency: bad"},
		{"waybill long", NewWaybillReceipt(StatusRejected, long, testDay, &LogisticsHead{GUID: guid, LogisticsCode: "4401980002", LogisticsNo: "L1"}),
			StatusRejected, "海关退单：很长"},
		{"cancel done", NewCancelReceipt(StatusCleared, "撤单 消费者取消", pre, testDay, cancel), StatusCleared, "海关审结：撤单"},
		{"cancel refused, no declaration", NewCancelReceipt(StatusRejected, "no inventory", "", testDay, cancel), StatusRejected, "海关退单：no inventory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Validate(tc.m, Version202205); err != nil {
				t.Fatalf("receipt does not validate: %v", err)
			}
			b, err := Marshal(tc.m)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseValidated(b, Version202205)
			if err != nil {
				t.Fatalf("ParseValidated(Marshal(receipt)) = %v", err)
			}
			if st := back.(Receipt).Statuses(); len(st) != 1 || st[0] != tc.status {
				t.Fatalf("statuses = %v, want [%s]", st, tc.status)
			}
			info := strings.SplitN(strings.SplitN(string(b), "<returnInfo>", 2)[1], "</returnInfo>", 2)[0]
			if !strings.HasPrefix(info, tc.info) || utf8.RuneCountInString(info) > maxReturnInfo || !strings.Contains(string(b), strings.ToUpper(guid)) {
				t.Errorf("returnInfo %q (%d characters), want %q… of at most %d, guid upper-cased", info, utf8.RuneCountInString(info), tc.info, maxReturnInfo)
			}
		})
	}
	c := NewCancelReceipt(StatusCleared, "", pre, testDay, cancel).Returns[0]
	if c.CopNo != copNo[:20] || c.PreNo != pre || c.InvtNo == nil || *c.InvtNo != cancel.InvtNo {
		t.Errorf("cancel return = %+v; want copNo cut to 20, preNo %s, invtNo kept", c, pre)
	}
	if c := NewCancelReceipt(StatusRejected, "x", "", testDay, cancel).Returns[0]; c.PreNo != strings.Repeat("0", 18) {
		t.Errorf("preNo without a declaration = %q, want 18 zeros", c.PreNo)
	}
}

func TestRefusalReceipt(t *testing.T) {
	err := tracegate.Invalidf("/CEB311Message/Order[2]/OrderHead/currency", "currency %q is not a known code", "USD")
	m := &CEB311Message{Envelope: Envelope{GUID: "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"}, Orders: []Order{
		{Head: OrderHead{GUID: "4cde1cfd-eded-46b1-946c-b8022e42fc95", EbpCode: "P", EbcCode: "E", OrderNo: "O1"}},
		{Head: OrderHead{GUID: "4cde1cfd-eded-46b1-946c-b8022e42fc96", EbpCode: "P", EbcCode: "E", OrderNo: "O2"}}}}
	r := RefusalReceipt(m, err, testDay)
	back, perr := ParseValidated([]byte(r), Version202205)
	if perr != nil {
		t.Fatalf("RefusalReceipt does not validate: %v\n%s", perr, r)
	}
	if st := back.(Receipt).Statuses(); len(st) != 2 || st[0] != StatusRejected || st[1] != StatusRejected ||
		strings.Count(r, "Order[2]/OrderHead/currency") != 2 {
		t.Fatalf("RefusalReceipt = %s; want both orders refused naming the element", r)
	}
	if r := RefusalReceipt(&CEB621Message{}, err, testDay); r != "" {
		t.Errorf("RefusalReceipt(CEB621) = %q, want none (the CEB622 comes with decisions)", r)
	}
}
