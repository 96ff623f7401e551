package customs

// The message root types. Each embeds Envelope (guid and version
// attributes); data messages sent by enterprises embed Transfer (BaseTransfer
// ... Signature). Documents repeat up to 100 times per message, lines up to
// 99 times per document; Validate enforces these bounds, the types do not.

// CEB311Message is the electronic order message (电子订单).
type CEB311Message struct {
	Envelope
	Orders []Order `xml:"Order"`
	Transfer
}

// Order is one order: its head and its lines.
type Order struct {
	Head  OrderHead   `xml:"OrderHead"`
	Lines []OrderList `xml:"OrderList"`
}

// CEB411Message is the payment voucher message (支付凭证).
type CEB411Message struct {
	Envelope
	Payments []Payment `xml:"Payment"`
	Transfer
}

// Payment is one payment voucher.
type Payment struct {
	Head PaymentHead `xml:"PaymentHead"`
}

// CEB511Message is the waybill message (物流运单).
type CEB511Message struct {
	Envelope
	Logistics []Logistics `xml:"Logistics"`
	Transfer
}

// Logistics is one waybill.
type Logistics struct {
	Head LogisticsHead `xml:"LogisticsHead"`
}

// CEB513Message is the waybill status message (物流运单状态, signed for).
type CEB513Message struct {
	Envelope
	Statuses []LogisticsStatus `xml:"LogisticsStatus"`
	Transfer
}

// CEB621Message is the import inventory message (进口清单).
type CEB621Message struct {
	Envelope
	Inventories []Inventory `xml:"Inventory"`
	Transfer
}

// Inventory is one inventory list: its head and its lines.
type Inventory struct {
	Head  InventoryHead   `xml:"InventoryHead"`
	Lines []InventoryList `xml:"InventoryList"`
}

// CEB623Message is the inventory cancel request message (撤销申请单).
type CEB623Message struct {
	Envelope
	Cancels []InvtCancel `xml:"InvtCancel"`
	Transfer
}

// CEB625Message is the refund (return of goods) request message (退货申请单).
type CEB625Message struct {
	Envelope
	Refunds []InvtRefund `xml:"InvtRefund"`
	Transfer
}

// InvtRefund is one refund request: its head and its lines.
type InvtRefund struct {
	Head  InvtRefundHead   `xml:"InvtRefundHead"`
	Lines []InvtRefundList `xml:"InvtRefundList"`
}

// CEB711Message is the warehouse-entry detail message (入库明细单).
type CEB711Message struct {
	Envelope
	Delivery Delivery `xml:"Delivery"`
	Transfer
}

// Delivery is the one delivery document of a CEB711 message.
type Delivery struct {
	Head  DeliveryHead   `xml:"DeliveryHead"`
	Lines []DeliveryList `xml:"DeliveryList"`
}

// CEB816Message is the electronic tax bill message (电子税单), sent by
// customs; it has no transfer block and no signature.
type CEB816Message struct {
	Envelope
	unsigned
	Taxes []Tax `xml:"Tax"`
}

// Tax is one tax bill: its head and its lines.
type Tax struct {
	Head  TaxHeadRd   `xml:"TaxHeadRd"`
	Lines []TaxListRd `xml:"TaxListRd"`
}

// MessageType returns "CEB311Message".
func (*CEB311Message) MessageType() string { return "CEB311Message" }

// MessageType returns "CEB411Message".
func (*CEB411Message) MessageType() string { return "CEB411Message" }

// MessageType returns "CEB511Message".
func (*CEB511Message) MessageType() string { return "CEB511Message" }

// MessageType returns "CEB513Message".
func (*CEB513Message) MessageType() string { return "CEB513Message" }

// MessageType returns "CEB621Message".
func (*CEB621Message) MessageType() string { return "CEB621Message" }

// MessageType returns "CEB623Message".
func (*CEB623Message) MessageType() string { return "CEB623Message" }

// MessageType returns "CEB625Message".
func (*CEB625Message) MessageType() string { return "CEB625Message" }

// MessageType returns "CEB711Message".
func (*CEB711Message) MessageType() string { return "CEB711Message" }

// MessageType returns "CEB816Message".
func (*CEB816Message) MessageType() string { return "CEB816Message" }
