package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// handleCreditBlacklistCSV serves an edition as CSV: one row per
// enterprise listed (status listed, since) or removed (status removed,
// removed_at), UTF-8 with a header.
func (s *Server) handleCreditBlacklistCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.blacklistEdition(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="blacklist-`+strconv.FormatInt(e.Edition, 10)+`.csv"`)
	w.Header().Set("Cache-Control", "public, max-age=300")
	cw := csv.NewWriter(w)
	cw.Write([]string{"edition", "published_at", "status", "uscc", "name", "level", "since", "removed_at", "reasons"})
	ed, pub := strconv.FormatInt(e.Edition, 10), e.PublishedAt.Format(time.RFC3339)
	for _, x := range e.Entries {
		cw.Write([]string{ed, pub, "listed", x.USCC, csvSafe(x.Name), strconv.Itoa(x.Level), x.Since.Format(time.RFC3339), "", strings.Join(x.Reasons, ";")})
	}
	for _, x := range e.Removals {
		cw.Write([]string{ed, pub, "removed", x.USCC, csvSafe(x.Name), "", "", x.RemovedAt.Format(time.RFC3339), ""})
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from taking a name for a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
