package label

import "context"

// PreListing is the hook through which a platform's pre-listing inspection
// (入仓检) refuses a dispatch: risk.Service implements it (label does not
// import package risk). DispatchRefusal returns, for a dispatch on an
// order of the platform whose customs code is ebpCode, a function naming
// why the goods of gtin and batch may not be dispatched ("" when they
// may), or a nil function when the platform requires nothing.
type PreListing interface {
	DispatchRefusal(ctx context.Context, ebpCode string) (func(gtin, batch string) (string, error), error)
}

// preListing adds the pre-listing check to b.Refuse for a dispatch, asking
// once per batch. The returned function reports a failure to check (nil
// when there was none).
func (s *Service) preListing(ctx context.Context, b *Binding) (func() error, error) {
	if s.prelisting == nil || b.Kind != BindDispatch {
		return func() error { return nil }, nil
	}
	refuses, err := s.prelisting.DispatchRefusal(ctx, b.EBPCode)
	if err != nil || refuses == nil {
		return func() error { return nil }, err
	}
	var failed error
	seen := map[[2]string]string{}
	measures := b.Refuse
	b.Refuse = func(st *State, gtin, batch string) string {
		if measures != nil {
			if why := measures(st, gtin, batch); why != "" {
				return why
			}
		}
		k := [2]string{gtin, batch}
		why, ok := seen[k]
		if !ok {
			if why, err = refuses(gtin, batch); err != nil {
				failed, why = err, "the pre-listing inspection could not be checked now"
			}
			seen[k] = why
		}
		return why
	}
	return func() error { return failed }, nil
}
