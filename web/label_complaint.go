package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"tracegate"
	"tracegate/label"
)

// Complaint limits: a photo of up to 2 MB and a little text.
const (
	maxComplaintPhoto = 2 << 20
	maxComplaintBody  = maxComplaintPhoto + 64<<10
)

var complaintCategories = []string{"quality", "counterfeit", "label", "expired", "other"}

// handleComplaint stores a consumer's report from a scan page (a form,
// multipart with an optional JPEG or PNG photo, or urlencoded) as a risk
// signal. A browser is sent back to the page (303); other clients get 201.
func (s *Server) handleComplaint(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	// A report about a code that is not ours (a counterfeit label) is as
	// welcome as one about a genuine item, within the unknown-code limit.
	if err := s.limitLookup(w, r); err != nil {
		s.writeError(w, r, err)
		return
	}
	_, st, err := s.scannedLabel(r)
	if err != nil && !errors.Is(err, label.ErrNotGenuine) {
		s.writeError(w, r, err)
		return
	}
	if st == nil {
		if err := s.limitUnknownCodes(w, r); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxComplaintBody)
	cm, err := readComplaint(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if st != nil {
		cm.Hash, cm.GTIN, cm.Batch = &st.Hash, st.GTIN, st.Batch
	} else {
		// Not the code: a mistyped genuine one is a symbol away from a
		// printable label.
		cm.Text = "[not a genuine code] " + cm.Text
	}
	cm.IPPrefix, cm.Device = clientPrefix(r), string(label.ClassifyDevice(r.UserAgent()))
	if err := s.store.CreateComplaint(r.Context(), cm); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "complaint received", "complaint", cm.ID, "category", cm.Category, "gtin", cm.GTIN)
	if lang := r.FormValue("lang"); lang == "en" || lang == "zh" {
		r.URL.RawQuery = "lang=" + lang
	}
	if !strings.Contains(r.Header.Get("Accept"), "json") {
		http.Redirect(w, r, "/l/"+url.PathEscape(r.PathValue("code"))+"?complaint=sent&lang="+pageLang(r)+"#complaint", http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": cm.ID, "received": cm.CreatedAt})
}

// readComplaint reads and checks the form of a complaint.
func readComplaint(r *http.Request) (*label.Complaint, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var photo []byte
	switch mt {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxComplaintBody); err != nil {
			return nil, formError(err)
		}
		if f, _, err := r.FormFile("photo"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, maxComplaintPhoto+1))
			if err != nil {
				return nil, formError(err)
			}
			photo = b
		} else if !errors.Is(err, http.ErrMissingFile) {
			return nil, formError(err)
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, formError(err)
		}
	default:
		return nil, tracegate.Errorf(tracegate.EUNSUPPORTED, "send the complaint as multipart/form-data or application/x-www-form-urlencoded")
	}
	cm := &label.Complaint{Category: r.PostFormValue("category"), Text: strings.TrimSpace(r.PostFormValue("text")),
		Contact: strings.TrimSpace(r.PostFormValue("contact"))}
	if !slices.Contains(complaintCategories, cm.Category) {
		return nil, tracegate.Invalidf("/category", "category must be one of %s", strings.Join(complaintCategories, ", "))
	}
	if n := utf8.RuneCountInString(cm.Text); n == 0 || n > 1000 {
		return nil, tracegate.Invalidf("/text", "describe the problem in 1 to 1000 characters")
	}
	if utf8.RuneCountInString(cm.Contact) > 100 {
		return nil, tracegate.Invalidf("/contact", "contact is at most 100 characters")
	}
	if len(photo) > 0 {
		if len(photo) > maxComplaintPhoto {
			return nil, &tracegate.Error{Code: tracegate.ETOOLARGE, Pointer: "/photo", Message: "the photo is larger than 2 MB"}
		}
		switch ct := http.DetectContentType(photo); ct {
		case "image/jpeg", "image/png":
			cm.Photo, cm.PhotoType = photo, ct
		default:
			return nil, tracegate.Invalidf("/photo", "the photo must be a JPEG or PNG image, not %s", ct)
		}
	}
	return cm, nil
}

// formError maps a form parsing failure to ETOOLARGE or EINVALID.
func formError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) || strings.Contains(err.Error(), "too large") {
		return tracegate.Errorf(tracegate.ETOOLARGE, "the complaint is larger than %d bytes", maxComplaintBody)
	}
	return tracegate.Invalidf("", "cannot read the form: %v", err)
}
