package customs

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"tracegate"
)

// LoadTable checks a table CSV of kind (TableKinds) with its parser and
// stores it as the new version in force. Columns are those of
// ParsePositiveList, ParseTariffCSV and ParseProhibitedCSV; the risk tables
// are gtin,tag,severity,note (barcode-risk) and hs_prefix,tag,severity,note
// (hs-risk). It fails with EINVALID naming the line and column of the first
// problem, or an unknown kind; nothing is stored then.
func (s *Service) LoadTable(ctx context.Context, kind string, data []byte) (*TableVersion, error) {
	n, err := parseTable(kind, data)
	if err != nil {
		return nil, err
	}
	t := &TableVersion{Kind: kind, Rows: n, CSV: string(data)}
	if err := s.store.SaveCustomsTable(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// parsedTables holds the parsed form of each kind.
type parsedTables struct {
	pl         *PositiveList
	tariff     *Tariff
	prohibited ProhibitedList
	barcodes   BarcodeRiskTable
	hs         HSRiskTable
}

func parseTable(kind string, data []byte) (int, error) {
	var pt parsedTables
	return pt.parse(kind, data)
}

func (pt *parsedTables) parse(kind string, data []byte) (int, error) {
	r := bytes.NewReader(data)
	switch kind {
	case TablePositiveList:
		es, err := ParsePositiveList(r)
		if err != nil {
			return 0, err
		}
		pt.pl, err = NewPositiveList(es)
		return len(es), err
	case TableTariff:
		rates, err := ParseTariffCSV(r)
		if err != nil {
			return 0, err
		}
		pt.tariff, err = NewTariff(rates)
		return len(rates), err
	case TableProhibited:
		p, err := ParseProhibitedCSV(r)
		pt.prohibited = p
		return len(p), err
	case TableBarcodeRisk, TableHSRisk:
		tags, n, err := parseRiskCSV(r, map[string]string{TableBarcodeRisk: "gtin", TableHSRisk: "hs_prefix"}[kind])
		if kind == TableBarcodeRisk {
			pt.barcodes = BarcodeRiskTable(tags)
		} else {
			pt.hs = HSRiskTable(tags)
		}
		return n, err
	}
	return 0, tracegate.Invalidf("/kind", "unknown table kind %q: want one of %s", kind, strings.Join(TableKinds, ", "))
}

// parseRiskCSV reads key,tag,severity,note rows into tags by key.
func parseRiskCSV(r io.Reader, keyCol string) (map[string][]RiskTag, int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 4
	head, err := cr.Read()
	if err != nil {
		return nil, 0, tracegate.Invalidf("/line/1", "risk table: no header %s,tag,severity,note", keyCol)
	}
	if strings.Join(head, ",") != keyCol+",tag,severity,note" {
		return nil, 0, tracegate.Invalidf("/line/1", "risk table: header is %q, want %s,tag,severity,note", strings.Join(head, ","), keyCol)
	}
	out := map[string][]RiskTag{}
	n := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d", line), "risk table: %v", err)
		}
		key := strings.TrimSpace(rec[0])
		if key == "" || strings.Trim(key, "0123456789") != "" || len(key) < 2 || len(key) > 14 {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/%s", line, keyCol), "risk table: %s %q is not 2 to 14 digits", keyCol, key)
		}
		if keyCol == "gtin" {
			if key = gtin14(key); key == "" {
				return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/gtin", line), "risk table: gtin %q is not a GTIN-8, -12, -13 or -14 with its check digit", strings.TrimSpace(rec[0]))
			}
		}
		sev := Severity(strings.TrimSpace(rec[2]))
		if sev != SeverityNotice && sev != SeverityWarning && sev != SeverityBlock {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/severity", line), "risk table: severity %q is not notice, warning or block", sev)
		}
		if strings.TrimSpace(rec[1]) == "" {
			return nil, 0, tracegate.Invalidf(fmt.Sprintf("/line/%d/tag", line), "risk table: tag is required")
		}
		out[key] = append(out[key], RiskTag{Tag: strings.TrimSpace(rec[1]), Severity: sev, Note: strings.TrimSpace(rec[3])})
		n++
	}
	if n == 0 {
		return nil, 0, tracegate.Invalidf("/line/2", "risk table: no rows")
	}
	return out, n, nil
}

// barcodeLookup pads the GTIN before looking it up.
type barcodeLookup BarcodeRiskTable

func (t barcodeLookup) BarcodeRisk(gtin string) []RiskTag { return t[gtin14(gtin)] }

// screeningDeps returns the deps of the tables in force, re-reading them
// only when a new version was loaded.
func (s *Service) screeningDeps(ctx context.Context, tx StoreTx) (ScreeningDeps, error) {
	ids, err := tx.TableIDs(ctx)
	if err != nil {
		return ScreeningDeps{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tabIDs != nil && equalIDs(ids, s.tabIDs) {
		return s.deps, nil
	}
	tables, err := s.store.CustomsTables(ctx)
	if err != nil {
		return ScreeningDeps{}, err
	}
	var pt parsedTables
	got := map[string]int64{}
	for _, t := range tables {
		if _, err := pt.parse(t.Kind, []byte(t.CSV)); err != nil {
			return ScreeningDeps{}, fmt.Errorf("customs: stored %s table %d: %w", t.Kind, t.ID, err)
		}
		got[t.Kind] = t.ID
	}
	deps := ScreeningDeps{PositiveList: pt.pl, Tariff: pt.tariff, Prohibited: pt.prohibited,
		Barcodes: barcodeLookup(pt.barcodes), HSRisk: pt.hs, Credit: s.credit}
	if pt.hs == nil {
		deps.HSRisk = HSRiskTable{}
	}
	if s.credit == nil {
		deps.Credit = nil // an interface holding a nil would fake a level
	}
	if equalIDs(got, ids) {
		s.tabIDs, s.deps = got, deps
	}
	return deps, nil
}

func equalIDs(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// tablesMissing reviews a decision screened without a positive list,
// prohibited table or tariff: a nil table skips its rule, which must not
// pass goods silently.
func tablesMissing(d *Decision, deps ScreeningDeps) {
	if d.Status == OutcomeRefuse || d.Status == OutcomeWaiting {
		return
	}
	for _, m := range []struct {
		missing bool
		kind    string
	}{{deps.PositiveList == nil, TablePositiveList}, {deps.Prohibited == nil, TableProhibited}, {deps.Tariff == nil, TableTariff}} {
		if m.missing {
			d.add(Reason{Rule: RuleDeclaration, Message: "no " + m.kind + " table is loaded; the regulator must load one", Outcome: OutcomeReview})
		}
	}
}

// refund gives quota back for a CEB625: the refunded lines' share of their
// totalPrice (qty refunded / qty declared), capped by what is still used.
func (p *process) refund(ctx context.Context, r *InvtRefund) (DocumentResult, error) {
	h := r.Head
	res := DocumentResult{Kind: "refund", EbpCode: h.EbpCode, OrderNo: h.OrderNo}
	rec, err := p.tx.FindDeclaration(ctx, MatchKey{EbpCode: strings.TrimSpace(h.EbpCode), OrderNo: strings.TrimSpace(h.OrderNo)})
	if err == nil {
		// Only the declarant refunds; anyone else is answered as if the
		// order were unknown.
		if ok, derr := p.declarantOf(rec); derr != nil {
			return res, derr
		} else if !ok {
			err = tracegate.Errorf(tracegate.ENOTFOUND, "not the declarant")
		}
	}
	if err != nil {
		if tracegate.IsCode(err, tracegate.ENOTFOUND) {
			res.QuotaRestored = "0.00"
			res.Note = "no declaration of this order is known here: no quota restored"
			return res, nil
		}
		return res, err
	}
	docs, err := rec.documents()
	if err != nil {
		return res, err
	}
	if docs.Inventory == nil || rec.BuyerKey == "" {
		return res, tracegate.Invalidf("/InvtRefundHead/orderNo", "order %q has no inventory to refund", h.OrderNo)
	}
	var amount Money
	for i, l := range r.Lines {
		var line *InventoryList
		for j := range docs.Inventory.Lines {
			if strings.TrimSpace(docs.Inventory.Lines[j].Gnum) == strings.TrimSpace(l.Gnum) {
				line = &docs.Inventory.Lines[j]
			}
		}
		ptr := fmt.Sprintf("/InvtRefundList[%d]", i+1)
		if line == nil {
			return res, tracegate.Invalidf(ptr+"/gnum", "the inventory has no line %q", l.Gnum)
		}
		total, err1 := ParseMoney(line.TotalPrice)
		qty, err2 := ParseMoney(line.Qty)
		back, err3 := ParseMoney(l.Qty)
		if err := errors.Join(err1, err2, err3); err != nil || qty <= 0 || back < 0 {
			return res, tracegate.Invalidf(ptr+"/qty", "refund qty %q is not a decimal of at most 2 places within the declared %q", l.Qty, line.Qty)
		}
		share := new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(int64(min(back, qty))))
		amount += Money(share.Quo(share, big.NewInt(int64(qty))).Int64())
	}
	used, refunded, err := p.quotaOf(ctx, rec)
	if err != nil {
		return res, err
	}
	var goods Money
	for _, l := range docs.Inventory.Lines {
		if v, err := ParseMoney(l.TotalPrice); err == nil {
			goods += v
		}
	}
	// Goods refunded once are not refunded again.
	back, err := p.giveQuotaBack(ctx, rec, used, min(amount, max(goods-refunded, 0)))
	res.QuotaRestored = back.String()
	return res, err
}

// quotaOf sums the quota records of a declaration: what it still uses
// (refunds are negative records) and what was refunded so far.
func (p *process) quotaOf(ctx context.Context, rec *DeclarationRecord) (used, refunded Money, err error) {
	uses, err := p.tx.QuotaUses(ctx, rec.ID)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range uses {
		used += u.Value
		if u.Value < 0 {
			refunded -= u.Value
		}
	}
	return used, refunded, nil
}

// giveQuotaBack records a refund of amount, at most what the declaration
// still uses (used), in the year of the use, and returns what was given
// back.
func (p *process) giveQuotaBack(ctx context.Context, rec *DeclarationRecord, used, amount Money) (Money, error) {
	back := QuotaUse{Time: rec.DecidedAt, Value: max(used, 0)}.Refund(amount)
	if back.Value != 0 {
		if err := p.tx.AddQuotaRefund(ctx, QuotaRecord{BuyerKey: rec.BuyerKey, Year: rec.QuotaYear, DeclarationID: rec.ID, Value: back.Value, At: p.now}); err != nil {
			return 0, err
		}
	}
	return -back.Value, nil
}

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

// InventoryDecision returns the decision of the declaration of (ebpCode,
// orderNo): the latest stored one, or, before the inventory arrived,
// a waiting (or, past the match timeout, refused) decision naming the
// missing documents, which is not stored. It fails with ENOTFOUND when no
// document of the order arrived.
func (s *Service) InventoryDecision(ctx context.Context, ebpCode, orderNo string, now time.Time) (*DeclarationRecord, Decision, error) {
	rec, err := s.store.FindCustomsDeclaration(ctx, strings.TrimSpace(ebpCode), strings.TrimSpace(orderNo))
	if err != nil {
		return nil, Decision{}, err
	}
	if rec.Decision != nil {
		return rec, *rec.Decision, nil
	}
	docs, err := rec.documents()
	if err != nil {
		return nil, Decision{}, err
	}
	d := Screen(ScreeningInput{Line: SecondLine, Documents: docs, MatchTimedOut: rec.State.TimedOut(now, s.timeout)}, ScreeningDeps{})
	return rec, d, nil
}

// Review is one entry of the regulator's manual-review queue.
type Review struct {
	// ID is the declaration's, which POST /api/customs/reviews/{id}
	// (ResolveReview) takes.
	ID          int64     `json:"id"`
	EbpCode     string    `json:"ebpCode"`
	OrderNo     string    `json:"orderNo"`
	LogisticsNo string    `json:"logisticsNo,omitempty"`
	Buyer       string    `json:"buyer"` // masked ID number
	DecidedAt   time.Time `json:"decidedAt"`
	LedgerIndex int64     `json:"ledgerIndex"`
	Decision    Decision  `json:"decision"`
}

// Reviews returns the open manual reviews, oldest first.
func (s *Service) Reviews(ctx context.Context, limit int) ([]Review, error) {
	recs, err := s.store.CustomsReviews(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Review, 0, len(recs))
	for _, r := range recs {
		var inv Inventory
		if err := json.Unmarshal(r.Inventory, &inv); err != nil {
			return nil, fmt.Errorf("customs: decode inventory: %w", err)
		}
		out = append(out, Review{ID: r.ID, EbpCode: r.State.EbpCode, OrderNo: r.State.OrderNo, LogisticsNo: r.State.LogisticsNo,
			Buyer: MaskID(inv.Head.BuyerIDNumber), DecidedAt: r.DecidedAt, LedgerIndex: r.LedgerIndex, Decision: *r.Decision})
	}
	return out, nil
}

// Sweep re-screens the waiting declarations whose match timed out at now,
// so that they are refused (three_docs.timeout) and the refusal is in the
// ledger. It returns how many it re-screened; a declaration that fails is
// skipped and its error joined to the others returned.
func (s *Service) Sweep(ctx context.Context, now time.Time, from Sender) (int, error) {
	recs, err := s.store.CustomsWaiting(ctx, now.Add(-s.timeout), 1000)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, r := range recs {
		err := s.store.CustomsUpdate(ctx, func(tx StoreTx) error {
			rec, err := tx.FindDeclaration(ctx, r.State.keyOf())
			if err != nil {
				return err
			}
			if rec.Inventory == nil || rec.Decision == nil || rec.Decision.Status != OutcomeWaiting || !rec.State.TimedOut(tx.Now(), s.timeout) {
				return nil
			}
			deps, err := s.screeningDeps(ctx, tx)
			if err != nil {
				return err
			}
			if err := s.decide(ctx, tx, deps, rec, from.USCC); err != nil {
				return err
			}
			n++
			return tx.SaveDeclaration(ctx, rec)
		})
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

func (s *MatchState) keyOf() MatchKey {
	return MatchKey{EbpCode: s.EbpCode, OrderNo: s.OrderNo, LogisticsCode: s.LogisticsCode, LogisticsNo: s.LogisticsNo}
}

// AddEarlierQuota records value as an earlier use of the annual quota by
// the buyer with idType and idNumber, counted in the calendar year of at
// (China Standard Time): uses from before this system, or from elsewhere.
// Only the BuyerKey is stored.
func (s *Service) AddEarlierQuota(ctx context.Context, idType, idNumber string, at time.Time, value Money) error {
	return s.store.AddQuotaUses(ctx, []QuotaRecord{{BuyerKey: BuyerKey(s.secret, idType, idNumber),
		Year: at.In(chinaTime).Year(), Value: value, At: at}})
}
