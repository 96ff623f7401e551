package web

import (
	"net/http"
	"strings"

	"tracegate/epcis"
)

// answerQuery runs q within the caller's view and writes the page.
func (s *Server) answerQuery(w http.ResponseWriter, r *http.Request, q *epcis.Query, name string) {
	setEPCISHeaders(w)
	format, err := epcis.ParseEPCFormat(r.Header.Get("GS1-EPC-Format"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, next, err := s.events.Query(r.Context(), readerOf(principalOf(r)), q)
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
