package risk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
	"tracegate/ledger"
)

// LabPurpose is why a lab order was placed.
type LabPurpose string

// The purposes: a pre-listing inspection (入仓检) that a platform may
// require before a batch's labels are dispatched, or a sample test.
const (
	PurposePreListing LabPurpose = "pre_listing"
	PurposeSample     LabPurpose = "sample"
)

// LabPurposes lists the purposes.
var LabPurposes = []LabPurpose{PurposePreListing, PurposeSample}

// LabStatus is where a lab order stands: ordered until every test has a
// result, then passed (every test passed) or failed (one failed).
type LabStatus string

// The lab order statuses.
const (
	LabOrdered LabStatus = "ordered"
	LabPassed  LabStatus = "passed"
	LabFailed  LabStatus = "failed"
)

// LabStatuses lists the statuses.
var LabStatuses = []LabStatus{LabOrdered, LabPassed, LabFailed}

// Limits of a lab order.
const (
	MaxLabItems = 10_000
	MaxLabTests = 20
	MaxTestName = 100
)

// LabOrder is a sample test of a batch ordered from a lab.
type LabOrder struct {
	ID      int64      `json:"id"`
	GTIN    string     `json:"gtin"`
	Batch   string     `json:"batch"`
	Items   int        `json:"items"` // items to sample
	Tests   []string   `json:"tests"`
	Purpose LabPurpose `json:"purpose"`
	// Lab is the USCC of the lab (an enterprise of role lab); OrderedBy
	// the regulator's or platform's.
	Lab       string     `json:"lab"`
	OrderedBy string     `json:"orderedBy"`
	Status    LabStatus  `json:"status"`
	Note      string     `json:"note,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	Reported  *time.Time `json:"reportedAt,omitempty"`
	// Sampling is what the credit level of the goods' filer says of the
	// batch when ordered (nil without credit levels).
	Sampling *Sampling   `json:"sampling,omitempty"`
	Results  []LabResult `json:"results"`

	LabID, OrderedByID int64 `json:"-"`
}

// Sampling is the credit-level sampling of a batch: the level of the
// enterprise that filed its GTIN (0 ungraded), the share of its batches
// sampled at that level, and whether this batch is among them.
type Sampling struct {
	Enterprise string  `json:"enterprise"`
	Level      int     `json:"level"`
	Share      float64 `json:"share"`
	Sampled    bool    `json:"sampled"`
}

// LabResult is the lab's result of one test of an order, with its report;
// each is one ledger leaf of kind risk-lab-result, and a failed one is a
// lab_test signal.
type LabResult struct {
	ID       int64    `json:"id"`
	Order    int64    `json:"order"`
	Test     string   `json:"test"`
	Passed   bool     `json:"passed"`
	Hazard   Hazard   `json:"hazard,omitempty"`
	Severity Severity `json:"severity,omitempty"`
	Detail   string   `json:"detail,omitempty"`
	// Report is the lab's PDF report (its data only in requests).
	Report      Attachment `json:"report"`
	Signal      int64      `json:"signal,omitempty"` // the lab_test signal of a failed result
	Lab         string     `json:"lab"`
	At          time.Time  `json:"at"`
	LedgerIndex int64      `json:"ledgerIndex"`
}

// LabOrderRequest is an order as the client states it.
type LabOrderRequest struct {
	GTIN    string     `json:"gtin"`
	Batch   string     `json:"batch"`
	Items   int        `json:"items"`
	Tests   []string   `json:"tests"`
	Purpose LabPurpose `json:"purpose"`
	Lab     string     `json:"lab"` // USCC
	Note    string     `json:"note"`
}

// Validate normalises r (a 14-digit GTIN, trimmed texts, sample by
// default) and fails with EINVALID pointing at the field.
func (r *LabOrderRequest) Validate() error {
	var errs []tracegate.FieldError
	bad := func(p, format string, args ...any) {
		errs = append(errs, tracegate.FieldError{Pointer: p, Detail: fmt.Sprintf(format, args...)})
	}
	sel := tracegate.Selector{GTIN: r.GTIN, Batch: r.Batch}
	if err := sel.Validate(""); err != nil {
		var e *tracegate.Error
		if asError(err, &e) {
			bad(e.Pointer, "%s", e.Message)
		}
	} else if sel.Batch == "" {
		bad("/batch", "a lab order tests one batch: batch is required")
	}
	r.GTIN, r.Batch = sel.GTIN, sel.Batch
	if r.Items < 1 || r.Items > MaxLabItems {
		bad("/items", "items to sample must be 1 to %d", MaxLabItems)
	}
	if err := checkTests(r.Tests); err != nil {
		errs = append(errs, *err)
	}
	if r.Purpose == "" {
		r.Purpose = PurposeSample
	}
	if !oneOf(r.Purpose, LabPurposes) {
		bad("/purpose", "unknown purpose %q: want one of %s", r.Purpose, names(LabPurposes))
	}
	if u, err := tracegate.ValidateUSCC(r.Lab); err != nil {
		bad("/lab", "%s", tracegate.ErrorMessage(err))
	} else {
		r.Lab = u
	}
	r.Note = strings.TrimSpace(r.Note)
	if len(r.Note) > MaxDetail || !utf8.ValidString(r.Note) {
		bad("/note", "a note is valid UTF-8 of at most %d bytes", MaxDetail)
	}
	return fieldErrors(errs)
}

func checkTests(tests []string) *tracegate.FieldError {
	if len(tests) == 0 || len(tests) > MaxLabTests {
		return &tracegate.FieldError{Pointer: "/tests", Detail: fmt.Sprintf("a lab order names 1 to %d tests", MaxLabTests)}
	}
	seen := map[string]bool{}
	for i, t := range tests {
		t = strings.TrimSpace(t)
		tests[i] = t
		p := "/tests/" + itoa(i)
		switch {
		case t == "" || len(t) > MaxTestName || !utf8.ValidString(t):
			return &tracegate.FieldError{Pointer: p, Detail: fmt.Sprintf("a test is named in 1 to %d bytes", MaxTestName)}
		case seen[t]:
			return &tracegate.FieldError{Pointer: p, Detail: fmt.Sprintf("test %q is named twice", t)}
		}
		seen[t] = true
	}
	return nil
}

// fieldErrors is nil, one problem, or the first with all as details.
func fieldErrors(errs []tracegate.FieldError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return &tracegate.Error{Code: tracegate.EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail}
	}
	return &tracegate.Error{Code: tracegate.EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail, Details: errs}
}

// CheckResults checks the results a lab records on order o, pointing at
// /results/N/field: a test of the order not reported before nor twice, a
// hazard and severity on a failed result (none on a passed one), a detail
// of at most MaxDetail bytes, and a report that is a PDF (by its content)
// of at most MaxAttachmentBytes. It fails with EINVALID, ETOOLARGE for an
// oversized report, or ECONFLICT for a test already reported.
func CheckResults(o *LabOrder, rs []*LabResult) error {
	if len(rs) == 0 {
		return tracegate.Invalidf("/results", "no results")
	}
	done := map[string]bool{}
	for _, r := range o.Results {
		done[r.Test] = true
	}
	seen := map[string]bool{}
	for i, r := range rs {
		p := "/results/" + itoa(i)
		r.Test, r.Detail = strings.TrimSpace(r.Test), strings.TrimSpace(r.Detail)
		switch {
		case !contains(o.Tests, r.Test):
			return tracegate.Invalidf(p+"/test", "%q is not a test of lab order %d (%s)", r.Test, o.ID, strings.Join(o.Tests, ", "))
		case seen[r.Test]:
			return tracegate.Invalidf(p+"/test", "test %q is reported twice", r.Test)
		case done[r.Test]:
			return &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: p + "/test", Message: fmt.Sprintf("test %q of lab order %d was reported before", r.Test, o.ID)}
		case len(r.Detail) > MaxDetail || !utf8.ValidString(r.Detail):
			return tracegate.Invalidf(p+"/detail", "a detail is valid UTF-8 of at most %d bytes", MaxDetail)
		}
		seen[r.Test] = true
		if r.Passed {
			if r.Hazard != "" || r.Severity != "" {
				return tracegate.Invalidf(p+"/severity", "a passed test has no hazard nor severity")
			}
		} else {
			if !oneOf(r.Hazard, Hazards) {
				return tracegate.Invalidf(p+"/hazard", "a failed test names its hazard: one of %s, not %q", names(Hazards), r.Hazard)
			}
			if !oneOf(r.Severity, Severities) {
				return tracegate.Invalidf(p+"/severity", "a failed test names its severity: one of %s, not %q", names(Severities), r.Severity)
			}
		}
		if err := r.Report.Check(); err != nil {
			e := *err.(*tracegate.Error)
			e.Pointer = p + "/report" + e.Pointer
			return &e
		}
		if r.Report.Type != "application/pdf" {
			return tracegate.Invalidf(p+"/report/data", "a lab report is a PDF file, not %s", r.Report.Type)
		}
	}
	return nil
}

// LabResultContentHash returns the content hash of a result's leaf:
// ni:///sha-256 (hex) of the compact JSON {"result","order","gtin","batch",
// "test","passed","hazard","severity","detail","report","lab","at"} with
// report the SHA-256 of the report and at RFC 3339 UTC to the microsecond.
// The audit recomputes it from the stored result.
func LabResultContentHash(r *LabResult, gtin, batch string) (string, error) {
	b, err := json.Marshal(struct {
		Result   int64    `json:"result"`
		Order    int64    `json:"order"`
		GTIN     string   `json:"gtin"`
		Batch    string   `json:"batch"`
		Test     string   `json:"test"`
		Passed   bool     `json:"passed"`
		Hazard   Hazard   `json:"hazard"`
		Severity Severity `json:"severity"`
		Detail   string   `json:"detail"`
		Report   string   `json:"report"`
		Lab      string   `json:"lab"`
		At       string   `json:"at"`
	}{r.ID, r.Order, gtin, batch, r.Test, r.Passed, r.Hazard, r.Severity, r.Detail, r.Report.SHA256, r.Lab,
		r.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")})
	if err != nil {
		return "", fmt.Errorf("risk: lab result hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]), nil
}

// LabResultLeaf returns the ledger leaf of a result: kind risk-lab-result,
// its content hash, time and the lab's USCC, no items.
func LabResultLeaf(r *LabResult, gtin, batch string) ([]byte, error) {
	h, err := LabResultContentHash(r, gtin, batch)
	if err != nil {
		return nil, err
	}
	return (&ledger.Leaf{Kind: ledger.KindRiskLabResult, ContentHash: h, Time: r.At, USCC: r.Lab}).Encode()
}

// LabSignal is the lab_test signal of a failed result of order o: at the
// severity and hazard the lab gives, on the order's batch, sourced from
// the lab, ref lab-result:ID, the report as its evidence.
func LabSignal(o *LabOrder, r *LabResult) *Signal {
	// A test name is at most MaxTestName bytes: the title fits MaxTitle.
	return &Signal{Kind: KindLabTest, Source: o.Lab, ObservedAt: r.At, Selector: tracegate.Selector{GTIN: o.GTIN, Batch: o.Batch},
		Hazard: r.Hazard, Severity: r.Severity, Title: "Lab test failed: " + r.Test, Detail: r.Detail, Ref: "lab-result:" + itoa64(r.ID),
		Author: o.Lab, AuthorID: o.LabID}
}

func itoa64(i int64) string { return fmt.Sprint(i) }
