package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"strconv"

	"tracegate"
	"tracegate/gs1"
)

// maxProductPhoto bounds a filing's product photo.
const maxProductPhoto = 1 << 20

// handleProductPhotoPut stores the body (image/jpeg or image/png, at most
// 1 MiB, its bytes checked against the type) as the photo of the caller's
// filing of the GTIN and answers the filing: a new photo is a filed fact,
// so an approved filing goes back to the regulator. A filing the caller
// does not own answers 404.
func (s *Server) handleProductPhotoPut(w http.ResponseWriter, r *http.Request) {
	gtin, err := gs1.NormalizeGTIN(r.PathValue("gtin"))
	if err != nil {
		s.writeError(w, r, tracegate.Invalidf("/gtin", "%v", err))
		return
	}
	typ, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if typ != "image/jpeg" && typ != "image/png" {
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNSUPPORTED, "send the photo as image/jpeg or image/png"))
		return
	}
	photo, err := io.ReadAll(io.LimitReader(r.Body, maxProductPhoto+1))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(photo) > maxProductPhoto {
		s.writeError(w, r, tracegate.Errorf(tracegate.ETOOLARGE, "the photo is larger than %d bytes", maxProductPhoto))
		return
	}
	if http.DetectContentType(photo) != typ { // the bytes, sniffed as the complaint form's photos are
		s.writeError(w, r, tracegate.Invalidf("/photo", "the body is not a %s image", typ))
		return
	}
	p := principalOf(r)
	f, err := s.products.FindProduct(r.Context(), p.EnterpriseID, gtin)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if f, err = s.products.SetProductPhoto(r.Context(), f.ID, typ, photo); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// handlePhotoGet serves a product photo by its SHA-256: public (the scan
// page shows it) and immutable (its name is its content). The bytes are
// checked against the name, so a photo changed in the database is never
// served as the filed one.
func (s *Server) handlePhotoGet(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sha256")
	if b, err := hex.DecodeString(sum); err != nil || len(b) != 32 {
		s.writeError(w, r, tracegate.Invalidf("/sha256", "a photo is named by the hex SHA-256 of its bytes"))
		return
	}
	typ, photo, err := s.products.ProductPhoto(r.Context(), sum)
	if err == nil && hexSHA256(photo) != sum {
		err = tracegate.Errorf(tracegate.EINTERNAL, "product photo %s does not match its hash", sum)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.Itoa(len(photo)))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(photo)
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
