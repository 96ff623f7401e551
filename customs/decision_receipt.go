package customs

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ReceiptStatus returns the CEB622 returnStatus for an outcome: pass is
// 800 放行 (released), review 300 人工审核, refuse 100 海关退单, and waiting
// 120 海关入库 (accepted and stored, the match not yet complete). An unknown
// outcome is treated as review.
func ReceiptStatus(o Outcome) ReturnStatus {
	switch o {
	case OutcomePass:
		return StatusReleased
	case OutcomeRefuse:
		return StatusRejected
	case OutcomeWaiting:
		return StatusAccepted
	}
	return StatusManualReview
}

// ReceiptHead is what a CEB622 inventory receipt carries besides the status.
type ReceiptHead struct {
	GUID  string    // the inventory's guid, 36 characters
	CopNo string    // the enterprise's document number (copNo), 1 to 20 characters
	PreNo string    // the electronic port's number (preNo), 18 characters
	Time  time.Time // written as YYYYMMDDhhmmssSSS in China Standard Time
	// Optional elements; "" leaves the element out. InvtNo is 18 characters.
	CustomsCode, EbpCode, EbcCode, AgentCode, InvtNo string
}

// maxReturnInfo is the maxLength of returnInfo in characters.
const maxReturnInfo = 1000

// NewInventoryReceipt returns the CEB622 receipt of d for the inventory
// described by h: one InventoryReturn whose returnStatus is
// ReceiptStatus(d.Status) and whose returnInfo is the status text followed
// by every reason that is not a pass, as "[rule] message" (gnum n: when the
// reason is about one line), separated by "；", cut to 1000 characters. The
// message root reuses h.GUID. It never fails; the result passes Validate
// when h's fields have the lengths above.
func NewInventoryReceipt(d Decision, h ReceiptHead) *CEB622Message {
	st := ReceiptStatus(d.Status)
	var b strings.Builder
	b.WriteString(st.Text())
	sep := "："
	for _, r := range d.Reasons {
		if r.Outcome == OutcomePass {
			continue
		}
		b.WriteString(sep)
		sep = "；"
		b.WriteString("[" + r.Rule + "] ")
		if r.Line > 0 {
			b.WriteString("gnum " + strconv.Itoa(r.Line) + ": ")
		}
		b.WriteString(r.Message)
	}
	info := b.String()
	if utf8.RuneCountInString(info) > maxReturnInfo {
		info = string([]rune(info)[:maxReturnInfo-1]) + "…"
	}
	guid := strings.ToUpper(h.GUID)
	return &CEB622Message{
		Envelope: Envelope{GUID: guid, Version: "1.0"},
		Returns: []InventoryReturn{{
			GUID:         guid,
			CustomsCode:  optional(h.CustomsCode),
			EbpCode:      optional(h.EbpCode),
			EbcCode:      optional(h.EbcCode),
			AgentCode:    optional(h.AgentCode),
			CopNo:        h.CopNo,
			PreNo:        h.PreNo,
			InvtNo:       optional(h.InvtNo),
			ReturnStatus: string(st),
			ReturnTime:   FormatReturnTime(h.Time),
			ReturnInfo:   info,
		}},
	}
}
