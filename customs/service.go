package customs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"tracegate"
	"tracegate/ledger"
)

// DefaultMatchTimeout is how long the three-document match waits for a
// partner document after the first one arrived.
const DefaultMatchTimeout = 24 * time.Hour

// ServiceConfig configures NewService.
type ServiceConfig struct {
	// Secret keys BuyerKey; at least 32 random bytes kept out of the
	// database (the data directory's customs.secret).
	Secret []byte
	// MatchTimeout is the three-document wait; 0 means DefaultMatchTimeout.
	MatchTimeout time.Duration
	// Credit gives enterprises' credit levels; nil until the credit work
	// provides them, which skips the credit rule (no level is faked).
	Credit CreditLevels
	// Clock dates the refusal receipts of messages refused before their
	// transaction; nil means tracegate.SystemClock. Everything written is
	// dated by the store's transaction.
	Clock tracegate.Clock
	// Signatures, when set, verifies every ds:Signature (SM2-SM3) and
	// refuses a message whose signature does not verify; nil takes
	// signatures as they are, and every answer says "unverified".
	Signatures *Signatures
}

// Service is the customs intake: it stores messages, runs the
// three-document match and the screening, keeps the buyers' quota and
// commits every decision to the ledger, all in one transaction per
// message. It is safe for concurrent use.
type Service struct {
	store   Store
	secret  []byte
	timeout time.Duration
	credit  CreditLevels
	clock   tracegate.Clock
	sigs    *Signatures

	mu     sync.Mutex
	tabIDs map[string]int64
	deps   ScreeningDeps
}

// NewService returns the intake over s. It fails with EINVALID when the
// secret is shorter than 32 bytes.
func NewService(cfg ServiceConfig, s Store) (*Service, error) {
	if len(cfg.Secret) < 32 {
		return nil, tracegate.Invalidf("/secret", "customs: the buyer-key secret must be at least 32 bytes")
	}
	if cfg.MatchTimeout <= 0 {
		cfg.MatchTimeout = DefaultMatchTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	return &Service{store: s, secret: cfg.Secret, timeout: cfg.MatchTimeout, credit: cfg.Credit, clock: cfg.Clock, sigs: cfg.Signatures}, nil
}

// Sender is who submits a message. Role "" is the operator's own import
// (any message type). USCC signs the ledger leaf of decisions whose ebcCode
// is not itself a valid USCC. Codes are the sender's confirmed customs
// codes (tracegate.ConfirmedCodes), looked up once per request or import:
// an enterprise sends only under codes it holds (checkParties).
type Sender struct {
	EnterpriseID int64
	USCC         string
	Role         tracegate.Role
	Codes        []string
}

// senderRoles says which roles may send which message types; a regulator
// and the operator's import may send anything.
var senderRoles = map[string][]tracegate.Role{
	"CEB311Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB621Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB623Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB625Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB411Message": {tracegate.RolePayment},
	"CEB511Message": {tracegate.RoleLogistics},
	"CEB513Message": {tracegate.RoleLogistics},
	"CEB711Message": {tracegate.RoleWarehouse},
}

// IntakeResult is the answer to one message.
type IntakeResult struct {
	GUID string `json:"guid"`
	Type string `json:"type"`
	// Signature is SignatureVerified when the message's ds:Signature
	// verified under a configured certificate, SignatureUnverified
	// otherwise (none configured, or the message is unsigned).
	Signature string           `json:"signature"`
	Documents []DocumentResult `json:"documents"`
}

// DocumentResult is what became of one document of a message.
type DocumentResult struct {
	Kind    string `json:"kind"`
	EbpCode string `json:"ebpCode,omitempty"`
	OrderNo string `json:"orderNo,omitempty"`
	// LogisticsNo is the waybill of a first-line (CEB711) decision.
	LogisticsNo string    `json:"logisticsNo,omitempty"`
	Missing     []DocKind `json:"missing,omitempty"`
	// Decision is set when the declaration's inventory is there.
	Decision *Decision `json:"decision,omitempty"`
	// LedgerIndex is the decision's leaf.
	LedgerIndex *int64 `json:"ledgerIndex,omitempty"`
	// QuotaRestored is the amount a refund or a cancel gave back, in yuan.
	QuotaRestored string `json:"quotaRestored,omitempty"`
	// Note says why nothing was done, when so.
	Note string `json:"note,omitempty"`
	// Receipt is the document's receipt, as XML: CEB312, 412 or 512 for an
	// order, payment or waybill taken (120 海关入库); CEB622 for an
	// inventory decision; CEB624 for a cancel (399 done, 100 refused).
	Receipt string `json:"receipt,omitempty"`
	// DecisionReceipt is the CEB622 of the inventory decision that an
	// order, payment or waybill arriving after the inventory re-ran.
	DecisionReceipt string `json:"decisionReceipt,omitempty"`
}

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

// decide screens rec with the documents it holds, keeps the buyer's quota
// use, stores the decision and appends its ledger leaf.
func (s *Service) decide(ctx context.Context, tx StoreTx, deps ScreeningDeps, rec *DeclarationRecord, senderUSCC string) error {
	docs, err := rec.documents()
	if err != nil {
		return err
	}
	inv := docs.Inventory
	now := tx.Now()
	rec.BuyerKey = BuyerKey(s.secret, inv.Head.BuyerIDType, inv.Head.BuyerIDNumber)
	rec.QuotaYear = quotaYear(inv, now)
	used, err := tx.QuotaUsed(ctx, rec.BuyerKey, rec.QuotaYear, rec.ID)
	if err != nil {
		return err
	}
	if deps.Filings, err = filingsOf(ctx, tx, inv); err != nil {
		return err
	}
	d := Screen(ScreeningInput{Line: SecondLine, Documents: docs, QuotaUsed: used, CTQty: ctQuantities(inv, deps.Tariff),
		MatchTimedOut: rec.State.TimedOut(now, s.timeout)}, deps)
	tablesMissing(&d, deps)
	use := Money(0)
	if d.Status == OutcomePass || d.Status == OutcomeReview {
		if use, err = DutiableValue(inv); err != nil {
			use = 0
		}
	}
	if err := tx.SetQuotaUse(ctx, QuotaRecord{BuyerKey: rec.BuyerKey, Year: rec.QuotaYear, DeclarationID: rec.ID, Value: use, At: now}); err != nil {
		return err
	}
	rec.Decision, rec.DecidedAt = &d, now
	rec.Review = ""
	if d.Status == OutcomeReview {
		rec.Review = ReviewOpen
	}
	if rec.ContentHash, err = decisionHash(d, rec); err != nil {
		return err
	}
	if u, err := tracegate.ValidateUSCC(inv.Head.EbcCode); err == nil {
		rec.USCC = u
	} else if rec.USCC == "" {
		rec.USCC = senderUSCC
	}
	return appendDecision(ctx, tx, &DecisionRecord{DeclarationID: rec.ID, Line: SecondLine, Decision: d, ContentHash: rec.ContentHash,
		GUIDs: rec.GUIDs(), USCC: rec.USCC, DecidedAt: now}, &rec.LedgerIndex)
}

// appendDecision appends the leaf of d (DecisionLeaf) to the ledger and
// stores d with its index, which it also writes to idx.
func appendDecision(ctx context.Context, tx StoreTx, d *DecisionRecord, idx *int64) error {
	leaf, err := DecisionLeaf(d)
	if err != nil {
		return fmt.Errorf("customs: decision leaf: %w", err)
	}
	if d.LedgerIndex, err = tx.AppendLeaf(ctx, leaf); err != nil {
		return err
	}
	*idx = d.LedgerIndex
	return tx.SaveDecision(ctx, d)
}

// GUIDs returns the GUIDs of the messages that brought the declaration's
// order, payment, waybill and inventory, those present, in that order.
func (rec *DeclarationRecord) GUIDs() []string {
	guids := []string{}
	for _, g := range []string{rec.OrderGUID, rec.PaymentGUID, rec.WaybillGUID, rec.InventoryGUID} {
		if g != "" {
			guids = append(guids, g)
		}
	}
	return guids
}

func decisionHash(d Decision, rec *DeclarationRecord) (string, error) {
	return DecisionContentHash(d, rec.GUIDs())
}

// DecisionContentHash returns the content hash of a decision's ledger leaf:
// the ni:///sha-256 (hex) of the compact JSON
// {"decision":<d in the contract shape>,"guids":[…]} with the GUIDs of
// the messages of the documents it was made on (DeclarationRecord.GUIDs).
// It holds no personal data: reasons mask ID numbers, and only the hash
// reaches the ledger. An audit recomputes it from the stored decision. It
// fails only if d cannot be encoded.
func DecisionContentHash(d Decision, guids []string) (string, error) {
	b, err := json.Marshal(struct {
		Decision Decision `json:"decision"`
		GUIDs    []string `json:"guids"`
	}{d, guids})
	if err != nil {
		return "", fmt.Errorf("customs: decision hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]), nil
}

// documents returns the documents rec holds, decoding each stored one
// once; a document received in this process is taken as it was parsed.
func (rec *DeclarationRecord) documents() (Documents, error) {
	d := &rec.decoded
	for _, x := range []struct {
		b       []byte
		missing bool
		decode  func() error
	}{
		{rec.Order, d.Order == nil, func() error { d.Order = new(Order); return json.Unmarshal(rec.Order, d.Order) }},
		{rec.Payment, d.Payment == nil, func() error { d.Payment = new(PaymentHead); return json.Unmarshal(rec.Payment, d.Payment) }},
		{rec.Waybill, d.Waybill == nil, func() error { d.Waybill = new(LogisticsHead); return json.Unmarshal(rec.Waybill, d.Waybill) }},
		{rec.Inventory, d.Inventory == nil, func() error { d.Inventory = new(Inventory); return json.Unmarshal(rec.Inventory, d.Inventory) }},
	} {
		if x.b == nil || !x.missing {
			continue
		}
		if err := x.decode(); err != nil {
			rec.decoded = Documents{}
			return Documents{}, fmt.Errorf("customs: decode stored document: %w", err)
		}
	}
	return *d, nil
}

// DecisionLeaf returns the encoded ledger leaf of a stored decision: kind
// customs-decision, DecisionContentHash(d.Decision, d.GUIDs), d.DecidedAt
// and d.USCC. The intake appends exactly this; an audit re-derives it. It
// fails with EINVALID when d.USCC is not a valid USCC.
func DecisionLeaf(d *DecisionRecord) ([]byte, error) {
	hash, err := DecisionContentHash(d.Decision, d.GUIDs)
	if err != nil {
		return nil, err
	}
	return (&ledger.Leaf{Kind: ledger.KindCustomsDecision, ContentHash: hash, Time: d.DecidedAt, USCC: d.USCC}).Encode()
}
