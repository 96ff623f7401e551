package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"tracegate"
	"tracegate/label"
)

// Complaint limits: a photo of up to 2 MB and a little text.
const (
	maxComplaintPhoto = 2 << 20
	// maxComplaintFields bounds what is not the photo: the text fields and
	// the multipart framing.
	maxComplaintFields = 64 << 10
	maxComplaintBody   = maxComplaintPhoto + maxComplaintFields
	maxComplaintParts  = 16
)

var complaintCategories = []string{"quality", "counterfeit", "label", "expired", "other"}

// handleComplaint stores a consumer's report from a scan page (a form,
// multipart with an optional JPEG or PNG photo, or urlencoded) as a risk
// signal, and gives the consumer its reference. A browser is sent to the
// complaint's page (303), which thanks them and shows the reference; other
// clients get 201 with the reference. Complaints are limited per network
// and per code, and photos by a storage quota (complaint_limit.go); the
// photo is streamed to a temporary file as it arrives, never buffered
// whole with the rest of the form.
func (s *Server) handleComplaint(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.limitLookup(w, r); err != nil {
		s.writeError(w, r, err)
		return
	}
	// A report about a code that is not ours (a counterfeit label) is as
	// welcome as one about a genuine item, within the unknown-code limit.
	_, st, err := s.scannedLabel(r)
	if err != nil && !errors.Is(err, label.ErrNotGenuine) {
		s.writeError(w, r, err)
		return
	}
	codeKey := "code:" + strings.ToUpper(r.PathValue("code"))
	if st == nil {
		if err := s.limitUnknownCodes(w, r); err != nil {
			s.writeError(w, r, err)
			return
		}
	} else {
		codeKey = "label:" + string(st.Hash[:])
	}
	if err := s.limitComplaint(w, r, codeKey); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.checkPhotoRoom(r.Context(), r); err != nil {
		s.writeError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxComplaintBody)
	cm, photo, lang, err := s.readComplaint(r)
	if photo != nil {
		defer func() { photo.Close(); os.Remove(photo.Name()) }()
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if st != nil {
		cm.Hash, cm.GTIN, cm.Batch = &st.Hash, st.GTIN, st.Batch
		if cm.OwnerID, err = s.labelProductOwner(r, st); err != nil {
			s.writeError(w, r, err)
			return
		}
	} else {
		// Not the code: a mistyped genuine one is a symbol away from a
		// printable label.
		cm.Text = "[not a genuine code] " + cm.Text
	}
	cm.IPPrefix, cm.Device = clientPrefix(r), string(label.ClassifyDevice(r.UserAgent()))
	if cm.Reference, err = label.NewComplaintReference(); err != nil {
		s.writeError(w, r, err)
		return
	}
	cm.RefHash, _ = label.ComplaintRefHash(cm.Reference)
	release, err := s.complaintLimits.insertSlot(r.Context())
	if err != nil {
		return // the client left
	}
	err = s.fileComplaint(r, cm, photo)
	release()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "complaint received", "complaint", cm.ID, "category", cm.Category, "gtin", cm.GTIN)
	s.riskComplaints(r.Context())
	if !strings.Contains(r.Header.Get("Accept"), "json") {
		http.Redirect(w, r, "/complaints/"+url.PathEscape(cm.Reference)+"?complaint=sent&lang="+lang+"#thanks", http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": cm.ID, "reference": cm.Reference, "status": cm.Status,
		"received": cm.CreatedAt, "statusUrl": s.publicBase + "/complaints/" + cm.Reference})
}

// fileComplaint reads the spooled photo (if any) into cm and stores cm
// under the photo quota.
func (s *Server) fileComplaint(r *http.Request, cm *label.Complaint, photo *os.File) error {
	if photo != nil {
		fi, err := photo.Stat()
		if err != nil {
			return err
		}
		cm.Photo = make([]byte, fi.Size())
		if _, err := photo.ReadAt(cm.Photo, 0); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
	}
	err := s.complaints.File(r.Context(), cm, s.complaintLimits.photoQuota)
	cm.Photo = nil
	return err
}

// labelProductOwner is the enterprise that filed the product a label is bound
// to (0 while unbound).
func (s *Server) labelProductOwner(r *http.Request, st *label.State) (int64, error) {
	if st.ProductID == 0 {
		return 0, nil
	}
	p, err := s.resolver.Product(r.Context(), st)
	if err != nil || p == nil {
		return 0, err
	}
	return p.OwnerID, nil
}

// readComplaint reads and checks the form of a complaint: its fields, the
// page's language, and the photo spooled to a temporary file (nil without
// one; the caller removes it).
func (s *Server) readComplaint(r *http.Request) (*label.Complaint, *os.File, string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	fields := url.Values{}
	var photo *os.File
	switch mt {
	case "multipart/form-data":
		var err error
		if photo, err = s.readComplaintParts(r, fields); err != nil {
			return nil, photo, "", err
		}
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(nil, r.Body, maxComplaintFields)
		if err := r.ParseForm(); err != nil {
			return nil, nil, "", formError(err)
		}
		fields = r.PostForm
	default:
		return nil, nil, "", tracegate.Errorf(tracegate.EUNSUPPORTED, "send the complaint as multipart/form-data or application/x-www-form-urlencoded")
	}
	lang := "zh"
	if l := fields.Get("lang"); l == "en" || l == "zh" {
		lang = l
	} else {
		lang = pageLang(r)
	}
	cm := &label.Complaint{Category: fields.Get("category"), Text: strings.TrimSpace(fields.Get("text")),
		Contact: strings.TrimSpace(fields.Get("contact"))}
	if !slices.Contains(complaintCategories, cm.Category) {
		return nil, photo, lang, tracegate.Invalidf("/category", "category must be one of %s", strings.Join(complaintCategories, ", "))
	}
	if n := utf8.RuneCountInString(cm.Text); n == 0 || n > 1000 {
		return nil, photo, lang, tracegate.Invalidf("/text", "describe the problem in 1 to 1000 characters")
	}
	if utf8.RuneCountInString(cm.Contact) > 100 {
		return nil, photo, lang, tracegate.Invalidf("/contact", "contact is at most 100 characters")
	}
	if photo != nil {
		head := make([]byte, 512)
		n, _ := photo.ReadAt(head, 0)
		switch ct := http.DetectContentType(head[:n]); ct {
		case "image/jpeg", "image/png":
			cm.PhotoType = ct
		default:
			return nil, photo, lang, tracegate.Invalidf("/photo", "the photo must be a JPEG or PNG image, not %s", ct)
		}
	}
	return cm, photo, lang, nil
}

// readComplaintParts streams a multipart complaint: small fields into
// fields, the photo part into a temporary file (at most maxComplaintPhoto
// bytes; an empty file input is no photo).
func (s *Server) readComplaintParts(r *http.Request, fields url.Values) (*os.File, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, formError(err)
	}
	var photo *os.File
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return photo, nil
		} else if err != nil {
			return photo, formError(err)
		}
		if i >= maxComplaintParts {
			return photo, tracegate.Invalidf("", "the form has more than %d parts", maxComplaintParts)
		}
		switch name := part.FormName(); name {
		case "photo":
			if photo != nil {
				return photo, tracegate.Invalidf("/photo", "send one photo")
			}
			f, err := os.CreateTemp(s.tempDir, "complaint-*")
			if err != nil {
				return nil, err
			}
			photo = f
			n, err := io.Copy(f, io.LimitReader(part, maxComplaintPhoto+1))
			if err != nil {
				return photo, formError(err)
			}
			if n > maxComplaintPhoto {
				return photo, &tracegate.Error{Code: tracegate.ETOOLARGE, Pointer: "/photo", Message: "the photo is larger than 2 MB"}
			}
			if n == 0 { // an empty file input
				photo.Close()
				os.Remove(photo.Name())
				photo = nil
			}
		case "category", "text", "contact", "lang":
			b, err := io.ReadAll(io.LimitReader(part, 8<<10+1))
			if err != nil {
				return photo, formError(err)
			}
			if len(b) > 8<<10 {
				return photo, tracegate.Invalidf("/"+name, "%s is too long", name)
			}
			fields.Set(name, string(b))
		default:
			if _, err := io.Copy(io.Discard, io.LimitReader(part, maxComplaintFields)); err != nil {
				return photo, formError(err)
			}
		}
	}
}

// formError maps a form parsing failure to ETOOLARGE or EINVALID.
func formError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) || strings.Contains(err.Error(), "too large") {
		return tracegate.Errorf(tracegate.ETOOLARGE, "the complaint is larger than %d bytes", maxComplaintBody)
	}
	return tracegate.Invalidf("", "cannot read the form: %v", err)
}
