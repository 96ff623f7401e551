package web

import (
	"net/http"

	"tracegate/epcis"
)

// An enterprise's GS1 company prefixes make it a party of the EPCIS events
// naming its GLNs and transactions, the owner of its locations' master data
// and the brand owner of its GTINs (docs/security-epcis.md); so only a
// regulator registers them.

// prefixRequest is the body of POST /api/enterprises/{id}/gs1-prefixes.
type prefixRequest struct {
	Prefix string `json:"prefix"`
}

// handlePrefixList answers an enterprise's registered GS1 company prefixes
// (a regulator any enterprise's; an enterprise its own).
func (s *Server) handlePrefixList(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := canSeeEnterprise(principalOf(r), e.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.events.CompanyPrefixes(r.Context(), e.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"enterpriseId": e.ID, "prefixes": list})
}

// handlePrefixCreate registers a GS1 company prefix to an enterprise
// (regulators only): 201, or 409 when another enterprise holds it.
func (s *Server) handlePrefixCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var req prefixRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	prefix, err := epcis.ParseCompanyPrefix(req.Prefix)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.findEnterprise(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if prefix, err = s.events.RegisterCompanyPrefix(r.Context(), e.ID, prefix); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "GS1 company prefix registered", "enterprise", e.ID, "prefix", prefix, "by", principalOf(r).EnterpriseID)
	writeJSON(w, http.StatusCreated, map[string]any{"enterpriseId": e.ID, "prefix": prefix})
}
