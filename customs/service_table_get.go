package customs

import (
	"context"
	"slices"
	"strings"

	"tracegate"
)

// Table returns the version of the table kind in force, its CSV included,
// so what was loaded can be read back. It fails with EINVALID for an
// unknown kind and ENOTFOUND when no version of kind was ever loaded.
func (s *Service) Table(ctx context.Context, kind string) (*TableVersion, error) {
	if !slices.Contains(TableKinds, kind) {
		return nil, tracegate.Invalidf("/kind", "unknown table kind %q: want one of %s", kind, strings.Join(TableKinds, ", "))
	}
	ts, err := s.store.CustomsTables(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Kind == kind {
			return t, nil
		}
	}
	return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no %s table has been loaded", kind)
}
