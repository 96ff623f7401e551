package customs

import (
	"fmt"
	"time"
)

// acceptedReceipt is the CEB312, 412 or 512 (120 海关入库) of an order,
// payment or waybill document taken; "" for other documents.
func acceptedReceipt(doc any, now time.Time) (string, error) {
	var r Message
	switch d := doc.(type) {
	case *Order:
		r = NewOrderReceipt(StatusAccepted, "", now, &d.Head)
	case *PaymentHead:
		r = NewPaymentReceipt(StatusAccepted, "", now, d)
	case *LogisticsHead:
		r = NewWaybillReceipt(StatusAccepted, "", now, d)
	default:
		return "", nil
	}
	b, err := Marshal(r)
	return string(b), err
}

// preNo is the electronic port number (18 characters) of a declaration in
// its receipts.
func preNo(rec *DeclarationRecord) string { return fmt.Sprintf("TG%016d", rec.ID) }

// inventoryReceipt is the CEB622 of rec's latest decision, dated now.
func inventoryReceipt(rec *DeclarationRecord, now time.Time) (string, error) {
	return inventoryReceiptOf(rec, *rec.Decision, now)
}

// inventoryReceiptOf is the CEB622 of decision d of rec, dated now.
func inventoryReceiptOf(rec *DeclarationRecord, d Decision, now time.Time) (string, error) {
	docs, err := rec.documents()
	if err != nil {
		return "", err
	}
	if docs.Inventory == nil {
		return "", fmt.Errorf("customs: declaration %d has no inventory to answer a CEB622 for", rec.ID)
	}
	h := docs.Inventory.Head
	copNo := h.OrderNo
	if h.CopNo != nil && *h.CopNo != "" {
		copNo = *h.CopNo
	}
	if r := []rune(copNo); len(r) > 20 {
		copNo = string(r[:20])
	}
	receipt := NewInventoryReceipt(d, ReceiptHead{GUID: h.GUID, CopNo: copNo, PreNo: preNo(rec),
		Time: now, CustomsCode: h.CustomsCode, EbpCode: h.EbpCode, EbcCode: h.EbcCode, AgentCode: h.AgentCode})
	b, err := Marshal(receipt)
	return string(b), err
}
