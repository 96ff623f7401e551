package credit

import (
	"time"
)

// Kind is a kind of entry in an enterprise's record.
type Kind string

// The kinds of entry, one per source of the record. Each comes from a
// record tracegate keeps; its Ref names that record.
const (
	// KindCustomsRefused is a customs decision refused by the screening
	// rules (ref customs-decision:ID); a refusal only by rule credit does
	// not count, or the level would feed itself.
	KindCustomsRefused Kind = "customs_refused"
	// KindReviewRefused is a manual review refused by an officer
	// (ref customs-decision:ID).
	KindReviewRefused Kind = "review_refused"
	// KindFilingRejected is a product filing rejected by the regulator
	// (ref product:ID).
	KindFilingRejected Kind = "filing_rejected"
	// KindGoodsHold is a recall or stop-sale on the enterprise's goods
	// (ref hold:ID).
	KindGoodsHold Kind = "goods_hold"
	// KindLabelCopy is a label of the enterprise whose scans are judged a
	// suspected copy (label.Assess; ref label:<hash prefix>).
	KindLabelCopy Kind = "label_copy"
	// KindComplaintSubstantiated is a consumer complaint about one of the
	// enterprise's products (the filer of the scanned label's product, the
	// complaint's owner) that a regulator substantiated, dated when it was
	// (ref complaint:ID); it stays an entry once the complaint is closed. A
	// complaint with no owner (not a genuine, bound code) is none: a GTIN
	// alone can be printed on a copy.
	KindComplaintSubstantiated Kind = "complaint_substantiated"
	// KindMisdeclaration is a barcode-analytics finding (package risk)
	// that holds the enterprise to have misdeclared: its declarations of a
	// GTIN under another HS code, at an under-declared price, with another
	// specification or unit, of goods with no approved filing, or of goods
	// another enterprise filed (ref risk-finding:<key>), dated by the
	// latest declaration involved. The weak prefix_origin finding is none.
	// The entry lasts as long as the finding: a run that no longer finds
	// it removes it.
	KindMisdeclaration Kind = "misdeclaration"
	// KindMeasureLate is a measure the enterprise owned (had to carry out)
	// and completed after its deadline (ref measure:ID), dated when it was
	// completed; it stays once the measure is verified.
	KindMeasureLate Kind = "measure_late"
	// KindInspectionFailed is a failed inspection of the enterprise's
	// goods, stated by a regulator or an accredited lab: an EPCIS event
	// with disposition non_conformant recorded by an enterprise with role
	// regulator or lab (ref epcis-event:<eventID>), or a failed lab result
	// (ref lab-result:ID); dated when the goods were inspected. The goods
	// are the enterprise's when it filed their product: for a label, the
	// filing it is bound to; for a lot, the filings its intakes bound it
	// to (every filer of the GTIN when no intake holds the lot); for a
	// GTIN or one of its serials, every filer of the GTIN. The same
	// statement by an enterprise without either role is none (who may
	// state an inspection, label/trust.go).
	KindInspectionFailed Kind = "inspection_failed"
)

// Kinds lists the kinds of entry in a stable order.
var Kinds = []Kind{KindCustomsRefused, KindReviewRefused, KindFilingRejected, KindGoodsHold, KindLabelCopy, KindComplaintSubstantiated, KindMisdeclaration, KindMeasureLate, KindInspectionFailed}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Fact is one entry as a source yields it: its kind, date and the record
// it comes from.
type Fact struct {
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"`
	Ref  string    `json:"ref"`
}

// Entry is a Fact with the points it scores now.
type Entry struct {
	Kind   Kind      `json:"kind"`
	At     time.Time `json:"at"`
	Points float64   `json:"points"`
	Ref    string    `json:"ref"`
	// Appeal is the latest appeal against the entry, if any; an upheld
	// appeal makes the entry score 0.
	Appeal *Appeal `json:"appeal,omitempty"`
}

// Recognition is a level recognised by another agency (信用等级互认),
// imported as data.
type Recognition struct {
	ID     int64     `json:"id"`
	USCC   string    `json:"uscc"`
	Agency string    `json:"agency"`
	Level  int       `json:"level"`
	At     time.Time `json:"at"`
	Source string    `json:"source"` // the agency's document (number or URL)
}

// AppealStatus is where an appeal stands.
type AppealStatus string

// Appeal statuses.
const (
	AppealOpen      AppealStatus = "open"
	AppealUpheld    AppealStatus = "upheld"    // the entry stops counting
	AppealDismissed AppealStatus = "dismissed" // the entry counts
)

// Appeal is an enterprise's note against one entry of its record, and the
// regulator's resolution.
type Appeal struct {
	ID         int64        `json:"id"`
	USCC       string       `json:"uscc"`
	Ref        string       `json:"ref"`
	Note       string       `json:"note"`
	Status     AppealStatus `json:"status"`
	Resolution string       `json:"resolution,omitempty"`
	FiledAt    time.Time    `json:"filedAt"`
	ResolvedAt *time.Time   `json:"resolvedAt,omitempty"`
}

// Change is one level change of an enterprise, with its reasons; each is a
// ledger leaf of kind credit-level.
type Change struct {
	USCC    string    `json:"uscc"`
	Level   int       `json:"level"`
	Prev    int       `json:"prev"` // 0 for the first grading
	Score   float64   `json:"score"`
	Reasons []string  `json:"reasons"`
	At      time.Time `json:"at"`
	// LedgerIndex is the index of its leaf.
	LedgerIndex int64 `json:"ledgerIndex"`
}

// Record is what the store knows of one enterprise for grading.
type Record struct {
	EnterpriseID int64
	USCC         string
	Name         string
	Facts        []Fact
	Recognitions []Recognition
	Appeals      []Appeal
	// Level and Score are the stored grading (Level 0: never graded), Since
	// when the level was reached.
	Level int
	Score float64
	Since time.Time
	// History is the level changes, oldest first.
	History []Change
}
