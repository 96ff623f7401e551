package web

import (
	"net/http"
	"strings"

	"tracegate"
	"tracegate/customs"
)

// handleCustomsInventory answers the decision of the declaration of
// ?ebpCode=…&orderNo=… in the contract shape
// {"status","reasons":[{"rule","message"}],"tax":{"customs","vat","consumption","total"}},
// to a regulator or a party of the declaration through its confirmed
// customs codes (canSeeDeclaration); anyone else gets the answer of an
// order that does not exist.
func (s *Server) handleCustomsInventory(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	ebp, order := strings.TrimSpace(q.Get("ebpCode")), strings.TrimSpace(q.Get("orderNo"))
	if ebp == "" || order == "" {
		s.writeError(w, r, tracegate.Invalidf("/query/ebpCode", "ebpCode and orderNo are required"))
		return
	}
	p := tracegate.PrincipalFrom(r.Context())
	codes, err := s.confirmedCodes(r.Context(), p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rec, d, err := s.customs.InventoryDecision(r.Context(), ebp, order, s.clock.Now())
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		err = errNoDeclaration
	}
	if err == nil {
		var parties customs.Parties
		if parties, err = rec.Parties(); err == nil {
			err = canSeeDeclaration(p, codes, parties)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !seesAll(p) {
		d = d.Redacted()
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
}
