package credit

import (
	"encoding/json"
	"strconv"
	"time"

	"tracegate/customs"
)

// The stores read one source per Kind; these helpers turn a source's row
// into a Fact, so the judgement stays here and every store makes the same.

// DecisionFact classifies a stored customs decision (the latest of its
// declaration) that was refused: review_refused when an officer refused it
// on manual review (a "review" reason refusing), customs_refused when a
// screening rule other than credit refused it, and no fact when only the
// credit rule refused it (the level must not feed itself) or the decision
// does not decode.
func DecisionFact(id int64, decision []byte, at time.Time) (Fact, bool) {
	var d struct {
		Status  customs.Outcome `json:"status"`
		Reasons []struct {
			Rule    string          `json:"rule"`
			Outcome customs.Outcome `json:"outcome"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal(decision, &d); err != nil || d.Status != customs.OutcomeRefuse {
		return Fact{}, false
	}
	ref := "customs-decision:" + strconv.FormatInt(id, 10)
	byRule := false
	for _, r := range d.Reasons {
		if r.Outcome != customs.OutcomeRefuse {
			continue
		}
		if r.Rule == customs.RuleReview {
			return Fact{Kind: KindReviewRefused, At: at, Ref: ref}, true
		}
		if r.Rule != customs.RuleCredit {
			byRule = true
		}
	}
	if !byRule {
		return Fact{}, false
	}
	return Fact{Kind: KindCustomsRefused, At: at, Ref: ref}, true
}

// FilingFact is the fact of a product filing rejected by the regulator.
func FilingFact(productID int64, at time.Time) Fact {
	return Fact{Kind: KindFilingRejected, At: at, Ref: "product:" + strconv.FormatInt(productID, 10)}
}

// HoldFact is the fact of a recall or stop-sale on the enterprise's goods.
func HoldFact(holdID int64, since time.Time) Fact {
	return Fact{Kind: KindGoodsHold, At: since, Ref: "hold:" + strconv.FormatInt(holdID, 10)}
}

// ComplaintFact is the fact of a consumer complaint substantiated by a
// regulator at at.
func ComplaintFact(complaintID int64, at time.Time) Fact {
	return Fact{Kind: KindComplaintSubstantiated, At: at, Ref: "complaint:" + strconv.FormatInt(complaintID, 10)}
}

// MisdeclarationFact is the fact of a barcode-analytics finding (its stable
// key) holding the enterprise to have misdeclared, dated by the latest
// declaration it involves.
func MisdeclarationFact(findingKey string, at time.Time) Fact {
	return Fact{Kind: KindMisdeclaration, At: at, Ref: "risk-finding:" + findingKey}
}

// MeasureLateFact is the fact of a measure the enterprise owned and
// completed at completedAt, after its deadline.
func MeasureLateFact(measureID string, completedAt time.Time) Fact {
	return Fact{Kind: KindMeasureLate, At: completedAt, Ref: "measure:" + measureID}
}

// InspectionFact is the fact of the EPCIS event eventID, recorded by a
// regulator or a lab, finding the enterprise's goods non-conformant at at.
func InspectionFact(eventID string, at time.Time) Fact {
	return Fact{Kind: KindInspectionFailed, At: at, Ref: "epcis-event:" + eventID}
}
