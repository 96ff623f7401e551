package customs

import (
	"strconv"
	"strings"
	"time"

	"tracegate"
)

// TaxBillHead is what a CEB816 tax bill carries besides the amounts.
type TaxBillHead struct {
	GUID       string    // 36 characters, upper case
	ReturnTime time.Time // written as YYYYMMDDhhmmssSSS in China Standard Time
	InvtNo     string    // inventory number (清单编号), up to 18 characters
	TaxNo      string    // tax bill number (电子税单编号)
	Status     string    // 1 generated, 2 summarised, 3 cancelled; "" means "1"
	// Optional head elements; "" leaves the element out.
	EntDutyNo, Note, AssureCode, EbcCode, LogisticsCode, AgentCode, CustomsCode string
}

// FormatReturnTime formats t as the 17-character YYYYMMDDhhmmssSSS of CEB
// receipts and tax bills, in China Standard Time. It never fails.
func FormatReturnTime(t time.Time) string {
	t = t.In(chinaTime)
	return t.Format("20060102150405") + strconv.Itoa(1000 + t.Nanosecond()/1e6)[1:]
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NewTaxBill returns a CEB816 message with one Tax for res: the head's
// customsTax, valueAddedTax and consumptionTax are res's sums, each line's
// taxPrice is its dutiable value, and amounts are written as "123.45". The
// message root reuses h.GUID. It fails with EINVALID when res is nil, has no
// lines or more than 99 (a TaxListRd limit), or is a TaxRefused result; the
// result should then pass Validate.
func NewTaxBill(h TaxBillHead, res *TaxResult) (*CEB816Message, error) {
	switch {
	case res == nil || len(res.Lines) == 0:
		return nil, tracegate.Invalidf("/Lines", "tax bill without lines")
	case len(res.Lines) > 99:
		return nil, tracegate.Invalidf("/Lines", "tax bill with %d lines, at most 99", len(res.Lines))
	case res.Mode == TaxRefused:
		return nil, tracegate.Invalidf("/Mode", "a refused declaration has no tax bill")
	}
	status := h.Status
	if status == "" {
		status = "1"
	}
	tax := Tax{Head: TaxHeadRd{
		GUID:           strings.ToUpper(h.GUID),
		ReturnTime:     FormatReturnTime(h.ReturnTime),
		InvtNo:         h.InvtNo,
		TaxNo:          h.TaxNo,
		CustomsTax:     res.Duty.String(),
		ValueAddedTax:  res.VAT.String(),
		ConsumptionTax: res.CT.String(),
		Status:         status,
		EntDutyNo:      optional(h.EntDutyNo),
		Note:           optional(h.Note),
		AssureCode:     optional(h.AssureCode),
		EbcCode:        optional(h.EbcCode),
		LogisticsCode:  optional(h.LogisticsCode),
		AgentCode:      optional(h.AgentCode),
		CustomsCode:    optional(h.CustomsCode),
	}}
	for _, l := range res.Lines {
		tax.Lines = append(tax.Lines, TaxListRd{
			Gnum:           strconv.Itoa(l.Gnum),
			Gcode:          l.HS,
			TaxPrice:       l.Dutiable.String(),
			CustomsTax:     l.Duty.String(),
			ValueAddedTax:  l.VAT.String(),
			ConsumptionTax: l.CT.String(),
		})
	}
	return &CEB816Message{
		Envelope: Envelope{GUID: strings.ToUpper(h.GUID), Version: "1.0"},
		Taxes:    []Tax{tax},
	}, nil
}
