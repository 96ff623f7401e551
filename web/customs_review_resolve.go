package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/customs"
)

// maxReviewBody bounds the JSON of a review resolution.
const maxReviewBody = 16 << 10

// handleCustomsReviewResolve records a regulator officer's decision on the
// open manual review of declaration {id}: {"decision":"pass"|"refuse",
// "reason":"…"} (reason required to refuse). It answers the new decision,
// its ledger index and its CEB622 receipt; 409 when the declaration has no
// open review (resolved already).
func (s *Server) handleCustomsReviewResolve(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration %q", r.PathValue("id")))
		return
	}
	limitBody(w, r, maxReviewBody)
	var body customs.ReviewResolution
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := tracegate.PrincipalFrom(r.Context())
	res, err := s.customs.ResolveReview(r.Context(), id, customs.Officer{EnterpriseID: p.EnterpriseID, USCC: p.USCC, KeyID: p.KeyID}, body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
