package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tracegate"
	"tracegate/label"
	"tracegate/locale"
)

// handleComplaintPage is the consumer's page of one complaint, found by the
// reference they got when sending it: its status and the answers (by role,
// never by name), in Chinese or English, or as JSON. It shows nothing of
// anyone else, and an unknown reference answers like a malformed one (404).
// Lookups count toward the network's limits like label codes do.
func (s *Server) handleComplaintPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the reference is in the URL
	lang := pageLang(r)
	if err := s.limitLookup(w, r); err != nil {
		s.writeError(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	hash, ok := label.ComplaintRefHash(ref)
	var c *label.Complaint
	var err error = tracegate.Errorf(tracegate.ENOTFOUND, "no complaint has this reference")
	if ok {
		c, err = s.complaints.ByReference(r.Context(), hash)
	}
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		if limited := s.limitUnknownCodes(w, r); limited != nil {
			err = limited
		}
	}
	if err != nil {
		if !strings.Contains(r.Header.Get("Accept"), "json") && tracegate.IsCode(err, tracegate.ENOTFOUND) {
			s.writeComplaintPage(w, r, http.StatusNotFound, &complaintPageData{T: complaintTexts(lang), Lang: lang})
			return
		}
		s.writeError(w, r, err)
		return
	}
	pc := toPublicComplaint(strings.ToUpper(ref), c)
	if strings.Contains(r.Header.Get("Accept"), "json") {
		writeJSON(w, http.StatusOK, pc)
		return
	}
	d := &complaintPageData{T: complaintTexts(lang), Lang: lang, C: &pc, Sent: r.URL.Query().Get("complaint") == "sent",
		Path: "/complaints/" + pc.Reference}
	d.Category = categoryName(lang, c.Category)
	d.Status = d.T.Statuses[string(c.Status)]
	d.Created = c.CreatedAt.In(scanChinaTime).Format("2006-01-02 15:04")
	for _, rp := range c.Replies {
		from := d.T.FromEnterprise
		if rp.Role == tracegate.RoleRegulator {
			from = d.T.FromRegulator
		}
		d.Replies = append(d.Replies, complaintPageReply{From: from, Text: rp.Text, Status: d.T.Statuses[string(rp.Status)],
			At: rp.CreatedAt.In(scanChinaTime).Format("2006-01-02 15:04")})
	}
	s.writeComplaintPage(w, r, http.StatusOK, d)
}

// complaintPageData is what templates/complaint.html shows.
type complaintPageData struct {
	T        complaintText
	Lang     string
	Path     string
	C        *publicComplaint // nil: no such complaint
	Sent     bool
	Category string
	Status   string
	Created  string
	Replies  []complaintPageReply
}

type complaintPageReply struct{ From, Text, Status, At string }

// HTMLLang is the page's lang attribute.
func (d *complaintPageData) HTMLLang() string { return htmlLang(d.Lang) }

// SwitchHref is the query of the page in the other language.
func (d *complaintPageData) SwitchHref() string {
	if d.Lang == "en" {
		return "?lang=zh"
	}
	return "?lang=en"
}

func (s *Server) writeComplaintPage(w http.ResponseWriter, r *http.Request, status int, d *complaintPageData) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "complaint.html", d); err != nil {
		s.log.ErrorContext(r.Context(), "render complaint page", "err", err)
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", d.HTMLLang())
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func categoryName(lang, category string) string {
	i := slices.Index(complaintCategories, category)
	if i < 0 {
		return category
	}
	if lang == "en" {
		return enScanText.Categories[i]
	}
	return zhScanText.Categories[i]
}

// complaintText is the wording of the complaint page in one language
// ("complaint." + each field's name in snake case); Statuses names each
// status ("complaint.status." + status).
type complaintText struct {
	Title, Sent, RefLabel, RefHint, StatusLabel, CategoryLabel string
	SentAt, TextLabel, RepliesTitle, NoReplies, FromEnterprise string
	FromRegulator, NotFoundTitle, NotFoundText                 string
	Statuses                                                   map[string]string
	Page                                                       pageWords
}

var complaintTextsIn = inBoth(func(l locale.Lang) complaintText {
	var t complaintText
	_ = locale.Fill(l, "complaint", &t) // t is a struct
	t.Page = pageWordsIn[l]
	t.Statuses = map[string]string{}
	for _, st := range label.ComplaintStatuses {
		t.Statuses[string(st)] = locale.T(l, "complaint.status."+string(st))
	}
	return t
})

// complaintTexts is the complaint page's wording in lang ("zh" or "en").
func complaintTexts(lang string) complaintText { return complaintTextsIn[catalogLang(lang)] }
