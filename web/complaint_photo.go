package web

import (
	"net/http"
	"strconv"
)

// handleComplaintPhoto answers a complaint's photo to whoever may read the
// complaint (a regulator, the product's enterprise); 404 otherwise or
// without a photo. It is served as an attachment of its sniffed type
// (JPEG or PNG, checked when filed), never rendered as a page.
func (s *Server) handleComplaintPhoto(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.visibleComplaint(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	photo, ct, err := s.complaints.Photo(r.Context(), c.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(photo)))
	h.Set("Content-Disposition", "attachment; filename=complaint-"+strconv.FormatInt(c.ID, 10)+map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}[ct])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(photo)
}
