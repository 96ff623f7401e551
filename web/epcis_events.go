package web

import (
	"net/http"
	"strings"

	"tracegate"
	"tracegate/epcis"
)

// handleEventsQuery answers GET /epcis/events: a SimpleEventQuery from the
// query parameters, paged with perPage and nextPageToken, as an
// EPCISQueryDocument in JSON-LD, or XML when the client accepts only XML.
func (s *Server) handleEventsQuery(w http.ResponseWriter, r *http.Request) {
	q, err := epcis.ParseQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.answerQuery(w, r, q, "SimpleEventQuery")
}

// handleEPCEvents answers the events about one identifier (any role).
func (s *Server) handleEPCEvents(w http.ResponseWriter, r *http.Request) {
	q, err := epcis.ParseQuery(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := epcis.CheckText(r.PathValue("epc"), "/path/epc"); err != nil {
		s.writeError(w, r, err)
		return
	}
	q.MatchAnyEPC = append(q.MatchAnyEPC, epcis.CanonicalEPC(r.PathValue("epc")))
	s.answerQuery(w, r, q, "SimpleEventQuery")
}

// answerQuery runs q within the caller's view and writes the page.
func (s *Server) answerQuery(w http.ResponseWriter, r *http.Request, q *epcis.Query, name string) {
	setEPCISHeaders(w)
	format, err := epcis.ParseEPCFormat(r.Header.Get("GS1-EPC-Format"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if p := principalOf(r); p.Role != tracegate.RoleRegulator {
		q.EnterpriseID = p.EnterpriseID
	}
	if q.MaxEventCount > 0 {
		probe := *q
		probe.PerPage, probe.EventCountLimit, probe.PageToken = q.MaxEventCount+1, 0, ""
		if recs, _, err := s.store.QueryEvents(r.Context(), &probe); err != nil {
			s.writeError(w, r, err)
			return
		} else if len(recs) > q.MaxEventCount {
			s.writeError(w, r, tracegate.Errorf(tracegate.ETOOLARGE, "more than maxEventCount=%d events match (QueryTooLargeException)", q.MaxEventCount))
			return
		}
	}
	recs, next, err := s.store.QueryEvents(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if next != "" {
		u := *r.URL
		v := u.Query()
		v.Set("nextPageToken", next)
		u.RawQuery = v.Encode()
		w.Header().Set("Link", "<"+u.RequestURI()+">; rel=\"next\"")
	}
	s.writeEvents(w, r, recs, epcis.EncodeOptions{EPCFormat: format}, name)
}

// writeEvents writes records as an EPCISQueryDocument.
func (s *Server) writeEvents(w http.ResponseWriter, r *http.Request, recs []*epcis.Record, opts epcis.EncodeOptions, name string) {
	doc := &epcis.Document{Kind: epcis.KindQueryDocument, SchemaVersion: "2.0", CreationDate: s.clock.Now(), QueryName: name}
	xml := prefersXML(r.Header.Get("Accept"))
	type encoder interface {
		Encode(*epcis.Event) error
		Close() error
	}
	var enc encoder
	var err error
	if xml {
		w.Header().Set("Content-Type", "application/xml")
		enc, err = epcis.NewXMLEncoder(w, doc, opts)
	} else {
		w.Header().Set("Content-Type", "application/ld+json")
		enc, err = epcis.NewJSONEncoder(w, doc, opts)
	}
	if err != nil {
		return
	}
	for _, rec := range recs {
		e, err := epcis.DecodeEvent(rec.Body)
		if err != nil {
			s.log.ErrorContext(r.Context(), "stored event does not decode", "seq", rec.Seq, "err", err)
			continue
		}
		e.RecordTime = rec.RecordTime
		if err := enc.Encode(e); err != nil {
			return
		}
	}
	enc.Close()
}

// prefersXML reports whether the client accepts XML and not JSON.
func prefersXML(accept string) bool {
	return (strings.Contains(accept, "application/xml") || strings.Contains(accept, "text/xml")) &&
		!strings.Contains(accept, "json")
}

// handleEventGet answers one event by eventID or hash to whoever may see
// that stored record (the visibility rule of docs/security-epcis.md): the
// check is on the record found, never on another event with its eventID.
func (s *Server) handleEventGet(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	id := eventIDParam(r)
	if err := epcis.CheckText(id, "/path/eventID"); err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, err := s.store.FindEvent(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if p := principalOf(r); p.Role != tracegate.RoleRegulator && rec.EnterpriseID != p.EnterpriseID {
		visible, _, err := s.store.QueryEvents(r.Context(), &epcis.Query{Seqs: []int64{rec.Seq}, EnterpriseID: p.EnterpriseID, PerPage: 1, OmitBody: true})
		if err != nil || len(visible) == 0 {
			s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no event %s", id))
			return
		}
	}
	format, err := epcis.ParseEPCFormat(r.Header.Get("GS1-EPC-Format"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if prefersXML(r.Header.Get("Accept")) {
		s.writeEvents(w, r, []*epcis.Record{rec}, epcis.EncodeOptions{EPCFormat: format}, "")
		return
	}
	e, err := epcis.DecodeEvent(rec.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e.RecordTime = rec.RecordTime
	w.Header().Set("Content-Type", "application/ld+json")
	w.Write(epcis.MarshalEventJSON(e.WithEPCFormat(format, 0), epcis.EncodeOptions{EPCFormat: format}))
}

// handleEventTypes lists the event types (EPCIS 2.0 top-level resource).
func (s *Server) handleEventTypes(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	writeJSON(w, http.StatusOK, map[string]any{"@set": []epcis.EventType{epcis.ObjectEvent, epcis.AggregationEvent,
		epcis.TransactionEvent, epcis.TransformationEvent, epcis.AssociationEvent}})
}

// handleBizSteps lists the CBV 2.0 business steps.
func (s *Server) handleBizSteps(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	writeJSON(w, http.StatusOK, map[string]any{"@set": epcis.StandardVocab(epcis.VocabBizStep)})
}

// eventIDParam reads the {eventID...} path value (already unescaped by the
// mux). A hash eventID sent without escaping its "?ver=CBV2.0" arrives
// split into path and query; this joins it again.
func eventIDParam(r *http.Request) string {
	id := r.PathValue("eventID")
	if r.URL.RawQuery != "" && strings.HasPrefix(id, "ni:") && !strings.Contains(id, "?") {
		id += "?" + r.URL.RawQuery
	}
	return id
}
