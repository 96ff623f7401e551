package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"tracegate"
	"tracegate/label"
)

// handleComplaintList lists consumer complaints, newest first, in pages: a
// regulator sees all, an enterprise those about its own products.
// ?limit= (1..200, default 50) and ?status= select; the answer's "next"
// (and a Link rel="next" header) is the URL of the next page, whose cursor
// ?after= is the last ID of this one, so new complaints never shift a page.
func (s *Server) handleComplaintList(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), 50, 1, 200)
	if err != nil {
		s.writeError(w, r, tracegate.Invalidf("/query/limit", "limit must be an integer from 1 to 200"))
		return
	}
	var after int64
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after <= 0 {
			s.writeError(w, r, tracegate.Invalidf("/query/after", "after must be a complaint ID from the previous page"))
			return
		}
	}
	status := label.ComplaintStatus(q.Get("status"))
	if status != "" && !slices.Contains(label.ComplaintStatuses, status) {
		s.writeError(w, r, tracegate.Invalidf("/query/status", "status must be one of new, acknowledged, substantiated, dismissed, closed"))
		return
	}
	p := principalOf(r)
	list, err := s.complaints.List(r.Context(), label.ComplaintFilter{OwnerID: complaintOwnerFilter(p), Status: status, AfterID: after, Limit: limit + 1})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body := map[string]any{}
	if len(list) > limit {
		list = list[:limit]
		v := url.Values{"after": {strconv.FormatInt(list[limit-1].ID, 10)}, "limit": {strconv.Itoa(limit)}}
		if status != "" {
			v.Set("status", string(status))
		}
		next := "/api/complaints?" + v.Encode()
		body["next"] = next
		w.Header().Set("Link", "<"+next+">; rel=\"next\"")
	}
	if list == nil {
		list = []label.Complaint{}
	}
	for i := range list {
		redactComplaint(p, &list[i])
	}
	body["complaints"] = list
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}
