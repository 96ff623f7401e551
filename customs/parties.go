package customs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"tracegate"
)

// Who may say what. Every message names the enterprise that transmits it
// (BaseTransfer copCode) and, in each document, the party whose document it
// is: the platform or e-commerce enterprise of an order (ebpCode, ebcCode),
// the payment company of a payment (payCode), the logistics firm of a
// waybill or its status (logisticsCode), the declarant of an inventory, a
// cancel or a refund (agentCode or ebcCode), the warehouse operator of a
// warehouse entry (operatorCode). An enterprise sending a message must hold
// each of those codes as a confirmed customs code (tracegate.CustomsCode):
// otherwise the message is refused, pointing at the element, and nothing is
// stored. The regulator and the operator's own import (Sender.Trusted) are
// not checked.

// transfer gives the parties check the BaseTransfer of a message.
func (t *Transfer) transfer() *Transfer { return t }

// Trusted reports whether from is not checked against its codes: the
// operator's own import (no role) or a regulator.
func (from Sender) Trusted() bool { return from.Role == "" || from.Role == tracegate.RoleRegulator }

// holds reports whether code (trimmed) is one of from's confirmed codes.
func (from Sender) holds(codes ...string) bool {
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" && slices.Contains(from.Codes, c) {
			return true
		}
	}
	return false
}

// notYours is the refusal of a code the sender does not hold.
func notYours(ptr, elem, code string) error {
	return tracegate.Invalidf(ptr+"/"+elem, "%s %q is not a confirmed customs code of your enterprise: register it (POST /api/enterprises/{id}/customs-codes) and have a regulator confirm it",
		elem, strings.TrimSpace(code))
}

// checkParties refuses m when from does not hold the codes it sends under:
// copCode and each document's own party, as described above.
func checkParties(from Sender, m Message) error {
	if from.Trusted() {
		return nil
	}
	typ := m.MessageType()
	if t, ok := m.(interface{ transfer() *Transfer }); ok {
		if c := t.transfer().BaseTransfer.CopCode; !from.holds(c) {
			return notYours("/"+typ+"/BaseTransfer", "copCode", c)
		}
	}
	// one checks that from holds one of codes, the first of which elem
	// names (the element a refusal points at).
	one := func(ptr, elem string, codes ...string) error {
		if from.holds(codes...) {
			return nil
		}
		return notYours(ptr, elem, codes[0])
	}
	var err error
	switch m := m.(type) {
	case *CEB311Message:
		for i, o := range m.Orders {
			if err = one(fmt.Sprintf("/%s/Order[%d]/OrderHead", typ, i+1), "ebpCode", o.Head.EbpCode, o.Head.EbcCode); err != nil {
				return err
			}
		}
	case *CEB411Message:
		for i, p := range m.Payments {
			if err = one(fmt.Sprintf("/%s/Payment[%d]/PaymentHead", typ, i+1), "payCode", p.Head.PayCode); err != nil {
				return err
			}
		}
	case *CEB511Message:
		for i, l := range m.Logistics {
			if err = one(fmt.Sprintf("/%s/Logistics[%d]/LogisticsHead", typ, i+1), "logisticsCode", l.Head.LogisticsCode); err != nil {
				return err
			}
		}
	case *CEB513Message:
		for i, s := range m.Statuses {
			if err = one(fmt.Sprintf("/%s/LogisticsStatus[%d]", typ, i+1), "logisticsCode", s.LogisticsCode); err != nil {
				return err
			}
		}
	case *CEB621Message:
		for i, inv := range m.Inventories {
			if err = one(fmt.Sprintf("/%s/Inventory[%d]/InventoryHead", typ, i+1), "agentCode", inv.Head.AgentCode, inv.Head.EbcCode); err != nil {
				return err
			}
		}
	case *CEB623Message:
		for i, c := range m.Cancels {
			if err = one(fmt.Sprintf("/%s/InvtCancel[%d]", typ, i+1), "agentCode", c.AgentCode, c.EbcCode); err != nil {
				return err
			}
		}
	case *CEB625Message:
		for i, r := range m.Refunds {
			if err = one(fmt.Sprintf("/%s/InvtRefund[%d]/InvtRefundHead", typ, i+1), "agentCode", r.Head.AgentCode, r.Head.EbcCode); err != nil {
				return err
			}
		}
	case *CEB711Message:
		err = one("/"+typ+"/Delivery/DeliveryHead", "operatorCode", m.Delivery.Head.OperatorCode)
	}
	return err
}

// Parties are the customs codes a declaration's documents name, by
// capacity; "" where a document is missing or names none.
type Parties struct {
	Ebp, Ebc, Agent, Logistics, Pay, Area, Assure string
}

// Codes returns the non-empty codes of p, each once.
func (p Parties) Codes() []string {
	var out []string
	for _, c := range []string{p.Ebp, p.Ebc, p.Agent, p.Logistics, p.Pay, p.Area, p.Assure} {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Declarant returns the codes that may cancel or refund the inventory:
// its ebcCode and agentCode.
func (p Parties) Declarant() []string { return []string{p.Ebc, p.Agent} }

// Names reports whether any of codes is one of p's.
func (p Parties) Names(codes []string) bool {
	for _, c := range p.Codes() {
		if slices.Contains(codes, c) {
			return true
		}
	}
	return false
}

// Parties returns the codes rec's documents name: the inventory's parties
// when it is there, else the order's, payment's and waybill's. It fails
// only when a stored document cannot be decoded.
func (rec *DeclarationRecord) Parties() (Parties, error) {
	docs, err := rec.documents()
	if err != nil {
		return Parties{}, err
	}
	var p Parties
	t := strings.TrimSpace
	if o := docs.Order; o != nil {
		p.Ebp, p.Ebc, p.Pay = t(o.Head.EbpCode), t(o.Head.EbcCode), t(deref(o.Head.PayCode))
	}
	if pay := docs.Payment; pay != nil {
		p.Pay = t(pay.PayCode)
	}
	if w := docs.Waybill; w != nil {
		p.Logistics = t(w.LogisticsCode)
	}
	if inv := docs.Inventory; inv != nil {
		h := inv.Head
		p.Ebp, p.Ebc, p.Agent, p.Logistics, p.Assure = t(h.EbpCode), t(h.EbcCode), t(h.AgentCode), t(h.LogisticsCode), t(h.AssureCode)
		p.Area = t(deref(h.AreaCode))
	}
	return p, nil
}

// ownerCodes returns the codes of the party whose document of kind rec
// holds: the sender of that document had to hold one of them.
func ownerCodes(rec *DeclarationRecord, kind DocKind) ([]string, error) {
	var b []byte
	switch kind {
	case DocOrder:
		b = rec.Order
	case DocPayment:
		b = rec.Payment
	case DocWaybill:
		b = rec.Waybill
	case DocInventory:
		b = rec.Inventory
	}
	if b == nil {
		return nil, nil
	}
	docs, err := rec.documents()
	if err != nil {
		return nil, err
	}
	switch kind {
	case DocOrder:
		return []string{docs.Order.Head.EbpCode, docs.Order.Head.EbcCode}, nil
	case DocPayment:
		return []string{docs.Payment.PayCode}, nil
	case DocWaybill:
		return []string{docs.Waybill.LogisticsCode}, nil
	}
	return []string{docs.Inventory.Head.EbcCode, docs.Inventory.Head.AgentCode}, nil
}

// Redacted returns d as an enterprise may read it: the findings that quote
// the consignee or the payer (three_docs.consignee, three_docs.payer) say
// which field differs, not the values, which are personal data of
// documents the reader may not have sent. The stored decision, its ledger
// leaf and the regulator's answers keep the full text.
func (d Decision) Redacted() Decision {
	out := d
	out.Reasons = make([]Reason, len(d.Reasons))
	for i, r := range d.Reasons {
		switch r.Rule {
		case RuleConsignee:
			r.Message = "the consignee (name, telephone or address) of the order and the waybill differ"
		case RulePayer:
			r.Message = "the payer of the payment is not the order's buyer"
		}
		out.Reasons[i] = r
	}
	return out
}

// DeclarationParties returns what a dispatch binding checks of the
// declaration of (ebpCode, orderNo): its release and its parties' codes.
// It fails with ENOTFOUND when no document of the order arrived.
func (s *Service) DeclarationParties(ctx context.Context, ebpCode, orderNo string) (*tracegate.DeclarationParties, error) {
	rec, err := s.store.FindCustomsDeclaration(ctx, strings.TrimSpace(ebpCode), strings.TrimSpace(orderNo))
	if err != nil {
		return nil, err
	}
	p, err := rec.Parties()
	if err != nil {
		return nil, err
	}
	out := &tracegate.DeclarationParties{Codes: p.Codes(), LogisticsCode: rec.State.LogisticsCode, LogisticsNo: rec.State.LogisticsNo}
	for _, c := range p.Declarant() {
		if c != "" {
			out.Declarant = append(out.Declarant, c)
		}
	}
	if docs, err := rec.documents(); err == nil && docs.Order != nil {
		h := &docs.Order.Head
		out.Consignee, out.ConsigneePhone, out.ConsigneeAddress = h.Consignee, h.ConsigneeTelephone, h.ConsigneeAddress
	}
	if rec.Decision != nil {
		out.Status = string(rec.Decision.Status)
		out.Released = rec.Decision.Status == OutcomePass
	}
	return out, nil
}

// sameParties refuses a document of an enterprise that names other parties
// than the documents of the declaration already there: an inventory or an
// order whose ebcCode is not the other's, a payment whose payCode is not
// the order's. Otherwise anyone could attach its own inventory to another
// platform's order and become its declarant. (The platform and the waybill
// are part of the match key.)
func sameParties(rec *DeclarationRecord, kind DocKind, doc any) error {
	docs, err := rec.documents()
	if err != nil {
		return err
	}
	t := strings.TrimSpace
	differ := func(elem, got, want string) error {
		if t(got) == "" || t(want) == "" || t(got) == t(want) {
			return nil
		}
		return tracegate.Errorf(tracegate.ECONFLICT, "%s %q is not the declaration's %q", elem, t(got), t(want))
	}
	switch d := doc.(type) {
	case *Order:
		if docs.Inventory != nil {
			return differ("ebcCode", d.Head.EbcCode, docs.Inventory.Head.EbcCode)
		}
		if docs.Payment != nil {
			return differ("payCode", deref(d.Head.PayCode), docs.Payment.PayCode)
		}
	case *Inventory:
		if docs.Order != nil {
			return differ("ebcCode", d.Head.EbcCode, docs.Order.Head.EbcCode)
		}
	case *PaymentHead:
		if docs.Order != nil {
			return differ("payCode", d.PayCode, deref(docs.Order.Head.PayCode))
		}
	}
	return nil
}
