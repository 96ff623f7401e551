package web

import (
	"net/http"

	"tracegate"
	"tracegate/risk"
)

// handleRiskSignalList lists signals, newest first, by ?subject=kind:value,
// ?kind=, ?before= (cursor) and ?limit=; a platform sees the signals it
// stated, regulators and labs all.
func (s *Server) handleRiskSignalList(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	var f risk.SignalFilter
	var err error
	if v := q.Get("subject"); v != "" {
		if f.Subject, err = risk.ParseSubject(v, "/subject"); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if v := q.Get("kind"); v != "" {
		f.Kind = risk.Kind(v)
		if !validKind(f.Kind) {
			s.writeError(w, r, tracegate.Invalidf("/kind", "unknown signal kind %q", v))
			return
		}
	}
	if f.Limit, err = queryLimit(r, 100, 1000); err != nil {
		s.writeError(w, r, err)
		return
	}
	if f.BeforeID, err = queryBefore(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	if !seesAllSignals(p) {
		f.AuthorID = p.EnterpriseID
	}
	sigs, err := s.risk.Signals(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := map[string]any{"signals": sigs}
	if len(sigs) == f.Limit {
		out["next"] = "before=" + itoa64(sigs[len(sigs)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

func validKind(k risk.Kind) bool {
	for _, x := range risk.Kinds {
		if k == x {
			return true
		}
	}
	return false
}
