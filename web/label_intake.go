package web

import (
	"context"
	"net/http"

	"tracegate"
	"tracegate/label"
)

// handleLabelIntake binds labels to a filed product at the bonded
// warehouse (入仓理货), all or none.
func (s *Server) handleLabelIntake(w http.ResponseWriter, r *http.Request) {
	var req label.IntakeRequest
	s.bindLabels(w, r, &req, func(ctx context.Context, p *tracegate.Principal) (*label.BindResult, error) {
		return s.labels.Intake(ctx, p, &req, s.eventLeaf(p.USCC))
	})
}
