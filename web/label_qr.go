package web

import (
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/label"
)

// handleLabelQR answers the QR code of a label as SVG (default) or PNG
// (?format=png&size=pixels), for printing one label.
func (s *Server) handleLabelQR(w http.ResponseWriter, r *http.Request) {
	c, _, err := s.labelFromPath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	url := label.URL(s.labels.BaseURL(), c)
	var b []byte
	q := r.URL.Query()
	switch q.Get("format") {
	case "", "svg":
		b, err = label.QRSVG(url)
		w.Header().Set("Content-Type", "image/svg+xml")
	case "png":
		size := 400
		if v := q.Get("size"); v != "" {
			if size, err = strconv.Atoi(v); err != nil {
				s.writeError(w, r, tracegate.Invalidf("/query/size", "size must be a number of pixels"))
				return
			}
		}
		b, err = label.QRPNG(url, size)
		w.Header().Set("Content-Type", "image/png")
	default:
		err = tracegate.Invalidf("/query/format", `format must be "svg" or "png"`)
	}
	if err != nil {
		w.Header().Del("Content-Type")
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(b)
}
