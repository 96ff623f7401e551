package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"tracegate"
)

// riskService returns EUNAVAILABLE when the server runs without risk.
func (s *Server) riskService() error {
	if s.risk == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "risk monitoring is not configured on this server")
	}
	return nil
}

// maxRiskBody bounds a signals request: up to risk.MaxAttachments
// attachments of risk.MaxAttachmentBytes, as base64, or a CSV.
const maxRiskBody = 64 << 20

// queryLimit parses ?limit= (default def, at most max).
func queryLimit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, tracegate.Invalidf("/limit", "limit must be 1 to %d", max)
	}
	return n, nil
}

// queryBefore parses the ?before= cursor.
func queryBefore(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("before")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, tracegate.Invalidf("/before", "before must be a positive id")
	}
	return n, nil
}

func itoa64(i int64) string { return strconv.FormatInt(i, 10) }

// riskComplaints makes the complaints just filed risk signals (every
// complaint becomes one); a failure is logged, and serve's periodic sync
// makes the signal later.
func (s *Server) riskComplaints(ctx context.Context) {
	if s.risk == nil {
		return
	}
	if _, err := s.risk.SyncComplaints(ctx); err != nil {
		s.log.ErrorContext(ctx, "risk: complaint to signal", slog.Any("err", err))
	}
}
