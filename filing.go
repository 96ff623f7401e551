package tracegate

import (
	"strings"
	"time"
	"unicode/utf8"
)

// FilingStatus is where a product filing stands with the regulator. Only an
// approved filing counts: customs' filing_missing rule looks for approved
// filings, and the scan page shows the filing number (商品备案号) of an
// approved filing only, since consumers read it as official.
type FilingStatus string

// Filing statuses. An enterprise's filing is submitted; a regulator approves
// it (assigning its filing number or confirming the one proposed) or rejects
// it with a reason; the owner may withdraw it. A change of any filed fact
// returns an approved or withdrawn filing to submitted, to be approved again;
// a rejected filing stays rejected until one of its facts changes.
const (
	FilingSubmitted FilingStatus = "submitted"
	FilingApproved  FilingStatus = "approved"
	FilingRejected  FilingStatus = "rejected"
	FilingWithdrawn FilingStatus = "withdrawn"
)

// ProductReview is a decision on a filing: a regulator's approval or
// rejection, or the owner's withdrawal.
type ProductReview struct {
	Status       FilingStatus `json:"status"`                 // approved, rejected or withdrawn
	FilingNumber string       `json:"filingNumber,omitempty"` // approval: the number assigned; empty confirms the proposed one
	Reason       string       `json:"reason,omitempty"`       // required for a rejection
	By           int64        `json:"-"`                      // the enterprise deciding (regulator or owner)
	// Version, when set, is the filing's updatedAt the decider saw: a filing
	// changed since is refused with ECONFLICT, so nobody approves facts
	// they did not read.
	Version time.Time `json:"version,omitzero"`
}

// Validate normalises r and checks its fields: a known decision, a filing
// number of at most 64 characters, a reason (required to reject) of at most
// 500. It fails with EINVALID pointing at the field.
func (r *ProductReview) Validate() error {
	r.FilingNumber, r.Reason = strings.TrimSpace(r.FilingNumber), strings.TrimSpace(r.Reason)
	switch r.Status {
	case FilingApproved, FilingRejected, FilingWithdrawn:
	default:
		return Invalidf("/status", "unknown decision %q (want approved, rejected or withdrawn)", r.Status)
	}
	if r.Status == FilingRejected && r.Reason == "" {
		return Invalidf("/reason", "a rejection needs a reason the enterprise can act on")
	}
	if r.Status != FilingApproved && r.FilingNumber != "" {
		return Invalidf("/filingNumber", "a filing number is given only with an approval")
	}
	if utf8.RuneCountInString(r.FilingNumber) > 64 {
		return Invalidf("/filingNumber", "filingNumber is limited to 64 characters")
	}
	if utf8.RuneCountInString(r.Reason) > 500 {
		return Invalidf("/reason", "reason is limited to 500 characters")
	}
	return nil
}

// CheckReview decides whether a filing in status from, proposing filing
// number proposed, may take review r, and returns the filing number it will
// carry. An approval comes from submitted and needs a number (r's or the
// proposed one); a rejection from submitted or approved (an approval is
// revoked that way); a withdrawal from any status but withdrawn. It fails
// with ECONFLICT for a decision out of order and EINVALID for an approval
// without a number.
func CheckReview(from FilingStatus, proposed string, r *ProductReview) (string, error) {
	ok := false
	switch r.Status {
	case FilingApproved:
		ok = from == FilingSubmitted
	case FilingRejected:
		ok = from == FilingSubmitted || from == FilingApproved
	case FilingWithdrawn:
		ok = from != FilingWithdrawn
	}
	if !ok {
		return "", &Error{Code: ECONFLICT, Pointer: "/status",
			Message: "a " + string(from) + " filing cannot be " + string(r.Status)}
	}
	number := proposed
	if r.FilingNumber != "" {
		number = r.FilingNumber
	}
	if r.Status == FilingApproved && number == "" {
		return "", Invalidf("/filingNumber", "an approval assigns the filing number (商品备案号): give filingNumber")
	}
	return number, nil
}
