package web

import (
	"bufio"
	"context"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"

	"tracegate"
	"tracegate/label"
)

// labelRequestBody is the body of POST /api/labels/requests.
type labelRequestBody struct {
	Count   int    `json:"count"`
	Caption string `json:"caption"`
	// Format is csv (default), pdf (printable sheets) or svg/png (not
	// here: per code, from /api/labels/{code}/qr).
	Format string `json:"format"`
	Layout string `json:"layout"` // a4 (default) or roll, for pdf
}

// handleLabelRequest issues count codes to the caller and answers them,
// once, as a streamed CSV (code,url) or PDF sheets. The codes are stored
// (as keyed hashes) and committed to the ledger before the first byte is
// sent; they are never shown again.
func (s *Server) handleLabelRequest(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	limitBody(w, r, s.maxBody)
	var body labelRequestBody
	if err := decodeJSON(r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	var layout label.Layout
	switch body.Format {
	case "", "csv":
		body.Format = "csv"
	case "pdf":
		switch body.Layout {
		case "", "a4":
			layout = label.A4Layout()
		case "roll":
			layout = label.RollLayout()
		default:
			s.writeError(w, r, tracegate.Invalidf("/layout", `layout must be "a4" or "roll"`))
			return
		}
	default:
		s.writeError(w, r, tracegate.Invalidf("/format", `format must be "csv" or "pdf" (PNG and SVG per code: GET /api/labels/{code}/qr)`))
		return
	}
	p := principalOf(r)
	// The request's work must finish even if the client goes away now:
	// what is committed is then still consistent.
	req, codes, err := s.labels.Issue(context.WithoutCancel(r.Context()), p, body.Count, body.Caption, s.ledger != nil)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "labels issued", "request", req.ID, "count", req.Count, "enterprise", p.EnterpriseID)
	id := strconv.FormatInt(req.ID, 10)
	w.Header().Set("Label-Request-Id", id)
	w.Header().Set("Cache-Control", "no-store")
	seq := slices.Values(codes)
	bw := bufio.NewWriterSize(w, 64<<10)
	if body.Format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="labels-`+id+`.csv"`)
		w.WriteHeader(http.StatusCreated)
		err = label.WriteCSV(bw, seq, s.labels.BaseURL())
	} else {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="labels-`+id+`.pdf"`)
		w.WriteHeader(http.StatusCreated)
		err = label.WriteSheetPDF(bw, layout, label.LabelsFor(s.labels.BaseURL(), body.Caption, seq))
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// The status is sent; the client sees a cut-off body.
		s.log.WarnContext(r.Context(), "label request not fully delivered", "request", req.ID, "err", err)
	}
	releaseBulkMemory(req.Count)
}

// releaseBulkMemory hands the memory of a bulk request (a million codes,
// their hashes, commitments and leaves: a few hundred MiB) back to the
// system at once rather than as the runtime gets round to it, so that a
// rare bulk job does not leave the server large.
func releaseBulkMemory(n int) {
	if n >= 100_000 {
		go debug.FreeOSMemory()
	}
}
