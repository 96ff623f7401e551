package console

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// static holds the console's scripts and styles, and the vendored
// libraries (Apache ECharts from its npm package, with its LICENSE and
// NOTICE): nothing a page loads comes from another site.
//
//go:embed static
var staticFS embed.FS

var staticTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

// staticFiles are the files, each also gzipped once at start.
type staticFiles struct {
	m map[string]*staticFile
}

type staticFile struct {
	ctype   string
	raw, gz []byte
	etag    string
}

func loadStatic() (*staticFiles, error) {
	s := &staticFiles{m: map[string]*staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := staticTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		raw, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		sum := sha256.Sum256(raw)
		s.m[path.Base(p)] = &staticFile{ctype: ctype, raw: raw, gz: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return s, err
}

// handleStatic serves a static file, gzipped when the client accepts it;
// an unknown name is a 404 page.
func (c *Console) handleStatic(w http.ResponseWriter, r *http.Request) {
	f := c.static.m[r.PathValue("name")]
	if f == nil {
		c.renderError(&req{w: w, r: r, lang: langOf(r, nil)}, errNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", f.etag)
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		w.Write(f.gz)
		return
	}
	w.Write(f.raw)
}
