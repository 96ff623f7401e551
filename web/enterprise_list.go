package web

import (
	"net/http"
	"strconv"

	"tracegate"
)

// handleEnterpriseList answers the enterprises, optionally of one role,
// paged by limit (1..1000, default 100) and offset.
func (s *Server) handleEnterpriseList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := tracegate.EnterpriseFilter{Limit: 100}
	if v := q.Get("role"); v != "" {
		role, err := tracegate.ParseRole(v)
		if err != nil {
			s.writeError(w, r, tracegate.Invalidf("/query/role", "unknown role %q", v))
			return
		}
		f.Role = role
	}
	var err error
	if f.Limit, f.Offset, err = pageParams(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.enterprises.ListEnterprises(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"enterprises": list, "limit": f.Limit, "offset": f.Offset})
}

// pageParams reads the limit (1..1000, default 100) and offset query
// parameters of a listing, or fails with EINVALID pointing at the one that
// is wrong.
func pageParams(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	if limit, err = queryInt(q.Get("limit"), 100, 1, 1000); err != nil {
		return 0, 0, tracegate.Invalidf("/query/limit", "limit must be an integer from 1 to 1000")
	}
	if offset, err = queryInt(q.Get("offset"), 0, 0, 1<<31-1); err != nil {
		return 0, 0, tracegate.Invalidf("/query/offset", "offset must be a non-negative integer")
	}
	return limit, offset, nil
}

// queryInt parses an optional integer query value within [lo, hi].
func queryInt(v string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, strconv.ErrRange
	}
	return n, nil
}
