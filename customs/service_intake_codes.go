package customs

import (
	"fmt"
	"strings"

	"tracegate"
)

// checkCodes checks the code lists the XSDs leave open: currency 142
// (renminbi), import flags, buyer ID types and trade modes.
func checkCodes(m Message) error {
	bad := func(ptr, elem, got, want string) error {
		return tracegate.Invalidf(ptr+"/"+elem, "%s %q is not a known code: want %s", elem, got, want)
	}
	idType := func(s string) bool { s = strings.TrimSpace(s); return s == "1" || s == "2" }
	switch m := m.(type) {
	case *CEB311Message:
		for i, o := range m.Orders {
			ptr := fmt.Sprintf("/CEB311Message/Order[%d]/OrderHead", i+1)
			if strings.TrimSpace(o.Head.Currency) != "142" {
				return bad(ptr, "currency", o.Head.Currency, "142")
			}
			if !idType(o.Head.BuyerIDType) {
				return bad(ptr, "buyerIdType", o.Head.BuyerIDType, "1 or 2")
			}
		}
	case *CEB411Message:
		for i, p := range m.Payments {
			ptr := fmt.Sprintf("/CEB411Message/Payment[%d]/PaymentHead", i+1)
			if strings.TrimSpace(p.Head.Currency) != "142" {
				return bad(ptr, "currency", p.Head.Currency, "142")
			}
			if !idType(p.Head.PayerIDType) {
				return bad(ptr, "payerIdType", p.Head.PayerIDType, "1 or 2")
			}
		}
	case *CEB621Message:
		for i, inv := range m.Inventories {
			ptr := fmt.Sprintf("/CEB621Message/Inventory[%d]/InventoryHead", i+1)
			h := inv.Head
			if strings.TrimSpace(h.Currency) != "142" {
				return bad(ptr, "currency", h.Currency, "142")
			}
			if strings.TrimSpace(h.IeFlag) != "I" {
				return bad(ptr, "ieFlag", h.IeFlag, "I")
			}
			if !idType(h.BuyerIDType) {
				return bad(ptr, "buyerIdType", h.BuyerIDType, "1 or 2")
			}
			switch strings.TrimSpace(h.TradeMode) {
			case TradeModeBonded, "1239", TradeModeDirect:
			default:
				return bad(ptr, "tradeMode", h.TradeMode, "1210, 1239 or 9610")
			}
		}
	}
	return nil
}
