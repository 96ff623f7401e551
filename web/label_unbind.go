package web

import (
	"context"
	"net/http"

	"tracegate"
	"tracegate/label"
)

// handleLabelUnbind undoes intake or dispatch bindings, with a reason.
func (s *Server) handleLabelUnbind(w http.ResponseWriter, r *http.Request) {
	var req label.UnbindRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Unbind(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}
