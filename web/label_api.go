package web

import (
	"context"
	"net/http"

	"tracegate"
	"tracegate/label"
)

// maxBindBody bounds a binding call: MaxBind codes of 26 characters, quoted.
const maxBindBody = 4 << 20

// labelService answers 503 when the server runs without labels.
func (s *Server) labelService() error {
	if s.labels == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "labels are not configured on this server")
	}
	return nil
}

// labelFromPath parses the {code} path value and finds its label, as the
// caller may see it.
func (s *Server) labelFromPath(r *http.Request) (label.Code, *label.State, error) {
	if err := s.labelService(); err != nil {
		return label.Code{}, nil, err
	}
	c, st, err := s.scannedLabel(r)
	if err != nil {
		return c, nil, err
	}
	if err := canSeeLabel(principalOf(r), st); err != nil {
		return c, nil, err
	}
	return c, st, nil
}

// bindLabels decodes a binding call into req and runs it: 200 with the
// recording events, or a problem listing every refused code.
func (s *Server) bindLabels(w http.ResponseWriter, r *http.Request, req any, run func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error)) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, maxBindBody)
	if err := decodeJSON(r, req); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := run(context.WithoutCancel(r.Context()), principalOf(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
	releaseBulkMemory(res.Bound)
}
