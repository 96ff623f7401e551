package risk

import (
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// Kind is where a signal comes from.
type Kind string

// The kinds of signal.
const (
	KindInspection     Kind = "inspection"      // port inspection and quarantine results
	KindLabTest        Kind = "lab_test"        // a lab's failed test
	KindSpotCheck      Kind = "spot_check"      // market spot checks
	KindComplaint      Kind = "complaint"       // a consumer complaint from the scan page
	KindEpidemic       Kind = "epidemic"        // epidemic information (animal, plant, human)
	KindTradeMeasure   Kind = "trade_measure"   // technical trade barriers
	KindExternalNotice Kind = "external_notice" // Safety Gate / RASFF-style notices
	KindAnalytics      Kind = "analytics"       // barcode analytics findings
)

// Kinds lists the kinds in a stable order.
var Kinds = []Kind{KindInspection, KindLabTest, KindSpotCheck, KindComplaint, KindEpidemic, KindTradeMeasure, KindExternalNotice, KindAnalytics}

// Hazard is the category of harm a signal is about.
type Hazard string

// The hazard categories.
const (
	HazardMicrobial   Hazard = "microbial"
	HazardChemical    Hazard = "chemical"
	HazardPhysical    Hazard = "physical"
	HazardAllergen    Hazard = "allergen"
	HazardCounterfeit Hazard = "counterfeit"
	HazardLabelling   Hazard = "labelling"
	HazardDisease     Hazard = "disease"
	HazardOther       Hazard = "other"
)

// Hazards lists the hazard categories in a stable order.
var Hazards = []Hazard{HazardMicrobial, HazardChemical, HazardPhysical, HazardAllergen, HazardCounterfeit, HazardLabelling, HazardDisease, HazardOther}

// Severity is how grave the signal's finding is.
type Severity string

// The severities, mild to grave.
const (
	SeverityLow     Severity = "low"
	SeverityMedium  Severity = "medium"
	SeverityHigh    Severity = "high"
	SeveritySerious Severity = "serious"
)

// Severities lists the severities, mild to grave.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeveritySerious}

func oneOf[T ~string](v T, all []T) bool {
	for _, x := range all {
		if v == x {
			return true
		}
	}
	return false
}

func names[T ~string](all []T) string {
	s := make([]string, len(all))
	for i, x := range all {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// Signal is one piece of risk information about a set of goods.
type Signal struct {
	ID   int64 `json:"id"`
	Kind Kind  `json:"kind"`
	// Source is who observed it (an agency, a lab, a notice system, a
	// consumer's network): signals of one source on one subject count less
	// than independent ones. "" is the author's USCC.
	Source     string             `json:"source"`
	ObservedAt time.Time          `json:"observedAt"`
	Selector   tracegate.Selector `json:"selector"`
	Hazard     Hazard             `json:"hazard"`
	Severity   Severity           `json:"severity"`
	Title      string             `json:"title"`
	Detail     string             `json:"detail,omitempty"`
	// Ref is the record the signal comes from (a notice number,
	// complaint:ID, lab-result:ID); a second signal of the same author and
	// Ref is refused (ECONFLICT), so an import can be run again.
	Ref         string       `json:"ref,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Author is the USCC of the enterprise that stated it; "" for a
	// consumer complaint (the scan page).
	Author string `json:"author,omitempty"`
	// Complaint is the scan-page complaint a complaint signal comes from.
	Complaint  int64     `json:"complaint,omitempty"`
	AuthorID   int64     `json:"-"`
	RecordedAt time.Time `json:"recordedAt"`
	// Subjects are the subjects the signal is scored on (set when stored).
	Subjects []Subject `json:"subjects,omitempty"`
}

// Limits of a signal's texts.
const (
	MaxTitle  = 300
	MaxDetail = 8000
	MaxText   = 200 // source and ref
	// MaxAttachments is how many attachments one signal may carry.
	MaxAttachments = 5
	// FutureSkew is how far in the future an observation may be dated
	// (clocks differ).
	FutureSkew = 5 * time.Minute
)

// Validate checks s for storing at now, putting it in normal form (trimmed
// texts, a normalised selector, ObservedAt in UTC, now when zero); every
// problem points at pointer + "/field". It fails with EINVALID for an
// unknown kind, hazard or severity, a bad selector or one that names no
// subject, an observation in the future, a missing title, or overlong text.
func (s *Signal) Validate(pointer string, now time.Time) error {
	var errs []tracegate.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, tracegate.FieldError{Pointer: pointer + "/" + field, Detail: tracegate.Invalidf("", format, args...).Message})
	}
	if !oneOf(s.Kind, Kinds) {
		bad("kind", "unknown kind %q: want one of %s", s.Kind, names(Kinds))
	}
	if !oneOf(s.Hazard, Hazards) {
		bad("hazard", "unknown hazard %q: want one of %s", s.Hazard, names(Hazards))
	}
	if !oneOf(s.Severity, Severities) {
		bad("severity", "unknown severity %q: want one of %s", s.Severity, names(Severities))
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
		req  bool
	}{{"title", &s.Title, MaxTitle, true}, {"detail", &s.Detail, MaxDetail, false}, {"source", &s.Source, MaxText, false}, {"ref", &s.Ref, MaxText, false}} {
		*f.v = strings.TrimSpace(*f.v)
		switch {
		case !utf8.ValidString(*f.v) || strings.ContainsRune(*f.v, 0):
			bad(f.name, "must be valid UTF-8 text")
		case len(*f.v) > f.max:
			bad(f.name, "is %d bytes, at most %d", len(*f.v), f.max)
		case f.req && *f.v == "":
			bad(f.name, "is required")
		}
	}
	if s.ObservedAt.IsZero() {
		s.ObservedAt = now
	}
	s.ObservedAt = s.ObservedAt.UTC()
	if s.ObservedAt.After(now.Add(FutureSkew)) {
		bad("observedAt", "%s is in the future", s.ObservedAt.Format(time.RFC3339))
	} else if s.ObservedAt.Before(Epoch) {
		bad("observedAt", "%s is before %s", s.ObservedAt.Format(time.RFC3339), Epoch.Format(time.DateOnly))
	}
	if err := s.Selector.Validate(pointer + "/selector"); err != nil {
		var e *tracegate.Error
		if asError(err, &e) {
			if len(e.Details) > 0 {
				errs = append(errs, e.Details...)
			} else {
				errs = append(errs, tracegate.FieldError{Pointer: e.Pointer, Detail: e.Message})
			}
		}
	} else if len(SelectorSubjects(s.Selector)) == 0 {
		bad("selector", "a signal's selector must name a gtin, hsPrefix, origin, manufacturer or enterprise: a container, warehouse or production date alone names no subject to score")
	}
	if len(s.Attachments) > MaxAttachments {
		bad("attachments", "%d attachments, at most %d", len(s.Attachments), MaxAttachments)
	}
	for i := range s.Attachments {
		if err := s.Attachments[i].Check(); err != nil {
			bad("attachments/"+itoa(i), "%s", tracegate.ErrorMessage(err))
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return &tracegate.Error{Code: tracegate.EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail}
	}
	return &tracegate.Error{Code: tracegate.EINVALID, Pointer: errs[0].Pointer, Message: errs[0].Detail, Details: errs}
}

// SourceKey is the source signals are grouped by for the repeat discount:
// Source, else the author.
func (s *Signal) SourceKey() string {
	if s.Source != "" {
		return s.Source
	}
	return s.Author
}
