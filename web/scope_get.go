package web

import (
	"net/http"
	"strings"
	"time"

	"tracegate"
	"tracegate/label"
	"tracegate/measure"
)

// scopeParams are the query parameters of a scope besides the selector's.
var scopeParams = []string{"at", "format"}

// selectorParams are the selector's fields as query parameters.
var selectorParams = []string{"gtin", "batch", "hsPrefix", "origin", "manufacturer", "enterprise", "container",
	"warehouse", "producedFrom", "producedTo"}

// handleScopeGet answers the scope of the selector in the query (?gtin=…
// &batch=… and the other fields) as of ?at= (RFC 3339; now by default),
// as JSON counts or, with ?format=csv|xlsx, one row per item.
func (s *Server) handleScopeGet(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if !containsString(selectorParams, k) && !containsString(scopeParams, k) {
			s.writeError(w, r, tracegate.Invalidf("/query/"+k, "unknown parameter %q: give selector fields (%s), at or format", k, strings.Join(selectorParams, ", ")))
			return
		}
	}
	sel := tracegate.Selector{GTIN: q.Get("gtin"), Batch: q.Get("batch"), HSPrefix: q.Get("hsPrefix"), Origin: q.Get("origin"),
		Manufacturer: q.Get("manufacturer"), Enterprise: q.Get("enterprise"), Container: q.Get("container"),
		Warehouse: q.Get("warehouse"), ProducedFrom: q.Get("producedFrom"), ProducedTo: q.Get("producedTo")}
	if err := sel.Validate("/query"); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeScope(w, r, "", measure.ScopeQuery{Selector: sel}, measure.Viewer{})
}

// writeScope answers the scope sq (of measure id, when not "") for v, as
// ?format= and ?at= ask: its statuses as of ?at= (now by default), its
// containers' contents as of sq.ContainedAt (?at= when zero).
func (s *Server) writeScope(w http.ResponseWriter, r *http.Request, id string, sq measure.ScopeQuery, v measure.Viewer) {
	store, ok := s.store.(measure.ScopeStore)
	if !ok {
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNAVAILABLE, "this server's store does not answer recall scopes"))
		return
	}
	q := r.URL.Query()
	at := s.clock.Now()
	if v := q.Get("at"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			s.writeError(w, r, tracegate.Invalidf("/query/at", "at %q is not an RFC 3339 time", v))
			return
		}
		at = t
	}
	sq.At = at
	if f := q.Get("format"); f != "" && f != "json" {
		format, err := measure.ParseExportFormat(f, "/query/format")
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		name := "scope"
		if id != "" {
			name += "-" + id
		}
		w.Header().Set("Content-Type", format.ContentType())
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+string(format)+`"`)
		w.Header().Set("Cache-Control", "no-store")
		// Rows are streamed as they are read: a failure after the first
		// byte can only cut the body short, which the client sees.
		if err := measure.Export(r.Context(), store, sq, v, format, w, label.EPC, nil); err != nil {
			s.log.ErrorContext(r.Context(), "scope export", "err", err)
		}
		return
	}
	sum, err := measure.Summarise(r.Context(), store, sq, v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sum.Measure = id
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, sum)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
