package risk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"tracegate"
	"tracegate/ledger"
)

// WarningStatus is where a warning stands.
type WarningStatus string

// The warning statuses: open until a regulator confirms it (a draft
// measure is made) or dismisses it with a reason.
const (
	WarningOpen      WarningStatus = "open"
	WarningConfirmed WarningStatus = "confirmed"
	WarningDismissed WarningStatus = "dismissed"
)

// WarningStatuses lists the statuses.
var WarningStatuses = []WarningStatus{WarningOpen, WarningConfirmed, WarningDismissed}

// Warning is a subject that crossed into notice or above, for the
// regulator to confirm or dismiss.
type Warning struct {
	ID      int64         `json:"id"`
	Subject Subject       `json:"subject"`
	Level   Level         `json:"level"`
	Score   float64       `json:"score"` // when opened or last raised
	Status  WarningStatus `json:"status"`
	// Signals are the signals that opened and raised it.
	Signals   []int64    `json:"signals"`
	OpenedAt  time.Time  `json:"openedAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	Reason    string     `json:"reason,omitempty"`    // the dismissal's, or the confirmation's note
	Measure   string     `json:"measure,omitempty"`   // the draft measure made on confirmation
	DecidedBy string     `json:"decidedBy,omitempty"` // USCC of the regulator
	DecidedAt *time.Time `json:"decidedAt,omitempty"`
	// History is every step, oldest first, each a ledger leaf.
	History []WarningEvent `json:"history,omitempty"`
}

// WarningAction is a step of a warning.
type WarningAction string

// The steps.
const (
	ActionOpened    WarningAction = "opened"
	ActionRaised    WarningAction = "raised"
	ActionConfirmed WarningAction = "confirmed"
	ActionDismissed WarningAction = "dismissed"
)

// WarningEvent is one step of a warning, committed to the ledger as a leaf
// of kind risk-warning.
type WarningEvent struct {
	Warning int64         `json:"warning"`
	Action  WarningAction `json:"action"`
	Subject Subject       `json:"subject"`
	Level   Level         `json:"level"`
	Score   float64       `json:"score"`
	Signals []int64       `json:"signals"`
	Reason  string        `json:"reason,omitempty"`
	Measure string        `json:"measure,omitempty"`
	// By is the USCC the leaf is signed under: the regulator deciding, or
	// the monitoring centre for opened and raised.
	By          string    `json:"by"`
	At          time.Time `json:"at"`
	LedgerIndex int64     `json:"ledgerIndex"`
}

// WarningContentHash returns the content hash of a warning step's leaf:
// ni:///sha-256 (hex) of the compact JSON {"warning","action","subject",
// "level","score","signals","reason","measure","by","at"} with at in RFC
// 3339 UTC to the microsecond. The audit recomputes it from the stored step.
func WarningContentHash(e *WarningEvent) (string, error) {
	sigs := e.Signals
	if sigs == nil {
		sigs = []int64{}
	}
	b, err := json.Marshal(struct {
		Warning int64         `json:"warning"`
		Action  WarningAction `json:"action"`
		Subject string        `json:"subject"`
		Level   Level         `json:"level"`
		Score   float64       `json:"score"`
		Signals []int64       `json:"signals"`
		Reason  string        `json:"reason"`
		Measure string        `json:"measure"`
		By      string        `json:"by"`
		At      string        `json:"at"`
	}{e.Warning, e.Action, e.Subject.String(), e.Level, e.Score, sigs, e.Reason, e.Measure, e.By,
		e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")})
	if err != nil {
		return "", fmt.Errorf("risk: warning hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]), nil
}

// WarningLeaf returns the ledger leaf of a warning step: kind risk-warning,
// its content hash, time and By, no items. It fails as ledger.Leaf.Encode.
func WarningLeaf(e *WarningEvent) ([]byte, error) {
	h, err := WarningContentHash(e)
	if err != nil {
		return nil, err
	}
	return (&ledger.Leaf{Kind: ledger.KindRiskWarning, ContentHash: h, Time: e.At, USCC: e.By}).Encode()
}

// MeasureDraft is what a confirmed warning asks the measures engine for: a
// draft measure over the warning's subject.
type MeasureDraft struct {
	Kind     string             // risk_notice, stop_sale, warehouse_lock, recall, return_destroy
	Selector tracegate.Selector // the subject as a selector
	Owner    string             // USCC of the enterprise to carry it out ("" to let the engine decide)
	Reason   string
	Warning  int64
	By       tracegate.Principal
}

// MeasureDrafter makes draft measures (package measure implements it
// through an adapter in cmd/tracegate). DraftMeasure returns the new
// measure's id; it fails with the measure engine's errors.
type MeasureDrafter interface {
	DraftMeasure(ctx context.Context, d MeasureDraft) (string, error)
}

// DefaultMeasureKind is the measure a confirmation drafts when the
// regulator names none: a risk notice at notice, a stop sale at warning, a
// recall at alert.
func DefaultMeasureKind(l Level) string {
	switch l {
	case LevelAlert:
		return "recall"
	case LevelWarning:
		return "stop_sale"
	}
	return "risk_notice"
}

// SubjectSelector returns the selector naming a subject's goods.
func SubjectSelector(s Subject) tracegate.Selector {
	var sel tracegate.Selector
	switch s.Kind {
	case SubjectGTIN:
		sel.GTIN = s.Value
	case SubjectBatch:
		sel.GTIN, sel.Batch = s.Value[:min(14, len(s.Value))], ""
		if len(s.Value) > 15 {
			sel.Batch = s.Value[15:]
		}
	case SubjectHS:
		sel.HSPrefix = s.Value
	case SubjectOrigin:
		sel.Origin = s.Value
	case SubjectManufacturer:
		sel.Manufacturer = s.Value
	case SubjectEnterprise:
		sel.Enterprise = s.Value
	}
	return sel
}
