package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// productRequest is the body of POST /api/products. A regulator files for
// an owner (ownerUscc); an enterprise files for itself.
type productRequest struct {
	tracegate.Product
	OwnerUSCC string `json:"ownerUscc"`
}

// handleProductCreate creates or updates the caller's filing of a GTIN and
// answers it: 201 when created, 200 when updated.
func (s *Server) handleProductCreate(w http.ResponseWriter, r *http.Request) {
	limitBody(w, r, s.maxBody)
	var req productRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := req.Product
	owner, err := s.productOwner(r, req.OwnerUSCC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p.OwnerID, p.ID = owner.ID, 0
	if err := p.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	created, err := s.products.SaveProducts(r.Context(), []*tracegate.Product{&p})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p.OwnerUSCC = owner.USCC
	status := http.StatusOK
	if created == 1 {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/products/"+p.GTIN+"?owner="+strconv.FormatInt(owner.ID, 10))
	writeJSON(w, status, p)
}

// productOwner is the enterprise a filing belongs to: the caller, or for a
// regulator the enterprise it names.
func (s *Server) productOwner(r *http.Request, ownerUSCC string) (*tracegate.Enterprise, error) {
	p := principalOf(r)
	if !seesAll(p) {
		if err := canFileFor(p, ownerUSCC); err != nil {
			return nil, err
		}
		return s.enterprises.FindEnterprise(r.Context(), p.EnterpriseID)
	}
	if ownerUSCC == "" {
		return nil, tracegate.Invalidf("/ownerUscc", "a regulator must name the owner enterprise (ownerUscc)")
	}
	e, err := s.enterprises.FindEnterpriseByUSCC(r.Context(), ownerUSCC)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil, tracegate.Invalidf("/ownerUscc", "no enterprise with USCC %s", ownerUSCC)
	}
	return e, err
}
