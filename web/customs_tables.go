package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"tracegate"
)

// maxCustomsTableBytes bounds a table upload (the positive list has about
// 1,500 lines; the tariff some 10,000).
const maxCustomsTableBytes = 16 << 20

// handleCustomsTableLoad loads a new version of a customs table from a CSV
// body: kind is positive-list, tariff, prohibited, barcode-risk or hs-risk.
// A table that does not parse is refused whole, naming line and column.
func (s *Server) handleCustomsTableLoad(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNSUPPORTED, "send the table as text/csv"))
		return
	}
	limitBody(w, r, maxCustomsTableBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = tracegate.Errorf(tracegate.ETOOLARGE, "a table is at most %d bytes", maxCustomsTableBytes)
		}
		s.writeError(w, r, err)
		return
	}
	t, err := s.customs.LoadTable(r.Context(), r.PathValue("kind"), body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}
