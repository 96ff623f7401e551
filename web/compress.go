package web

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Responses are gzip-compressed when the client accepts it and the body is
// text (HTML, JSON, XML, CSV, SVG) of at least minCompressSize bytes.
// Images, PDFs and other already-compressed bodies pass through, as do
// tiny bodies, whose compressed form saves nothing. Only gzip: brotli would
// need a dependency the standard library does not provide.

// minCompressSize is the smallest body worth compressing: below about one
// packet, gzip's header and the CPU cost outweigh the saving.
const minCompressSize = 1024

// gzipLevel is the level of dynamic responses: BestSpeed, as web servers
// commonly use for them, most of the size saving at a fraction of the CPU.
const gzipLevel = gzip.BestSpeed

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return w
}}

// withCompression compresses the responses of next as described above.
func (s *Server) withCompression(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, accepts: acceptsGzip(r.Header.Get("Accept-Encoding"))}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (or
// any coding, *) with a non-zero quality.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// compressible reports whether a Content-Type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "image/svg+xml":
		return true
	}
	return false
}

// compressWriter decides, once the status and headers are known, whether
// to compress: immediately when the length is declared, otherwise after
// minCompressSize bytes have been buffered (a shorter body goes out plain).
type compressWriter struct {
	http.ResponseWriter
	accepts bool
	status  int          // 0 until WriteHeader
	decided bool         // passing through or compressing
	gz      *gzip.Writer // non-nil when compressing
	buf     []byte       // the first bytes, while undecided
}

func (w *compressWriter) WriteHeader(code int) {
	if w.status != 0 || w.decided {
		return
	}
	if code < 200 {
		w.ResponseWriter.WriteHeader(code) // informational: not the response
		return
	}
	w.status = code
	h := w.Header()
	switch {
	case code == http.StatusNoContent || code == http.StatusNotModified || h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")):
		w.passThrough()
	case !w.accepts:
		h.Add("Vary", "Accept-Encoding")
		w.passThrough()
	default:
		if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil {
			if n < minCompressSize {
				h.Add("Vary", "Accept-Encoding")
				w.passThrough()
			} else {
				w.startGzip()
			}
		}
	}
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	switch {
	case w.gz != nil:
		return w.gz.Write(b)
	case w.decided:
		return w.ResponseWriter.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) >= minCompressSize {
		w.startGzip()
	}
	return len(b), nil
}

// Flush sends what was written so far: a streamed body is compressed, so
// its first flush decides for gzip.
func (w *compressWriter) Flush() {
	if w.status != 0 && !w.decided {
		w.startGzip()
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the real writer (deadlines).
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *compressWriter) passThrough() {
	w.decided = true
	w.ResponseWriter.WriteHeader(w.status)
	if len(w.buf) > 0 {
		w.ResponseWriter.Write(w.buf)
		w.buf = nil
	}
}

func (w *compressWriter) startGzip() {
	w.decided = true
	h := w.Header()
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	h.Del("Content-Length")
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		h.Set("ETag", "W/"+et) // the bytes differ from the identity form
	}
	w.ResponseWriter.WriteHeader(w.status)
	w.gz = gzipWriters.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	if len(w.buf) > 0 {
		w.gz.Write(w.buf)
		w.buf = nil
	}
}

// close finishes the response: a body still undecided is short and goes
// out plain; a gzip stream is closed and its writer pooled.
func (w *compressWriter) close() {
	if w.status != 0 && !w.decided {
		w.Header().Add("Vary", "Accept-Encoding")
		w.passThrough()
	}
	if w.gz != nil {
		w.gz.Close()
		w.gz.Reset(nil)
		gzipWriters.Put(w.gz)
		w.gz = nil
	}
}
