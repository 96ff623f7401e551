package web

import (
	"net/http"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// handleContents answers what was inside a parent (case, pallet, container,
// waybill) at a time (default now): the direct children, or with
// deep=true every descendant with its depth, within the caller's view (a
// regulator any identifier, an enterprise one it may see events about;
// others answer 404, revealing nothing). A tracegate extension of the
// EPCIS REST binding.
func (s *Server) handleContents(w http.ResponseWriter, r *http.Request) {
	epc, at, err := s.containmentParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	deep := r.URL.Query().Get("deep") == "true"
	list, err := s.events.Contents(r.Context(), readerOf(principalOf(r)), epc, at, deep)
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
	list, err := s.events.Containers(r.Context(), readerOf(principalOf(r)), epc, at)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"child": epcis.CanonicalEPC(epc), "at": at, "containers": list})
}

// containmentParams reads the identifier and the time (default now).
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
	return epc, at, nil
}
