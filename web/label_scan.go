package web

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tracegate"
	"tracegate/label"
)

// The scan page: GET /l/{code} resolves a label for a consumer (no key),
// an enterprise or a regulator, records the scan and answers HTML, JSON or
// a linkset.

// maxScansInFlight bounds the scans the server works on at once.
const maxScansInFlight = 64

// handleScan answers the scan page of a label.
func (s *Server) handleScan(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept, Authorization")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	// At most maxScansInFlight scans are worked on at once; a burst waits
	// for a slot instead of holding the memory of thousands.
	select {
	case s.scanSlots <- struct{}{}:
		defer func() { <-s.scanSlots }()
	case <-r.Context().Done():
		return
	}
	lang := pageLang(r)
	if err := s.limitLookup(w, r); err != nil {
		s.answerRateLimited(w, r, err, lang)
		return
	}
	c, st, err := s.scannedLabel(r)
	if err != nil {
		s.answerUnknownCode(w, r, err, lang)
		return
	}
	now := s.clock.Now().UTC()
	p := principalOf(r)
	scan := s.scanOf(r, now, p != nil)
	viewer := label.ViewerFrom(p)
	in, err := s.resolver.Resolve(r.Context(), label.ScanRequest{Code: c, State: st, Viewer: viewer, Now: now, SeesBuyer: buyerRule(p, s.confirmedCodes)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The scan is written in the background (a group commit shortly after);
	// the page counts it already. Past the per-code limits it is answered
	// but not recorded (scan_limit.go).
	if scan.Staff || s.scanLimits.recordable(st.Hash, scan.IPPrefix, now) {
		in.Scans = append(in.Scans, scan)
		s.scans.Record(label.ScanRecord{Hash: st.Hash, Scan: scan})
	}
	view := label.BuildScanView(*in, viewer, lang, now)
	s.metrics.scans.WithLabelValues(string(view.Authenticity.Status)).Inc()
	accept := r.Header.Get("Accept")
	switch {
	case strings.Contains(accept, "application/linkset+json"):
		s.writeScanLinkset(w, r, c, in)
	case strings.Contains(accept, "application/json"):
		writeJSON(w, http.StatusOK, view)
	default:
		pg := &scanPage{View: &view, Lang: lang, Path: "/l/" + c.Compact(), Complaint: r.URL.Query().Get("complaint")}
		if s.ledger != nil {
			pg.VKey = s.ledger.VKey
			pg.LogOrigin = view.Proof.LogOrigin
		}
		if err := writeScanPage(w, http.StatusOK, pg); err != nil {
			s.log.ErrorContext(r.Context(), "render scan page", "err", err)
		}
	}
}

// scannedLabel finds the label of the {code} path value; any failure is
// label.ErrNotGenuine or a store error.
func (s *Server) scannedLabel(r *http.Request) (label.Code, *label.State, error) {
	return s.resolver.Find(r.Context(), r.PathValue("code"))
}

// answerUnknownCode answers a code that is not one of ours: the same page
// whatever was wrong with it (nothing tells a near miss from a wild
// guess), and 429 once a client has looked up too many unknown codes.
func (s *Server) answerUnknownCode(w http.ResponseWriter, r *http.Request, err error, lang string) {
	if !errors.Is(err, label.ErrNotGenuine) {
		s.writeError(w, r, err)
		return
	}
	if limited := s.limitUnknownCodes(w, r); limited != nil {
		s.answerRateLimited(w, r, limited, lang)
		return
	}
	s.metrics.scans.WithLabelValues("unknown").Inc()
	if strings.Contains(r.Header.Get("Accept"), "json") {
		s.writeError(w, r, err)
		return
	}
	if err := writeScanPage(w, http.StatusNotFound, &scanPage{Lang: lang, Path: r.URL.Path, Complaint: r.URL.Query().Get("complaint")}); err != nil {
		s.log.ErrorContext(r.Context(), "render scan page", "err", err)
	}
}

// limitUnknownCodes counts one use of an unknown code (a lookup, or a
// complaint about it) by the client's network: nil within the limit, else
// ERATELIMIT with Retry-After set, the same error as any rate-limited
// lookup (scan_limit.go).
func (s *Server) limitUnknownCodes(w http.ResponseWriter, r *http.Request) error {
	now := s.clock.Now()
	if ends, ok := s.scanLimits.unknownCode(clientPrefix(r), now); !ok {
		return rateLimited(w, ends.Sub(now))
	}
	return nil
}

// clientPrefix is the network of the client (IPPrefix of RemoteAddr).
func clientPrefix(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return label.IPPrefix(host)
}

// scanOf is what is recorded of this scan: time, coarse position (from
// ?lat=&lon=, kept to 0.1°), the IP prefix, a city name and the device class.
func (s *Server) scanOf(r *http.Request, now time.Time, staff bool) label.Scan {
	sc := label.Scan{At: now.Truncate(time.Microsecond), IPPrefix: clientPrefix(r), Device: label.ClassifyDevice(r.UserAgent()), Staff: staff}
	q := r.URL.Query()
	if q.Has("lat") && q.Has("lon") {
		lat, err1 := strconv.ParseFloat(q.Get("lat"), 64)
		lon, err2 := strconv.ParseFloat(q.Get("lon"), 64)
		if err1 == nil && err2 == nil {
			sc.Lat, sc.Lon, sc.HasPosition = label.CoarsenPosition(lat, lon)
		}
	}
	if sc.HasPosition {
		if c, ok := label.NearestCity(sc.Lat, sc.Lon); ok {
			sc.Place = c.Name
		}
	}
	return sc
}

// writeScanLinkset answers the RFC 9264 linkset of a label: its scan page
// (gs1:traceability), the product page, the ledger proof
// (gs1:verificationService) and, under a hold, the recall status.
func (s *Server) writeScanLinkset(w http.ResponseWriter, r *http.Request, c label.Code, in *label.ScanInput) {
	self := "/l/" + c.Compact()
	links := []resolverLink{{Type: "gs1:traceability", Href: self, Title: "溯源信息 / Traceability", MIME: "text/html", HrefLang: []string{"zh", "en"}}}
	if in.Product != nil {
		if pip, ok := productPageLink(in.Product.GTIN); ok {
			links = append(links, pip)
		}
	}
	if len(in.Notices) > 0 {
		links = append(links, resolverLink{Type: "gs1:recallStatus", Href: self + "#notices", Title: "召回与风险提示 / Recall and risk notices",
			MIME: "text/html", HrefLang: []string{"zh", "en"}})
	}
	if in.Proof != nil {
		links = append(links, resolverLink{Type: "gs1:verificationService", Href: self + "/proof",
			Title: "账本证明 / Ledger proof", MIME: "text/plain", HrefLang: []string{"en"}})
	}
	writeLinkset(w, s.publicBase+self, s.publicBase, links)
}

// handleScanProof answers the inclusion proof of a label's issuance leaf.
func (s *Server) handleScanProof(w http.ResponseWriter, r *http.Request) {
	if err := s.labelService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.limitLookup(w, r); err != nil {
		s.answerRateLimited(w, r, err, "en")
		return
	}
	_, st, err := s.scannedLabel(r)
	if err != nil {
		s.answerUnknownCode(w, r, err, "en")
		return
	}
	if st.IssuanceLeaf < 0 {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "this label's issuance is not in the ledger"))
		return
	}
	s.serveProof(w, r, st.IssuanceLeaf, "this label's issuance")
}
