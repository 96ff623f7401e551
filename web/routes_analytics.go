package web

import (
	"net/http"
	"strconv"
	"strings"

	"tracegate"
	"tracegate/gs1"
	"tracegate/risk"
)

func init() { routeGroups = append(routeGroups, (*Server).registerAnalyticsRoutes) }

// registerAnalyticsRoutes registers barcode analytics: its findings (a
// regulator sees all; an enterprise those about its own declarations or
// filed products) and the regulator's trigger of a run.
func (s *Server) registerAnalyticsRoutes() {
	s.handle("GET", "/api/risk/findings", authenticated, s.handleRiskFindings)
	s.handle("POST", "/api/risk/findings/runs", roles(regulator), s.handleRiskFindingsRun)
}

func (s *Server) analyticsService() error {
	if s.analytics == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "barcode analytics is not configured on this server")
	}
	return nil
}

// handleRiskFindings lists findings: ?kind=, ?gtin= (any GTIN form),
// ?limit= (1..1000, default 100) and ?after= (the last ID of the previous
// page); "next" is the after of the next page when there may be one.
func (s *Server) handleRiskFindings(w http.ResponseWriter, r *http.Request) {
	if err := s.analyticsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := risk.FindingFilter{Kind: risk.FindingKind(q.Get("kind")), Limit: 100}
	if v := q.Get("gtin"); v != "" {
		g, err := gs1.NormalizeGTIN(strings.TrimSpace(v))
		if err != nil {
			s.writeError(w, r, tracegate.Invalidf("/query/gtin", "gtin %q is not a GTIN: %s", v, tracegate.ErrorMessage(err)))
			return
		}
		f.GTIN = g
	}
	for _, p := range []struct {
		name     string
		dst      *int64
		min, max int64
	}{{"limit", nil, 1, 1000}, {"after", &f.After, 0, 1 << 62}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < p.min || n > p.max {
			s.writeError(w, r, tracegate.Invalidf("/query/"+p.name, "%s %q is not a number from %d to %d", p.name, v, p.min, p.max))
			return
		}
		if p.dst == nil {
			f.Limit = int(n)
		} else {
			*p.dst = n
		}
	}
	list, err := s.analytics.Findings(r.Context(), *principalOf(r), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Findings []risk.Finding `json:"findings"`
		Next     *int64         `json:"next,omitempty"`
	}{Findings: list}
	if len(list) == f.Limit {
		out.Next = &list[len(list)-1].ID
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

// handleRiskFindingsRun runs the analytics now: incremental (the GTINs
// touched since the last run) unless the body says {"full":true}.
func (s *Server) handleRiskFindingsRun(w http.ResponseWriter, r *http.Request) {
	if err := s.analyticsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	var body struct {
		Full bool `json:"full"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &body); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	st, err := s.analytics.Run(r.Context(), body.Full, nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
