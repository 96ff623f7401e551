package customs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"tracegate"
	"tracegate/ledger"
)

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
	if err := appendDecision(ctx, tx, &DecisionRecord{DeclarationID: rec.ID, Line: SecondLine, Decision: d, ContentHash: rec.ContentHash,
		GUIDs: rec.GUIDs(), USCC: rec.USCC, DecidedAt: now}, &rec.LedgerIndex); err != nil {
		return err
	}
	return tx.SaveDeclaredLines(ctx, rec.ID, rec.LedgerIndex, rec.USCC, DeclaredLines(inv, now))
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
