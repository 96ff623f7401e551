package web

import (
	"context"

	"tracegate"
)

// confirmedCodes returns the confirmed customs codes of the caller's
// enterprise: none for an anonymous caller. It is looked up once per
// request, never per field.
func (s *Server) confirmedCodes(ctx context.Context, p *tracegate.Principal) ([]string, error) {
	if p == nil || p.EnterpriseID == 0 {
		return nil, nil
	}
	cs, err := s.parties.CustomsCodes(ctx, p.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return tracegate.ConfirmedCodes(cs), nil
}
