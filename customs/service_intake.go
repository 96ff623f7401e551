package customs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"tracegate"
)

// Intake reads one CEB message (optionally in a DXP envelope), checks it
// (well-formed, DTD-free, CEB namespace, XSD facets, code lists) and the
// sender's role, and processes it in one transaction: nothing is stored
// when any document fails. It fails with EINVALID naming the element, with
// ETOOLARGE past MaxMessageSize, with EFORBIDDEN when the sender's role may
// not send the message type, with EINVALID pointing at the element when a
// code it sends under (copCode, the document's own party) is not one of
// the sender's confirmed codes, and with ECONFLICT for a message GUID already
// received or a document that contradicts its declaration (or belongs to
// a cancelled one). An EINVALID or ECONFLICT refusal of an order, payment,
// waybill or cancel message that parsed is a *Refusal carrying the
// refusal receipt (RefusalReceipt) of its documents.
func (s *Service) Intake(ctx context.Context, from Sender, body []byte) (*IntakeResult, error) {
	m, err := s.check(from, body)
	if err != nil {
		return nil, err
	}
	return s.intakeChecked(ctx, from, m, body)
}

// intakeChecked processes a checked message in its own transaction.
func (s *Service) intakeChecked(ctx context.Context, from Sender, m Message, body []byte) (*IntakeResult, error) {
	var res *IntakeResult
	err := s.store.CustomsUpdate(ctx, func(tx StoreTx) error {
		deps, err := s.screeningDeps(ctx, tx)
		if err != nil {
			return err
		}
		res, err = s.apply(ctx, tx, deps, from, m, body)
		return err
	})
	if err != nil {
		return nil, s.refusal(m, err)
	}
	return res, nil
}

// check reads body as one message and checks it and its sender, as Intake
// describes, without touching the store.
func (s *Service) check(from Sender, body []byte) (Message, error) {
	if len(body) > MaxMessageSize {
		return nil, tracegate.Errorf(tracegate.ETOOLARGE, "a customs message is at most %d bytes", MaxMessageSize)
	}
	m, err := ParseValidated(body, Version202205, Version2018)
	if err != nil {
		return nil, err
	}
	if err := checkCodes(m); err != nil {
		return nil, s.refusal(m, err)
	}
	typ := m.MessageType()
	if allowed, ok := senderRoles[typ]; from.Role != "" && from.Role != tracegate.RoleRegulator &&
		(!ok || !slices.Contains(allowed, from.Role)) {
		return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "a %s may not send a %s", from.Role, typ)
	}
	if err := checkParties(from, m); err != nil {
		return nil, s.refusal(m, err)
	}
	if s.sigs != nil && m.HasSignature() {
		if err := s.verifySignature(body); err != nil {
			return nil, s.refusal(m, err)
		}
	}
	return m, nil
}

// apply stores the checked message m (as received in body) and processes
// its documents in tx.
func (s *Service) apply(ctx context.Context, tx StoreTx, deps ScreeningDeps, from Sender, m Message, body []byte) (*IntakeResult, error) {
	res := &IntakeResult{GUID: m.Root().GUID, Type: m.MessageType(), Signature: SignatureUnverified}
	if s.sigs != nil && m.HasSignature() { // check verified it
		res.Signature = SignatureVerified
	}
	now := tx.Now()
	if err := tx.SaveMessage(ctx, &StoredMessage{GUID: res.GUID, Type: res.Type, SenderID: from.EnterpriseID, SenderUSCC: from.USCC, ReceivedAt: now, Body: body}); err != nil {
		return nil, err
	}
	p := &process{s: s, tx: tx, deps: deps, from: from, guid: res.GUID, now: now}
	docs, err := p.message(ctx, m)
	if err != nil {
		return nil, err
	}
	res.Documents = docs
	if res.Documents == nil {
		res.Documents = []DocumentResult{}
	}
	return res, nil
}

// refusal wraps an EINVALID or ECONFLICT err in a *Refusal with the
// refusal receipt of m's documents, when m's type has one.
func (s *Service) refusal(m Message, err error) error {
	if c := tracegate.ErrorCode(err); c != tracegate.EINVALID && c != tracegate.ECONFLICT {
		return err
	}
	if r := RefusalReceipt(m, err, s.clock.Now()); r != "" {
		return &Refusal{Err: err, Receipt: r}
	}
	return err
}

// process is the work of one message in its transaction.
type process struct {
	s    *Service
	tx   StoreTx
	deps ScreeningDeps
	from Sender
	guid string
	now  time.Time
}

func (p *process) message(ctx context.Context, m Message) ([]DocumentResult, error) {
	var out []DocumentResult
	add := func(kind DocKind, key MatchKey, doc any) error {
		r, err := p.document(ctx, kind, key, doc)
		if err != nil {
			return err
		}
		if kind != DocInventory {
			r.DecisionReceipt = r.Receipt
			if r.Receipt, err = acceptedReceipt(doc, p.now); err != nil {
				return err
			}
		}
		out = append(out, r)
		return nil
	}
	switch m := m.(type) {
	case *CEB311Message:
		for i := range m.Orders {
			if err := add(DocOrder, OrderKey(&m.Orders[i].Head), &m.Orders[i]); err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB311Message/Order[%d]", i+1))
			}
		}
	case *CEB411Message:
		for i := range m.Payments {
			if err := add(DocPayment, PaymentKey(&m.Payments[i].Head), &m.Payments[i].Head); err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB411Message/Payment[%d]", i+1))
			}
		}
	case *CEB511Message:
		for i := range m.Logistics {
			if err := add(DocWaybill, WaybillKey(&m.Logistics[i].Head), &m.Logistics[i].Head); err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB511Message/Logistics[%d]", i+1))
			}
		}
	case *CEB621Message:
		for i := range m.Inventories {
			if err := add(DocInventory, InventoryKey(&m.Inventories[i].Head), &m.Inventories[i]); err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB621Message/Inventory[%d]", i+1))
			}
		}
	case *CEB625Message:
		for i := range m.Refunds {
			r, err := p.refund(ctx, &m.Refunds[i])
			if err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB625Message/InvtRefund[%d]", i+1))
			}
			out = append(out, r)
		}
	case *CEB623Message:
		for i := range m.Cancels {
			r, err := p.cancel(ctx, &m.Cancels[i])
			if err != nil {
				return nil, pointAt(err, fmt.Sprintf("/CEB623Message/InvtCancel[%d]", i+1))
			}
			out = append(out, r)
		}
	case *CEB711Message:
		return p.delivery(ctx, &m.Delivery)
	default:
		// Statuses and receipts are kept as received.
		out = append(out, DocumentResult{Kind: "stored"})
	}
	return out, nil
}

// pointAt prefixes the pointer of a coded error with the document's path.
func pointAt(err error, prefix string) error {
	var e *tracegate.Error
	if errors.As(err, &e) && (e.Code == tracegate.EINVALID || e.Code == tracegate.ECONFLICT) {
		c := *e
		c.Pointer = prefix + e.Pointer
		return &c
	}
	return err
}

// document records the arrival of one document and re-runs the screening
// when the declaration's inventory is there.
func (p *process) document(ctx context.Context, kind DocKind, key MatchKey, doc any) (DocumentResult, error) {
	rec, err := p.tx.FindDeclaration(ctx, key)
	if tracegate.ErrorCode(err) == tracegate.ENOTFOUND {
		rec, err = &DeclarationRecord{LedgerIndex: -1}, nil
	}
	if err != nil {
		return DocumentResult{}, err
	}
	if rec.Decision != nil && rec.Decision.Status == OutcomeCancelled {
		return DocumentResult{}, tracegate.Errorf(tracegate.ECONFLICT, "order %q of platform %q was cancelled (CEB623): declare it under a new order number",
			rec.State.OrderNo, rec.State.EbpCode)
	}
	if !p.from.Trusted() {
		// A stored document is replaced only by its own party.
		owners, err := ownerCodes(rec, kind)
		if err != nil {
			return DocumentResult{}, err
		}
		if owners != nil && !p.from.holds(owners...) {
			return DocumentResult{}, tracegate.Errorf(tracegate.ECONFLICT, "the %s of order %q was sent by another enterprise: it is not replaced", kind, key.OrderNo)
		}
		if err := sameParties(rec, kind, doc); err != nil {
			return DocumentResult{}, err
		}
	}
	if err := rec.State.Record(kind, key, p.now); err != nil {
		return DocumentResult{}, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return DocumentResult{}, fmt.Errorf("customs: encode %s: %w", kind, err)
	}
	switch kind {
	case DocOrder:
		rec.Order, rec.OrderGUID, rec.decoded.Order = b, p.guid, doc.(*Order)
	case DocPayment:
		rec.Payment, rec.PaymentGUID, rec.decoded.Payment = b, p.guid, doc.(*PaymentHead)
	case DocWaybill:
		rec.Waybill, rec.WaybillGUID, rec.decoded.Waybill = b, p.guid, doc.(*LogisticsHead)
	case DocInventory:
		rec.Inventory, rec.InventoryGUID, rec.decoded.Inventory = b, p.guid, doc.(*Inventory)
	}
	if p.from.EnterpriseID != 0 && !slices.Contains(rec.Senders, p.from.EnterpriseID) {
		rec.Senders = append(rec.Senders, p.from.EnterpriseID)
	}
	if rec.ID == 0 && rec.Inventory != nil { // the decision needs the ID
		if err := p.tx.SaveDeclaration(ctx, rec); err != nil {
			return DocumentResult{}, err
		}
	}
	res := DocumentResult{Kind: string(kind), EbpCode: rec.State.EbpCode, OrderNo: rec.State.OrderNo, Missing: rec.State.Missing()}
	if rec.Inventory != nil {
		if err := p.s.decide(ctx, p.tx, p.deps, rec, p.from.USCC); err != nil {
			return DocumentResult{}, err
		}
		d := *rec.Decision
		if !p.from.Trusted() {
			d = d.Redacted()
		}
		idx := rec.LedgerIndex
		res.Decision, res.LedgerIndex = &d, &idx
		if res.Receipt, err = inventoryReceiptOf(rec, d, p.now); err != nil {
			return DocumentResult{}, err
		}
	}
	if err := p.tx.SaveDeclaration(ctx, rec); err != nil {
		return DocumentResult{}, err
	}
	return res, nil
}
