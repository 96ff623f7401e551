package customs

import (
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// The receipts of the order (CEB312), payment (CEB412), waybill (CEB512)
// and cancel (CEB624) documents. Like the CEB622 of NewInventoryReceipt,
// each return reuses its document's guid, upper-cased, and the message
// root reuses the first return's.

// returnInfo is the status text, then "：" and detail when there is one,
// cut to the 1000 characters returnInfo allows.
func returnInfo(st ReturnStatus, detail string) string {
	info := st.Text()
	if detail != "" {
		info += "：" + detail
	}
	if utf8.RuneCountInString(info) > maxReturnInfo {
		info = string([]rune(info)[:maxReturnInfo-1]) + "…"
	}
	return info
}

// NewOrderReceipt returns the CEB312 receipt of the order heads: one
// OrderReturn each with returnStatus st and returnInfo st's text followed
// by detail. It never fails; the result passes Validate when the heads do.
func NewOrderReceipt(st ReturnStatus, detail string, at time.Time, heads ...*OrderHead) *CEB312Message {
	m := &CEB312Message{}
	for _, h := range heads {
		m.Returns = append(m.Returns, OrderReturn{GUID: strings.ToUpper(h.GUID), EbpCode: h.EbpCode, EbcCode: h.EbcCode,
			OrderNo: h.OrderNo, ReturnStatus: string(st), ReturnTime: FormatReturnTime(at), ReturnInfo: returnInfo(st, detail)})
	}
	if len(m.Returns) > 0 {
		m.Envelope = Envelope{GUID: m.Returns[0].GUID, Version: "1.0"}
	}
	return m
}

// NewPaymentReceipt returns the CEB412 receipt of the payment heads, as
// NewOrderReceipt does for orders. It never fails.
func NewPaymentReceipt(st ReturnStatus, detail string, at time.Time, heads ...*PaymentHead) *CEB412Message {
	m := &CEB412Message{}
	for _, h := range heads {
		m.Returns = append(m.Returns, PaymentReturn{GUID: strings.ToUpper(h.GUID), PayCode: h.PayCode, PayTransactionID: h.PayTransactionID,
			ReturnStatus: string(st), ReturnTime: FormatReturnTime(at), ReturnInfo: returnInfo(st, detail)})
	}
	if len(m.Returns) > 0 {
		m.Envelope = Envelope{GUID: m.Returns[0].GUID, Version: "1.0"}
	}
	return m
}

// NewWaybillReceipt returns the CEB512 receipt of the waybill heads, as
// NewOrderReceipt does for orders. It never fails.
func NewWaybillReceipt(st ReturnStatus, detail string, at time.Time, heads ...*LogisticsHead) *CEB512Message {
	m := &CEB512Message{}
	for _, h := range heads {
		m.Returns = append(m.Returns, LogisticsReturn{GUID: strings.ToUpper(h.GUID), LogisticsCode: h.LogisticsCode, LogisticsNo: h.LogisticsNo,
			ReturnStatus: string(st), ReturnTime: FormatReturnTime(at), ReturnInfo: returnInfo(st, detail)})
	}
	if len(m.Returns) > 0 {
		m.Envelope = Envelope{GUID: m.Returns[0].GUID, Version: "1.0"}
	}
	return m
}

// NewCancelReceipt returns the CEB624 receipt of the cancel requests: one
// InvtCancelReturn each with returnStatus st (StatusCleared 399 when the
// cancel was done, StatusRejected 100 when refused), returnInfo st's text
// followed by detail, the request's copNo (else its orderNo, cut to 20
// characters) and preNo, the 18-character number of the cancelled
// declaration ("" when there is none: then the request's own preNo, else
// eighteen zeros). It never fails.
func NewCancelReceipt(st ReturnStatus, detail, preNo string, at time.Time, cancels ...*InvtCancel) *CEB624Message {
	m := &CEB624Message{}
	for _, c := range cancels {
		copNo := c.OrderNo
		if c.CopNo != nil && *c.CopNo != "" {
			copNo = *c.CopNo
		}
		if r := []rune(copNo); len(r) > 20 {
			copNo = string(r[:20])
		}
		pre := preNo
		if pre == "" && c.PreNo != nil && len(*c.PreNo) == 18 {
			pre = *c.PreNo
		}
		if pre == "" {
			pre = strings.Repeat("0", 18)
		}
		var invtNo *string
		if n := strings.TrimSpace(c.InvtNo); len(n) == 18 {
			invtNo = &n
		}
		m.Returns = append(m.Returns, InvtCancelReturn{GUID: strings.ToUpper(c.GUID), CustomsCode: optional(c.CustomsCode),
			AgentCode: optional(c.AgentCode), EbpCode: optional(c.EbpCode), EbcCode: optional(c.EbcCode), CopNo: copNo, PreNo: pre,
			InvtNo: invtNo, ReturnStatus: string(st), ReturnTime: FormatReturnTime(at), ReturnInfo: returnInfo(st, detail)})
	}
	if len(m.Returns) > 0 {
		m.Envelope = Envelope{GUID: m.Returns[0].GUID, Version: "1.0"}
	}
	return m
}

// RefusalReceipt returns the receipt (as XML) that refuses every document
// of m with StatusRejected (100 海关退单) and returnInfo naming err's
// pointer and message: a CEB312, 412, 512 or 624 for an order, payment,
// waybill or cancel message, "" for other types. Nothing of a refused
// message is stored, so every document of it is refused.
func RefusalReceipt(m Message, err error, at time.Time) string {
	detail := tracegate.ErrorMessage(err) // "pointer: message"
	var r Message
	switch m := m.(type) {
	case *CEB311Message:
		heads := make([]*OrderHead, len(m.Orders))
		for i := range m.Orders {
			heads[i] = &m.Orders[i].Head
		}
		r = NewOrderReceipt(StatusRejected, detail, at, heads...)
	case *CEB411Message:
		heads := make([]*PaymentHead, len(m.Payments))
		for i := range m.Payments {
			heads[i] = &m.Payments[i].Head
		}
		r = NewPaymentReceipt(StatusRejected, detail, at, heads...)
	case *CEB511Message:
		heads := make([]*LogisticsHead, len(m.Logistics))
		for i := range m.Logistics {
			heads[i] = &m.Logistics[i].Head
		}
		r = NewWaybillReceipt(StatusRejected, detail, at, heads...)
	case *CEB623Message:
		cancels := make([]*InvtCancel, len(m.Cancels))
		for i := range m.Cancels {
			cancels[i] = &m.Cancels[i]
		}
		r = NewCancelReceipt(StatusRejected, detail, "", at, cancels...)
	default:
		return ""
	}
	b, merr := Marshal(r)
	if merr != nil {
		return ""
	}
	return string(b)
}

// Refusal is the error of Intake for a message refused after it was
// parsed: Err is the coded error (a *tracegate.Error), Receipt the
// refusal receipt of its documents (RefusalReceipt), "" for message types
// without one.
type Refusal struct {
	Err     error
	Receipt string
}

// Error returns Err's message.
func (r *Refusal) Error() string { return r.Err.Error() }

// Unwrap returns Err, so that tracegate.ErrorCode and errors.As see it.
func (r *Refusal) Unwrap() error { return r.Err }
