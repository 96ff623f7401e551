package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// handleFilingReview records a regulator's decision on a product filing:
// {"status":"approved","filingNumber"?} assigns (or confirms the proposed)
// 商品备案号, {"status":"rejected","reason"} sends it back; an optional
// "version" (the filing's updatedAt as read) refuses a filing changed since.
// It answers the filing as it now is.
func (s *Server) handleFilingReview(w http.ResponseWriter, r *http.Request) {
	s.reviewFiling(w, r, func(rev *tracegate.ProductReview) error {
		if rev.Status == tracegate.FilingWithdrawn {
			return tracegate.Invalidf("/status", "a regulator approves or rejects; the owner withdraws")
		}
		return nil
	})
}

// handleFilingWithdraw withdraws the caller's own filing ({"reason"?}); a
// filing of another enterprise answers 404, as an unknown one does.
func (s *Server) handleFilingWithdraw(w http.ResponseWriter, r *http.Request) {
	s.reviewFiling(w, r, nil)
}

// reviewFiling decodes and applies a filing decision; check, when set,
// vets a regulator's decision, and without it the decision is the owner's
// withdrawal.
func (s *Server) reviewFiling(w http.ResponseWriter, r *http.Request, check func(*tracegate.ProductReview) error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, tracegate.Invalidf("/id", "filing id %q is not a number", r.PathValue("id")))
		return
	}
	limitBody(w, r, 64<<10)
	var rev tracegate.ProductReview
	if err := decodeJSON(r, &rev); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	if check == nil {
		f, err := s.products.FindProductByID(r.Context(), id)
		if err == nil {
			err = canWithdrawFiling(p, f)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		rev.Status = tracegate.FilingWithdrawn
	}
	rev.By = p.EnterpriseID
	if err := rev.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if check != nil {
		if err := check(&rev); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	f, err := s.products.ReviewProduct(r.Context(), id, rev)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
