package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tracegate"
	"tracegate/label"
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
		c, err = s.store.FindComplaintByReference(r.Context(), hash)
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

func (s *Server) writeComplaintPage(w http.ResponseWriter, r *http.Request, status int, d *complaintPageData) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "complaint.html", d); err != nil {
		s.log.ErrorContext(r.Context(), "render complaint page", "err", err)
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", map[string]string{"zh": "zh-CN", "en": "en"}[d.Lang])
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

// complaintText is the wording of the complaint page in one language.
type complaintText struct {
	HTMLLang, Title, Sent, RefLabel, RefHint, StatusLabel, CategoryLabel string
	SentAt, TextLabel, RepliesTitle, NoReplies, FromEnterprise           string
	FromRegulator, NotFoundTitle, NotFoundText, SwitchLang, SwitchHref   string
	Statuses                                                             map[string]string
}

func complaintTexts(lang string) complaintText {
	if lang == "en" {
		return complaintText{HTMLLang: "en", Title: "Your report", SwitchLang: "中文", SwitchHref: "?lang=zh",
			Sent:     "Thank you: your report was received. Keep this reference number: with it you can come back to this page to see what happens to your report.",
			RefLabel: "Reference number", RefHint: "Anyone with this number can read this page: do not share it.",
			StatusLabel: "Status", CategoryLabel: "Category", SentAt: "Sent", TextLabel: "Your report",
			RepliesTitle: "Answers", NoReplies: "No answer yet. The regulator and the product's enterprise have been told.",
			FromEnterprise: "The product's enterprise", FromRegulator: "The regulator",
			NotFoundTitle: "No report has this reference number", NotFoundText: "Check the number you were given when you sent your report.",
			Statuses: map[string]string{"new": "Received", "acknowledged": "Being looked at", "substantiated": "Confirmed",
				"dismissed": "Not confirmed", "closed": "Closed"}}
	}
	return complaintText{HTMLLang: "zh-CN", Title: "您的反馈", SwitchLang: "English", SwitchHref: "?lang=en",
		Sent:     "感谢您的反馈，我们已收到。请保存下面的查询编号：凭此编号可随时回到本页查看处理进展。",
		RefLabel: "查询编号", RefHint: "任何持有此编号的人都能查看本页，请勿泄露。",
		StatusLabel: "处理状态", CategoryLabel: "问题类型", SentAt: "提交时间", TextLabel: "反馈内容",
		RepliesTitle: "处理回复", NoReplies: "暂无回复。监管部门和商品所属企业已收到通知。",
		FromEnterprise: "商品所属企业", FromRegulator: "监管部门",
		NotFoundTitle: "没有与此查询编号对应的反馈", NotFoundText: "请核对您提交反馈时获得的查询编号。",
		Statuses: map[string]string{"new": "已收到", "acknowledged": "处理中", "substantiated": "经核实属实",
			"dismissed": "经核实不属实", "closed": "已办结"}}
}
