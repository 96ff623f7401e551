package web

import (
	"net/http"
	"time"

	"tracegate/label"
)

// holdBody is the body of POST /api/holds.
type holdBody struct {
	Kind   label.NoticeKind `json:"kind"`
	GTIN   string           `json:"gtin"`
	Batch  string           `json:"batch"`
	Text   string           `json:"text"`
	TextEN string           `json:"textEn"`
	Since  time.Time        `json:"since,omitzero"`
	Until  *time.Time       `json:"until,omitempty"`
}

// handleHoldCreate lets a regulator put a recall, stop-sale or risk notice
// on a product or one batch: it refuses binding (recall, stop-sale) and
// shows on every affected scan page at once.
func (s *Server) handleHoldCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var b holdBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := label.Hold{Kind: b.Kind, GTIN: b.GTIN, Batch: b.Batch, Text: b.Text, TextEN: b.TextEN, Since: b.Since, Until: b.Until,
		CreatedBy: principalOf(r).EnterpriseID}
	if h.Since.IsZero() {
		h.Since = s.clock.Now().UTC()
	}
	if err := label.CheckHold(&h); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.holds.CreateHold(r.Context(), &h); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.resolver.ForgetHolds() // this node's pages show it at once; other nodes within 5 s
	w.Header().Set("Location", "/api/holds?gtin="+h.GTIN)
	writeJSON(w, http.StatusCreated, h)
}
