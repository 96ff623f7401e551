package web

import (
	"net/http"

	"tracegate"
	"tracegate/gs1"
)

// handleProductGet answers the filings of one GTIN the caller may see: a
// regulator every enterprise's, an enterprise its own. 404 when none.
func (s *Server) handleProductGet(w http.ResponseWriter, r *http.Request) {
	gtin, err := gs1.NormalizeGTIN(r.PathValue("gtin"))
	if err != nil {
		s.writeError(w, r, tracegate.Invalidf("/gtin", "%v", err))
		return
	}
	f := tracegate.ProductFilter{GTIN: gtin, OwnerID: productScope(principalOf(r))}
	list, err := s.products.ListProducts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(list) == 0 {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no product filing of GTIN %s that you may see", gtin))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"gtin": gtin, "filings": list})
}

// handleProductList answers a page of the filings the caller may see,
// optionally of one status (?status=submitted is the regulator's queue).
func (s *Server) handleProductList(w http.ResponseWriter, r *http.Request) {
	f := tracegate.ProductFilter{OwnerID: productScope(principalOf(r)), Status: tracegate.FilingStatus(r.URL.Query().Get("status"))}
	switch f.Status {
	case "", tracegate.FilingSubmitted, tracegate.FilingApproved, tracegate.FilingRejected, tracegate.FilingWithdrawn:
	default:
		s.writeError(w, r, tracegate.Invalidf("/status", "unknown filing status %q (want submitted, approved, rejected or withdrawn)", f.Status))
		return
	}
	var err error
	if f.Limit, f.Offset, err = pageParams(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.products.ListProducts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"products": list, "limit": f.Limit, "offset": f.Offset})
}
