package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/credit"
)

// handleCreditEnterpriseList answers the regulator's overview: the
// enterprises at ?level=N (all without it), the distribution by level and
// the level changes of the last 30 days.
func (s *Server) handleCreditEnterpriseList(w http.ResponseWriter, r *http.Request) {
	if err := s.creditService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	level := 0
	if v := r.URL.Query().Get("level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.writeError(w, r, tracegate.Invalidf("/query/level", "level %q is not a number", v))
			return
		}
		if n == 0 {
			n = -1 // 0 is no level of the scheme
		}
		level = n
	}
	o, changes, err := s.credit.Overview(r.Context(), level)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(changes))
	for _, c := range changes {
		out = append(out, map[string]any{"uscc": c.USCC, "level": c.Level, "prev": c.Prev, "at": c.At, "reasons": c.Reasons, "ledgerIndex": c.LedgerIndex})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		*credit.Overview
		Changes []map[string]any `json:"changes"`
	}{o, out})
}
