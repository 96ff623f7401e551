package customs

import (
	"encoding/json"
	"time"

	"tracegate"
)

// Outcome is the verdict of a screening, or of one of its reasons.
type Outcome string

// Outcomes, from mildest to most severe as Screen combines them: a decision
// takes the most severe outcome among its reasons, ranked
//
//	refuse > waiting > review > pass
//
// so a missing partner document (waiting) dominates a manual review, since
// the match is re-run when the document arrives and the officer would
// otherwise review an incomplete declaration; it never hides a refusal,
// because a refusal found on the documents present stands whatever arrives.
const (
	OutcomePass    Outcome = "pass"
	OutcomeReview  Outcome = "review"  // manual review (人工审核)
	OutcomeWaiting Outcome = "waiting" // a partner document has not arrived yet
	OutcomeRefuse  Outcome = "refuse"
	// OutcomeCancelled is the status of a declaration whose inventory was
	// cancelled (撤单, CEB623). No screening produces it, and no reason
	// outcome is cancelled but the cancel's own.
	OutcomeCancelled Outcome = "cancelled"
)

// rank orders outcomes by severity; unknown outcomes rank as review.
func (o Outcome) rank() int {
	switch o {
	case OutcomePass:
		return 0
	case OutcomeWaiting:
		return 2
	case OutcomeRefuse:
		return 3
	}
	return 1
}

// Rule identifiers of screening, beside the three_docs.* and limit.* rules
// of threedocs.go. They are stable: clients switch on them.
const (
	RulePositiveList = "positive_list"      // the 8-digit line is on the list in force and allows the trade mode
	RuleProhibited   = "prohibited"         // the gcode falls in a prohibited category
	RuleBarcodeRisk  = "barcode_risk"       // the GTIN carries risk tags in the barcode library
	RuleHSRisk       = "hs_risk"            // the HS code carries risk tags
	RuleFiling       = "filing_missing"     // the item has a product filing (备案)
	RuleCredit       = "credit"             // the enterprise's credit level
	RuleMissing      = "three_docs.missing" // a partner document has not arrived (waiting)
	RuleTimeout      = "three_docs.timeout" // a partner document did not arrive in time
	RuleTax          = "tax"                // the tax could not be computed (no rate, no CT quantity)
	RuleDeclaration  = "declaration"        // the declaration itself is unusable (bad amounts, no goods, no date)
	RuleReview       = "review"             // an officer's decision on a manual review (ResolveReview)
	RuleCancel       = "cancel"             // the inventory was cancelled (CEB623)
)

// Reason is one finding of a screening that the officer or the declarant
// should see. Line is the goods line's gnum, 0 for the whole declaration.
// Messages never contain a buyer's ID number unmasked.
type Reason struct {
	Rule    string  `json:"rule"`
	Message string  `json:"message"`
	Line    int     `json:"line,omitempty"`
	Outcome Outcome `json:"outcome"`
}

// DecisionTax is the tax of a declaration in fen. In JSON every amount is a string
// in yuan with two decimals ("0.00"), as the API contract requires.
type DecisionTax struct {
	Customs     Money // 关税 (0 within the retail limits)
	VAT         Money // 增值税
	Consumption Money // 消费税
	Total       Money // Customs + VAT + Consumption
}

type taxJSON struct {
	Customs     string `json:"customs"`
	VAT         string `json:"vat"`
	Consumption string `json:"consumption"`
	Total       string `json:"total"`
}

// MarshalJSON writes t as {"customs":"0.00","vat":…,"consumption":…,"total":…}.
func (t DecisionTax) MarshalJSON() ([]byte, error) {
	return json.Marshal(taxJSON{t.Customs.String(), t.VAT.String(), t.Consumption.String(), t.Total.String()})
}

// UnmarshalJSON reads what MarshalJSON writes. It fails with EINVALID when
// an amount is missing or is not a decimal of whole fen.
func (t *DecisionTax) UnmarshalJSON(data []byte) error {
	var j taxJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return tracegate.Invalidf("/tax", "tax: %v", err)
	}
	var out DecisionTax
	for _, f := range []struct {
		name, s string
		m       *Money
	}{{"customs", j.Customs, &out.Customs}, {"vat", j.VAT, &out.VAT}, {"consumption", j.Consumption, &out.Consumption}, {"total", j.Total, &out.Total}} {
		m, err := ParseMoney(f.s)
		if err != nil {
			return tracegate.Invalidf("/tax/"+f.name, "%s", tracegate.ErrorMessage(err))
		}
		*f.m = m
	}
	*t = out
	return nil
}

// Decision is the result of Screen: what the regulator answers for one
// declaration. It is a plain value; persist it as its JSON, which is the
// contract shape
//
//	{"status":"pass|review|refuse|waiting","reasons":[{"rule":…,"message":…}],
//	 "tax":{"customs":"0.00","vat":…,"consumption":…,"total":…}}
//
// with two additive fields per reason: "outcome" (what that reason alone
// would decide) and "line" (the gnum, omitted for the whole declaration),
// and one additive member, "officer", on a decision an officer made on a
// manual review (ResolveReview). Beside the screening outcomes, the status
// of a stored decision may be "cancelled" after a CEB623 (撤单). Reasons is
// [] rather than null when empty. Tax is zero unless the status is pass or
// review on the second line with a tariff given.
type Decision struct {
	Status  Outcome     `json:"status"`
	Reasons []Reason    `json:"reasons"`
	Tax     DecisionTax `json:"tax"`
	// Officer is the officer's resolution of a manual review, on the
	// decision that resolution produced; nil otherwise. It is hashed into
	// the decision's ledger leaf with the rest of the JSON.
	Officer *OfficerDecision `json:"officer,omitempty"`
	// Mode is how the declaration is taxed (retail, or full under the
	// single-item exception), as the limits decided; meaningful only when
	// Status is pass or review. Not part of the JSON contract.
	Mode TaxMode `json:"-"`
}

// MarshalJSON writes d in the contract shape; a nil Reasons is written [].
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	if d.Reasons == nil {
		d.Reasons = []Reason{}
	}
	return json.Marshal(plain(d))
}

// OfficerDecision records who resolved a manual review, when, how and why.
type OfficerDecision struct {
	EnterpriseID int64     `json:"enterpriseId"` // the regulator's enterprise
	USCC         string    `json:"uscc"`         // its USCC
	KeyID        int64     `json:"keyId"`        // the API key the officer used
	At           time.Time `json:"at"`
	Decision     Outcome   `json:"decision"` // pass or refuse
	Reason       string    `json:"reason,omitempty"`
}

// Refused reports whether d refuses the declaration.
func (d *Decision) Refused() bool { return d.Status == OutcomeRefuse }

// add appends a reason and raises the status to its outcome if more severe.
func (d *Decision) add(r Reason) {
	d.Reasons = append(d.Reasons, r)
	if r.Outcome.rank() > d.Status.rank() {
		d.Status = r.Outcome
	}
}
