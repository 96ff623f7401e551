package web

import (
	"net/http"
	"strconv"
	"strings"

	"tracegate/customs"
)

// customsTableView is a loaded table version as the API shows it.
type customsTableView struct {
	customs.TableVersion
	CSV string `json:"csv"`
}

// handleCustomsTableGet reads back the version of a customs table in force:
// JSON with its CSV by default, the CSV alone for Accept: text/csv (the
// version and load time then ride in X-Table-Version and Last-Modified).
func (s *Server) handleCustomsTableGet(w http.ResponseWriter, r *http.Request) {
	if err := s.customsService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.customs.Table(r.Context(), r.PathValue("kind"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Vary", "Accept")
	if strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("X-Table-Version", strconv.FormatInt(t.ID, 10))
		w.Header().Set("Last-Modified", t.LoadedAt.UTC().Format(http.TimeFormat))
		w.Write([]byte(t.CSV))
		return
	}
	writeJSON(w, http.StatusOK, customsTableView{TableVersion: *t, CSV: t.CSV})
}
