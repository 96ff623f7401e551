package customs

import "strconv"

// ReturnStatus is the returnStatus code of a receipt (回执). Codes below zero
// report a processing error.
type ReturnStatus string

// The returnStatus codes named in the 202205 field descriptions. Not every
// receipt uses every code: the inventory receipt (CEB622) is the only one
// with the release and hold codes (300, 500-599, 700, 800, 899).
const (
	StatusStored            ReturnStatus = "1"   // 电子口岸已暂存
	StatusDeclaring         ReturnStatus = "2"   // 电子口岸申报中
	StatusSentToCustoms     ReturnStatus = "3"   // 发送海关成功
	StatusSendFailed        ReturnStatus = "4"   // 发送海关失败
	StatusRejected          ReturnStatus = "100" // 海关退单
	StatusAccepted          ReturnStatus = "120" // 海关入库
	StatusManualReview      ReturnStatus = "300" // 人工审核
	StatusCleared           ReturnStatus = "399" // 海关审结
	StatusInspection        ReturnStatus = "500" // 查验
	StatusHeldClearance     ReturnStatus = "501" // 扣留移送通关
	StatusHeldAntiSmuggling ReturnStatus = "502" // 扣留移送缉私
	StatusHeldLegal         ReturnStatus = "503" // 扣留移送法规
	StatusHeldOther         ReturnStatus = "599" // 其它扣留
	StatusReturned          ReturnStatus = "700" // 退运
	StatusReleased          ReturnStatus = "800" // 放行
	StatusClosed            ReturnStatus = "899" // 结关
)

var statusText = map[ReturnStatus]string{
	StatusStored: "电子口岸已暂存", StatusDeclaring: "电子口岸申报中",
	StatusSentToCustoms: "发送海关成功", StatusSendFailed: "发送海关失败",
	StatusRejected: "海关退单", StatusAccepted: "海关入库", StatusManualReview: "人工审核",
	StatusCleared: "海关审结", StatusInspection: "查验", StatusHeldClearance: "扣留移送通关",
	StatusHeldAntiSmuggling: "扣留移送缉私", StatusHeldLegal: "扣留移送法规",
	StatusHeldOther: "其它扣留", StatusReturned: "退运", StatusReleased: "放行", StatusClosed: "结关",
}

// Text returns the Chinese meaning of s, "处理异常" for a negative code, and
// "" for a code it does not know.
func (s ReturnStatus) Text() string {
	if t, ok := statusText[s]; ok {
		return t
	}
	if s.IsError() {
		return "处理异常"
	}
	return ""
}

// IsError reports whether s is a negative number (a processing error).
func (s ReturnStatus) IsError() bool {
	n, err := strconv.Atoi(string(s))
	return err == nil && n < 0
}

// Receipt is a receipt message; Statuses lists the returnStatus of each of
// its return entities in order.
type Receipt interface {
	Message
	Statuses() []ReturnStatus
}

// CEB312Message is the order receipt.
type CEB312Message struct {
	Envelope
	unsigned
	Returns []OrderReturn `xml:"OrderReturn"`
}

// CEB412Message is the payment receipt.
type CEB412Message struct {
	Envelope
	unsigned
	Returns []PaymentReturn `xml:"PaymentReturn"`
}

// CEB512Message is the waybill receipt.
type CEB512Message struct {
	Envelope
	unsigned
	Returns []LogisticsReturn `xml:"LogisticsReturn"`
}

// CEB514Message is the waybill status receipt.
type CEB514Message struct {
	Envelope
	unsigned
	Returns []LogisticsStatusReturn `xml:"LogisticsStatusReturn"`
}

// CEB622Message is the inventory receipt.
type CEB622Message struct {
	Envelope
	unsigned
	Returns []InventoryReturn `xml:"InventoryReturn"`
}

// CEB624Message is the cancel request receipt.
type CEB624Message struct {
	Envelope
	unsigned
	Returns []InvtCancelReturn `xml:"InvtCancelReturn"`
}

// CEB626Message is the refund request receipt.
type CEB626Message struct {
	Envelope
	unsigned
	Returns []InvtRefundReturn `xml:"InvtRefundReturn"`
}

// CEB712Message is the warehouse-entry detail receipt.
type CEB712Message struct {
	Envelope
	unsigned
	Returns []DeliveryReturn `xml:"DeliveryReturn"`
}

// MessageType returns "CEB312Message".
func (*CEB312Message) MessageType() string { return "CEB312Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB312Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB412Message".
func (*CEB412Message) MessageType() string { return "CEB412Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB412Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB512Message".
func (*CEB512Message) MessageType() string { return "CEB512Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB512Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB514Message".
func (*CEB514Message) MessageType() string { return "CEB514Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB514Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB622Message".
func (*CEB622Message) MessageType() string { return "CEB622Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB622Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB624Message".
func (*CEB624Message) MessageType() string { return "CEB624Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB624Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB626Message".
func (*CEB626Message) MessageType() string { return "CEB626Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB626Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}

// MessageType returns "CEB712Message".
func (*CEB712Message) MessageType() string { return "CEB712Message" }

// Statuses returns the returnStatus of each return entity.
func (m *CEB712Message) Statuses() []ReturnStatus {
	s := make([]ReturnStatus, len(m.Returns))
	for i := range m.Returns {
		s[i] = ReturnStatus(m.Returns[i].ReturnStatus)
	}
	return s
}
