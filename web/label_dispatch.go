package web

import (
	"context"
	"net/http"

	"tracegate"
	"tracegate/label"
)

// handleLabelDispatch binds labels to an order and its waybill (出仓).
func (s *Server) handleLabelDispatch(w http.ResponseWriter, r *http.Request) {
	var req label.DispatchRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Dispatch(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}
