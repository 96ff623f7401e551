package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"tracegate"
	"tracegate/customs"
)

// handleCustomsMessage takes one CEB message (application/xml or text/xml;
// a DXP envelope is unwrapped) and answers what became of each document:
// its match state, its decision and, for inventories, the CEB622 receipt.
// Bad input is refused as problem+json naming the element; nothing of it is
// stored. A refused order, payment, waybill or cancel message that parsed
// also carries the refusal receipt of its documents (member "receipt").
func (s *Server) handleCustomsMessage(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/xml" && mt != "text/xml" {
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNSUPPORTED, "send one CEB message as application/xml"))
		return
	}
	limitBody(w, r, customs.MaxMessageSize+1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = tracegate.Errorf(tracegate.ETOOLARGE, "a customs message is at most %d bytes", customs.MaxMessageSize)
		}
		s.writeError(w, r, err)
		return
	}
	p := tracegate.PrincipalFrom(r.Context())
	codes, err := s.confirmedCodes(r.Context(), p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.customs.Intake(r.Context(), customs.Sender{EnterpriseID: p.EnterpriseID, USCC: p.USCC, Role: p.Role, Codes: codes}, body)
	var refusal *customs.Refusal
	if errors.As(err, &refusal) {
		s.writeRefusal(w, r, refusal)
		return
	} else if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// writeRefusal answers a refused message as problem+json with one more
// member, receipt: the refusal receipt (XML) of its documents.
func (s *Server) writeRefusal(w http.ResponseWriter, r *http.Request, refusal *customs.Refusal) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	p := problemFor(r, refusal)
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(struct {
		Problem
		Receipt string `json:"receipt"`
	}{p, refusal.Receipt})
}
