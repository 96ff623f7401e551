package web

import (
	"net/http"
	"slices"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// handleContents answers what was inside a parent (case, pallet, container,
// waybill) at a time (default now): the direct children, or with
// deep=true every descendant with its depth. A tracegate extension of the
// EPCIS REST binding.
func (s *Server) handleContents(w http.ResponseWriter, r *http.Request) {
	epc, at, err := s.containmentParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	deep := r.URL.Query().Get("deep") == "true"
	list, err := s.store.Contents(r.Context(), epc, at, deep)
	if err == nil {
		list, err = s.visibleContainment(r, list)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"parent": epcis.CanonicalEPC(epc), "at": at, "deep": deep, "contents": list})
}

// handleContainers answers the chain of parents around an identifier at a
// time (default now), innermost first.
func (s *Server) handleContainers(w http.ResponseWriter, r *http.Request) {
	epc, at, err := s.containmentParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.Containers(r.Context(), epc, at)
	if err == nil {
		list, err = s.visibleContainment(r, list)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"child": epcis.CanonicalEPC(epc), "at": at, "containers": list})
}

// containmentParams reads the identifier and the time, and applies the
// caller's view: a regulator sees any identifier, an enterprise one it may
// see events about (others answer 404, revealing nothing).
func (s *Server) containmentParams(r *http.Request) (string, time.Time, error) {
	epc := r.PathValue("epc")
	if err := epcis.CheckText(epc, "/path/epc"); err != nil {
		return "", time.Time{}, err
	}
	at := s.clock.Now()
	if v := r.URL.Query().Get("at"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return "", time.Time{}, tracegate.Invalidf("/query/at", "at must be an RFC 3339 time with an offset")
		}
		at = t
	}
	if p := principalOf(r); !seesAll(p) {
		recs, _, err := s.store.QueryEvents(r.Context(), &epcis.Query{MatchAnyEPC: []string{epcis.CanonicalEPC(epc)}, EnterpriseID: p.EnterpriseID, PerPage: 1})
		if err != nil {
			return "", time.Time{}, err
		}
		if len(recs) == 0 {
			return "", time.Time{}, tracegate.Errorf(tracegate.ENOTFOUND, "no events you may see about %s", epc)
		}
	}
	return epc, at, nil
}

// visibleContainment keeps the intervals whose AggregationEvent the caller
// may see (the one visibility rule: eventsql's predicate), asking the store
// once per thousand intervals.
func (s *Server) visibleContainment(r *http.Request, list []epcis.Containment) ([]epcis.Containment, error) {
	p := principalOf(r)
	if seesAll(p) || len(list) == 0 {
		return list, nil
	}
	visible := map[int64]bool{}
	seqs := make([]int64, 0, len(list))
	for _, c := range list {
		seqs = append(seqs, c.AddSeq)
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	for chunk := range slices.Chunk(seqs, epcis.MaxPerPage) {
		recs, _, err := s.store.QueryEvents(r.Context(), &epcis.Query{Seqs: chunk, EnterpriseID: p.EnterpriseID, PerPage: epcis.MaxPerPage, OmitBody: true})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			visible[rec.Seq] = true
		}
	}
	out := list[:0]
	for _, c := range list {
		if visible[c.AddSeq] {
			out = append(out, c)
		}
	}
	return out, nil
}
