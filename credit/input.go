package credit

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// maxText bounds an agency, source, note or resolution, in characters.
const maxText = 1000

// Recognise imports a level recognised by another agency and regrades the
// enterprise. It fails with EINVALID (nothing stored) for a malformed USCC,
// a level outside the scheme, a missing agency or source, a missing date or
// one in the future, and with ENOTFOUND for an unknown enterprise.
func (s *Service) Recognise(ctx context.Context, r Recognition) (*Recognition, error) {
	u, err := tracegate.ValidateUSCC(r.USCC)
	if err != nil {
		return nil, tracegate.Invalidf("/uscc", "%s", tracegate.ErrorMessage(err))
	}
	r.USCC, r.Agency, r.Source = u, strings.TrimSpace(r.Agency), strings.TrimSpace(r.Source)
	switch {
	case r.Agency == "" || utf8.RuneCountInString(r.Agency) > maxText:
		return nil, tracegate.Invalidf("/agency", "the recognising agency is required (at most %d characters)", maxText)
	case r.Source == "" || utf8.RuneCountInString(r.Source) > maxText:
		return nil, tracegate.Invalidf("/source", "the source document is required (at most %d characters)", maxText)
	case r.At.IsZero():
		return nil, tracegate.Invalidf("/at", "the date of the recognition is required")
	case r.At.After(s.clock.Now()):
		return nil, tracegate.Invalidf("/at", "the recognition is dated in the future (%s)", r.At.Format(time.RFC3339))
	}
	if err := s.rules.CheckLevel("/level", r.Level); err != nil {
		return nil, err
	}
	r.At = r.At.UTC()
	if err := s.store.AddCreditRecognition(ctx, &r); err != nil {
		return nil, err
	}
	if _, _, err := s.Recompute(ctx, u); err != nil {
		return nil, err
	}
	return &r, nil
}

// FileAppeal files the enterprise's note against the entry ref of its
// record. It fails with EINVALID for a malformed USCC, a missing or
// over-long note, or a ref that is not an entry of the record, with
// ENOTFOUND for an unknown enterprise and ECONFLICT when an appeal against
// the entry is open.
func (s *Service) FileAppeal(ctx context.Context, uscc, ref, note string) (*Appeal, error) {
	rec, _, err := s.Record(ctx, uscc)
	if err != nil {
		return nil, err
	}
	note, ref = strings.TrimSpace(note), strings.TrimSpace(ref)
	if note == "" || utf8.RuneCountInString(note) > maxText {
		return nil, tracegate.Invalidf("/note", "the appeal note is required (at most %d characters)", maxText)
	}
	found := false
	for _, f := range rec.Facts {
		found = found || f.Ref == ref
	}
	if !found {
		return nil, tracegate.Invalidf("/ref", "%q is not an entry of the record of %s", ref, rec.USCC)
	}
	a := &Appeal{USCC: rec.USCC, Ref: ref, Note: note, Status: AppealOpen}
	if err := s.store.AddCreditAppeal(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// ResolveAppeal resolves appeal id: upheld (the entry stops counting) or
// dismissed, with the regulator's resolution, and regrades the enterprise.
// It fails with EINVALID for another status or a missing resolution,
// ENOTFOUND for an unknown appeal and ECONFLICT when it is not open.
func (s *Service) ResolveAppeal(ctx context.Context, id int64, status AppealStatus, resolution string) (*Appeal, error) {
	resolution = strings.TrimSpace(resolution)
	if status != AppealUpheld && status != AppealDismissed {
		return nil, tracegate.Invalidf("/status", "status %q is neither upheld nor dismissed", status)
	}
	if resolution == "" || utf8.RuneCountInString(resolution) > maxText {
		return nil, tracegate.Invalidf("/resolution", "the resolution is required (at most %d characters)", maxText)
	}
	a, err := s.store.ResolveCreditAppeal(ctx, id, status, resolution)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.Recompute(ctx, a.USCC); err != nil {
		return nil, err
	}
	return a, nil
}
