package web

import (
	"net/http"
	"time"

	"tracegate"
)

// handleRiskStock is the stock search (条码搜索引擎): ?gtin= (and ?batch=)
// → where those goods are now, from the label bindings; a regulator sees
// all, an enterprise the goods it holds or filed.
func (s *Server) handleRiskStock(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Get("gtin") == "" {
		s.writeError(w, r, tracegate.Invalidf("/gtin", "gtin is required"))
		return
	}
	st, err := s.risk.Stock(r.Context(), *principalOf(r), q.Get("gtin"), q.Get("batch"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
}

// handleRiskOverview answers the decision-support data since ?since=
// (YYYY-MM-DD; default 26 weeks ago).
func (s *Server) handleRiskOverview(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			s.writeError(w, r, tracegate.Invalidf("/since", "since %q is not a date (YYYY-MM-DD)", v))
			return
		}
		if t.After(s.clock.Now()) {
			s.writeError(w, r, tracegate.Invalidf("/since", "since %s is in the future", v))
			return
		}
		since = t
	}
	o, err := s.risk.Overview(r.Context(), since)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}
