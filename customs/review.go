package customs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// Officer is the regulator's officer who resolves a manual review: the
// principal of the request.
type Officer struct {
	EnterpriseID int64
	USCC         string
	KeyID        int64
}

// ReviewResolution is what an officer decides on an open review.
type ReviewResolution struct {
	Decision Outcome `json:"decision"` // OutcomePass or OutcomeRefuse
	Reason   string  `json:"reason"`   // required to refuse; at most 1000 characters
}

// ResolvedReview is the answer to ResolveReview.
type ResolvedReview struct {
	ID          int64    `json:"id"`
	EbpCode     string   `json:"ebpCode"`
	OrderNo     string   `json:"orderNo"`
	Decision    Decision `json:"decision"`
	LedgerIndex int64    `json:"ledgerIndex"`
	// Receipt is the CEB622 of the new decision (800 放行 or 100 海关退单).
	Receipt string `json:"receipt"`
}

// maxReviewReason bounds an officer's reason, in characters.
const maxReviewReason = 1000

// ResolveReview records an officer's decision on the open manual review
// of declaration id: pass or refuse, with the reason (required to
// refuse). In one transaction under the ledger's sequencer it stores the
// new decision — the screening's reasons, a "review" reason with the
// officer's outcome, and Officer (who, when, how, why) — with its leaf of
// kind customs-decision, closes the review and, on a refusal, stops the
// declaration from counting against the buyer's annual quota. It fails
// with EINVALID for another decision or a missing or over-long reason, with
// ENOTFOUND for an unknown declaration, and with ECONFLICT when the
// declaration has no open review (resolved already, re-screened or
// cancelled).
func (s *Service) ResolveReview(ctx context.Context, id int64, by Officer, res ReviewResolution) (*ResolvedReview, error) {
	res.Reason = strings.TrimSpace(res.Reason)
	switch {
	case res.Decision != OutcomePass && res.Decision != OutcomeRefuse:
		return nil, tracegate.Invalidf("/decision", "decision %q is neither pass nor refuse", res.Decision)
	case res.Decision == OutcomeRefuse && res.Reason == "":
		return nil, tracegate.Invalidf("/reason", "a refusal needs a reason")
	case utf8.RuneCountInString(res.Reason) > maxReviewReason:
		return nil, tracegate.Invalidf("/reason", "the reason is longer than %d characters", maxReviewReason)
	}
	var out *ResolvedReview
	err := s.store.CustomsUpdate(ctx, func(tx StoreTx) error {
		rec, err := tx.DeclarationByID(ctx, id)
		if err != nil {
			return err
		}
		if rec.Review != ReviewOpen || rec.Decision == nil || rec.Decision.Status != OutcomeReview {
			status := Outcome("none")
			if rec.Decision != nil {
				status = rec.Decision.Status
			}
			return tracegate.Errorf(tracegate.ECONFLICT, "declaration %d has no open review: its decision is %s", id, status)
		}
		now := tx.Now()
		d := *rec.Decision
		d.Reasons = slices.Clone(d.Reasons)
		msg := "officer decision: " + string(res.Decision)
		if res.Reason != "" {
			msg += ": " + res.Reason
		}
		d.add(Reason{Rule: RuleReview, Message: msg, Outcome: res.Decision})
		d.Status = res.Decision // a pass decided by the officer lowers the screening's review
		d.Officer = &OfficerDecision{EnterpriseID: by.EnterpriseID, USCC: by.USCC, KeyID: by.KeyID, At: now.UTC(),
			Decision: res.Decision, Reason: res.Reason}
		if d.Status == OutcomeRefuse {
			d.Tax = DecisionTax{}
			// A refused declaration does not count against the quota.
			if err := tx.SetQuotaUse(ctx, QuotaRecord{BuyerKey: rec.BuyerKey, Year: rec.QuotaYear, DeclarationID: rec.ID, At: now}); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, rec, d, rec.GUIDs()); err != nil {
			return err
		}
		receipt, err := inventoryReceipt(rec, now)
		if err != nil {
			return err
		}
		out = &ResolvedReview{ID: rec.ID, EbpCode: rec.State.EbpCode, OrderNo: rec.State.OrderNo, Decision: d,
			LedgerIndex: rec.LedgerIndex, Receipt: receipt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// record makes d the latest decision of rec, made on the documents of the
// messages guids: it appends its ledger leaf, stores it in the history,
// closes any review and saves rec.
func (s *Service) record(ctx context.Context, tx StoreTx, rec *DeclarationRecord, d Decision, guids []string) error {
	now := tx.Now()
	hash, err := DecisionContentHash(d, guids)
	if err != nil {
		return err
	}
	if rec.USCC == "" {
		return fmt.Errorf("customs: declaration %d names no enterprise for its ledger leaf", rec.ID)
	}
	rec.Decision, rec.DecidedAt, rec.ContentHash, rec.Review = &d, now, hash, ""
	if err := appendDecision(ctx, tx, &DecisionRecord{DeclarationID: rec.ID, Line: SecondLine, Decision: d, ContentHash: hash,
		GUIDs: guids, USCC: rec.USCC, DecidedAt: now}, &rec.LedgerIndex); err != nil {
		return err
	}
	return tx.SaveDeclaration(ctx, rec)
}
