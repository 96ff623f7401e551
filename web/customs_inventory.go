package web

import (
	"net/http"
	"strings"

	"tracegate"
)

// handleCustomsInventory answers the decision of the declaration of
// ?ebpCode=…&orderNo=… in the contract shape
// {"status","reasons":[{"rule","message"}],"tax":{"customs","vat","consumption","total"}}.
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
	rec, d, err := s.customs.InventoryDecision(r.Context(), ebp, order, s.clock.Now())
	if err == nil {
		err = canSeeDeclaration(tracegate.PrincipalFrom(r.Context()), rec.Senders)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
}
