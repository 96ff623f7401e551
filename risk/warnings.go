package risk

import (
	"context"
	"strings"

	"tracegate"
)

// WarningView is a warning with what the regulator needs to judge it: why
// (the subject's assessment now), which signals, and where the goods are
// now (the stock search, for GTIN and batch subjects).
type WarningView struct {
	Warning
	Why        string     `json:"why"`
	Assessment Assessment `json:"assessment"`
	Stock      *Stock     `json:"stock,omitempty"`
	SignalList []Signal   `json:"signalList"`
}

// Warnings lists warnings by f.
func (s *Service) Warnings(ctx context.Context, f WarningFilter) ([]Warning, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.Status != "" && !oneOf(f.Status, WarningStatuses) {
		return nil, tracegate.Invalidf("/status", "unknown warning status %q: want one of %s", f.Status, names(WarningStatuses))
	}
	return s.store.RiskWarnings(ctx, f)
}

// Warning returns warning id with its assessment, signals and stock.
func (s *Service) Warning(ctx context.Context, id int64) (*WarningView, error) {
	w, err := s.store.RiskWarning(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &WarningView{Warning: *w, SignalList: []Signal{}}
	if v.Assessment, err = s.Assessment(ctx, w.Subject); err != nil {
		return nil, err
	}
	for _, sid := range w.Signals {
		sig, err := s.store.RiskSignal(ctx, sid)
		if err != nil {
			return nil, err
		}
		v.SignalList = append(v.SignalList, *sig)
	}
	if w.Subject.Kind == SubjectGTIN || w.Subject.Kind == SubjectBatch {
		sel := SubjectSelector(w.Subject)
		if v.Stock, err = s.store.RiskStock(ctx, StockFilter{GTIN: sel.GTIN, Batch: sel.Batch}); err != nil {
			return nil, err
		}
	}
	var kinds []string
	for _, c := range v.Assessment.Signals {
		kinds = append(kinds, string(c.Kind)+"/"+string(c.Severity))
	}
	v.Why = w.Subject.String() + " reached " + string(w.Level) + " (score " + trimFloat(w.Score) + "); now " +
		string(v.Assessment.Level) + " at " + trimFloat(v.Assessment.Score) + " from " + itoa(v.Assessment.SignalCount) + " signals: " + strings.Join(kinds, ", ")
	return v, nil
}

// ConfirmRequest is a regulator's confirmation: the measure to draft
// (DefaultMeasureKind of the warning's level when ""), its owner (the
// filer of the goods when "") and a note.
type ConfirmRequest struct {
	Measure string `json:"measure"`
	Owner   string `json:"owner"`
	Note    string `json:"note"`
}

// MeasureKinds are the measures a confirmation may draft.
var MeasureKinds = []string{"risk_notice", "stop_sale", "warehouse_lock", "recall", "return_destroy"}

// Confirm confirms the open warning id for the regulator p: a draft
// measure over the warning's subject is made, and the warning is closed
// naming it, with its ledger leaf. It returns the measure's id. It fails
// with EUNAVAILABLE without a drafter, ENOTFOUND, ECONFLICT when the
// warning is not open, EINVALID for an unknown measure kind.
func (s *Service) Confirm(ctx context.Context, p tracegate.Principal, id int64, req ConfirmRequest) (string, error) {
	s.mu.RLock()
	d := s.drafter
	s.mu.RUnlock()
	if d == nil {
		return "", tracegate.Errorf(tracegate.EUNAVAILABLE, "no measures engine is configured: a warning cannot be confirmed into a measure on this server")
	}
	w, err := s.store.RiskWarning(ctx, id)
	if err != nil {
		return "", err
	}
	if w.Status != WarningOpen {
		return "", tracegate.Errorf(tracegate.ECONFLICT, "warning %d is %s", id, w.Status)
	}
	if req.Measure == "" {
		req.Measure = DefaultMeasureKind(w.Level)
	}
	if !oneOf(req.Measure, MeasureKinds) {
		return "", tracegate.Invalidf("/measure", "unknown measure %q: want one of %s", req.Measure, strings.Join(MeasureKinds, ", "))
	}
	if len(req.Note) > MaxDetail {
		return "", tracegate.Invalidf("/note", "note is %d bytes, at most %d", len(req.Note), MaxDetail)
	}
	if req.Owner != "" {
		if req.Owner, err = tracegate.ValidateUSCC(req.Owner); err != nil {
			return "", tracegate.Invalidf("/owner", "%s", tracegate.ErrorMessage(err))
		}
	} else if req.Owner, err = s.owner(ctx, w.Subject); err != nil {
		return "", err
	}
	reason := "risk warning " + itoa(int(w.ID)) + ": " + w.Subject.String() + " at " + string(w.Level)
	if req.Note != "" {
		reason += ": " + strings.TrimSpace(req.Note)
	}
	mid, err := d.DraftMeasure(ctx, MeasureDraft{Kind: req.Measure, Selector: SubjectSelector(w.Subject), Owner: req.Owner, Reason: reason, Warning: w.ID, By: p})
	if err != nil {
		return "", err
	}
	if _, err := s.store.DecideRiskWarning(ctx, id, WarningConfirmed, strings.TrimSpace(req.Note), mid, p.USCC); err != nil {
		return "", err
	}
	return mid, nil
}

// owner is the filer of a subject's goods when there is exactly one.
func (s *Service) owner(ctx context.Context, subj Subject) (string, error) {
	switch subj.Kind {
	case SubjectEnterprise:
		return subj.Value, nil
	case SubjectGTIN, SubjectBatch:
		fs, err := s.store.RiskFilings(ctx, SubjectSelector(subj).GTIN)
		if err != nil || len(fs) != 1 {
			return "", err
		}
		return fs[0].OwnerUSCC, nil
	}
	return "", nil
}

// Dismiss dismisses the open warning id for the regulator p with reason,
// with its ledger leaf. It fails with EINVALID without a reason, ENOTFOUND,
// ECONFLICT when it is not open.
func (s *Service) Dismiss(ctx context.Context, p tracegate.Principal, id int64, reason string) (*Warning, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, tracegate.Invalidf("/reason", "a dismissal needs a reason")
	}
	if len(reason) > MaxDetail {
		return nil, tracegate.Invalidf("/reason", "reason is %d bytes, at most %d", len(reason), MaxDetail)
	}
	return s.store.DecideRiskWarning(ctx, id, WarningDismissed, reason, "", p.USCC)
}
