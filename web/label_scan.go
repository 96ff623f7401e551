package web

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
)

// The scan page: GET /l/{code} resolves a label for a consumer (no key),
// an enterprise or a regulator, records the scan and answers HTML, JSON or
// a linkset.

// maxScansInFlight bounds the scans the server works on at once.
const maxScansInFlight = 64

// maxScanHistory is how many past scans of a code the page weighs.
const maxScanHistory = 500

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
	in, err := s.loadScan(r.Context(), c, st, now, viewer)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The scan is written in the background (a group commit shortly after);
	// the page counts it already. Past the per-code limits it is answered
	// but not recorded (scan_limit.go).
	if scan.Staff || s.scanLimits.recordable(st.Hash, scan.IPPrefix, now) {
		in.Scans = append(in.Scans, scan)
		s.scans.record(label.ScanRecord{Hash: st.Hash, Scan: scan})
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

// scannedLabel parses the {code} path value and finds the label; any
// failure is label.ErrNotGenuine or a store error.
func (s *Server) scannedLabel(r *http.Request) (label.Code, *label.State, error) {
	c, err := label.ParseCode(r.PathValue("code"))
	if err != nil {
		return c, nil, label.ErrNotGenuine
	}
	st, err := s.store.FindLabel(r.Context(), s.labels.Hash(c))
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return c, nil, label.ErrNotGenuine
	}
	return c, st, err
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

// loadScan gathers what the page of one label shows: the filing, the
// bindings, the declaration, the events of the item, its batch and its
// waybill, holds, scans and the ledger proof.
func (s *Server) loadScan(ctx context.Context, c label.Code, st *label.State, now time.Time, viewer label.Viewer) (*label.ScanInput, error) {
	in := &label.ScanInput{Code: c, Label: label.LabelRecord{IssuedTo: st.IssuedTo, IssuedAt: st.IssuedAt, BoundAt: st.IntakeAt}}
	if st.ProductID != 0 {
		ps, err := s.scanCache.products.get(st.GTIN, func() ([]*tracegate.Product, error) {
			return s.store.ListProducts(ctx, tracegate.ProductFilter{GTIN: st.GTIN, Limit: 100})
		})
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(ps, func(p *tracegate.Product) bool { return p.ID == st.ProductID }); i >= 0 {
			in.Product = ps[i]
		}
		in.Intake = &label.Intake{Batch: st.Batch, ProductionDate: parseDate(st.ProductionDate), ExpiryDate: parseDate(st.ExpiryDate),
			Warehouse: label.Party{ID: st.WarehouseID, Name: st.Warehouse}, At: st.IntakeAt}
		holds, err := s.scanCache.holds.get(st.GTIN, func() ([]label.Hold, error) { return s.store.Holds(ctx, st.GTIN) })
		if err != nil {
			return nil, err
		}
		for _, h := range holds {
			if h.Covers(st.Batch, now) {
				in.Notices = append(in.Notices, label.Notice{Kind: h.Kind, Text: h.Text, TextEN: h.TextEN, Since: h.Since})
			}
		}
	}
	if !st.DispatchAt.IsZero() {
		d, err := s.loadDispatch(ctx, st, viewer)
		if err != nil {
			return nil, err
		}
		in.Dispatch = d
	}
	evs, err := s.itemEvents(ctx, st)
	if err != nil {
		return nil, err
	}
	if in.Events, in.EventsBy, err = s.publicTimeline(ctx, st, in.Product, in.Dispatch, evs); err != nil {
		return nil, err
	}
	if in.Places, err = s.placeNames.lookup(ctx, s.store, in.Events); err != nil {
		return nil, err
	}
	pending := s.scans.pendingFor(st.Hash) // before the read: a scan committed meanwhile is then in one or both
	scans, _, err := s.store.LabelScans(ctx, st.Hash, maxScanHistory)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if !slices.ContainsFunc(scans, func(sc label.Scan) bool { return sameScan(sc, p) }) {
			scans = append(scans, p)
		}
	}
	in.Scans = scans
	if st.IssuanceLeaf >= 0 {
		in.Proof = &label.Proof{Status: label.ProofPending, LeafIndex: uint64(st.IssuanceLeaf)}
		if cp := s.checkpoints.latest(ctx, s); cp != nil {
			in.Proof.LogOrigin = cp.Origin
			if st.IssuanceLeaf < cp.Size {
				in.Proof.Status, in.Proof.TreeSize = label.ProofIncluded, uint64(cp.Size)
			}
		}
	}
	return in, nil
}

func parseDate(v string) time.Time {
	t, _ := time.Parse(time.DateOnly, v)
	return t
}

// itemEvents are the events of the label itself, of its batch (lot-level
// events upstream: manufacture, departure, arrival, inspection) and of its
// waybill (delivery), each once. A batch's events are shared by all its
// items and cached briefly.
func (s *Server) itemEvents(ctx context.Context, st *label.State) ([]seqEvent, error) {
	seen := map[int64]bool{}
	var out []seqEvent
	add := func(evs []seqEvent) {
		for _, e := range evs {
			if !seen[e.seq] {
				seen[e.seq] = true
				out = append(out, e)
			}
		}
	}
	own, err := s.queryTimeline(ctx, &epcis.Query{MatchAnyEPC: []string{label.EPC(st.Hash)}})
	if err != nil {
		return nil, err
	}
	add(own)
	if st.GTIN != "" && st.Batch != "" {
		class := epcis.CanonicalEPC("https://id.gs1.org/01/" + st.GTIN + "/10/" + st.Batch)
		lot, err := s.scanCache.lots.get(class, func() ([]seqEvent, error) {
			return s.queryTimeline(ctx, &epcis.Query{MatchAnyClass: []string{class}})
		})
		if err != nil {
			return nil, err
		}
		add(lot)
	}
	if st.WaybillNo != "" {
		way, err := s.queryTimeline(ctx, &epcis.Query{BizTx: []epcis.TypedValue{{Type: "bol", Value: label.WaybillURI(st.LogisticsCode, st.WaybillNo)}}})
		if err != nil {
			return nil, err
		}
		add(way)
	}
	return out, nil
}

// seqEvent is a decoded event with its store sequence and recorder.
type seqEvent struct {
	seq   int64
	event *epcis.Event
	by    int64 // the recording enterprise
}

// queryTimeline answers q's first 200 events by event time, decoded
// through the event cache.
func (s *Server) queryTimeline(ctx context.Context, q *epcis.Query) ([]seqEvent, error) {
	q.PerPage, q.OrderBy, q.OmitBody = 200, "eventTime", true
	recs, _, err := s.store.QueryEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]seqEvent, 0, len(recs))
	for _, rec := range recs {
		e, err := s.timelineEvent(ctx, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, seqEvent{rec.Seq, e, rec.EnterpriseID})
	}
	return out, nil
}

// scanCaches are the short-lived caches of the scan page.
type scanCaches struct {
	products *ttlCache[string, []*tracegate.Product] // by GTIN
	holds    *ttlCache[string, []label.Hold]         // by GTIN; purged by a new hold
	lots     *ttlCache[string, []seqEvent]           // a batch's events, by lot class
	events   *ttlCache[int64, *epcis.Event]          // decoded events by sequence (immutable: kept a day)
	trust    trustCaches                             // recorders and brand owners (label_scan_trust.go)
	// partyNames: the registered enterprise of each customs code (label_scan_names.go)
	partyNames *ttlCache[string, registeredParty]
}

func newScanCaches() scanCaches {
	return scanCaches{
		products: newTTLCache[string, []*tracegate.Product](30*time.Second, 10_000),
		holds:    newTTLCache[string, []label.Hold](5*time.Second, 10_000),
		lots:     newTTLCache[string, []seqEvent](10*time.Second, 10_000),
		events:   newTTLCache[int64, *epcis.Event](24*time.Hour, 8192),
		trust:    newTrustCaches(),

		partyNames: newPartyNames(),
	}
}

// timelineEvent decodes the event of rec for a timeline, reading its body
// by hash when the query left it out, and keeps only what a timeline uses
// (the first EPC, no quantity lists, ILMD or extensions): decoded events
// are cached by sequence (stored events never change, and one intake event
// of a thousand labels is read by every scan of them), so a few thousand
// take a few megabytes.
func (s *Server) timelineEvent(ctx context.Context, rec *epcis.Record) (*epcis.Event, error) {
	return s.scanCache.events.get(rec.Seq, func() (*epcis.Event, error) {
		if len(rec.Body) == 0 {
			full, err := s.store.FindEvent(ctx, rec.Hash)
			if err != nil {
				return nil, err
			}
			rec = full
		}
		e, err := epcis.DecodeEvent(rec.Body)
		if err != nil {
			return nil, err
		}
		if len(e.EPCList) > 0 { // a fresh slice: the decoded one holds up to a thousand EPCs
			e.EPCList = []string{strings.Clone(e.EPCList[0])}
		}
		e.QuantityList, e.ChildEPCs, e.ChildQuantityList, e.InputEPCList, e.OutputEPCList = nil, nil, nil, nil, nil
		e.InputQuantityList, e.OutputQuantityList, e.ILMD, e.Extensions, e.SensorElementList = nil, nil, nil, nil, nil
		return e, nil
	})
}

// placeCache keeps the master-data names of locations for a minute: the
// timeline names the same few ports and warehouses on every scan.
type placeCache struct {
	mu    sync.Mutex
	at    time.Time
	names map[string]string // id -> name ("" when master data has none)
}

// locationNamer is the master-data lookup of the stores that keep it.
type locationNamer interface {
	LocationNames(ctx context.Context, ids []string) (map[string]string, error)
}

// names returns the names of the read points and business locations of evs.
func (c *placeCache) lookup(ctx context.Context, store any, evs []epcis.Event) (map[string]label.Place, error) {
	ln, ok := store.(locationNamer)
	if !ok {
		return nil, nil
	}
	out := map[string]label.Place{}
	var missing []string
	c.mu.Lock()
	if time.Since(c.at) > time.Minute || c.names == nil {
		c.names, c.at = map[string]string{}, time.Now()
	}
	for _, e := range evs {
		for _, loc := range []*epcis.Location{e.ReadPoint, e.BizLocation} {
			if loc == nil {
				continue
			}
			if name, ok := c.names[loc.ID]; !ok {
				missing = append(missing, loc.ID)
			} else if name != "" {
				out[loc.ID] = label.Place{Name: name}
			}
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	found, err := ln.LocationNames(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	for _, id := range missing {
		c.names[id] = found[id]
		if found[id] != "" {
			out[id] = label.Place{Name: found[id]}
		}
	}
	c.mu.Unlock()
	return out, nil
}

// loadDispatch is the dispatch binding with what the declaration of its
// order says (清单, parties, release), when tracegate has it. The buyer is
// loaded only for a regulator or a party of the declaration through its
// confirmed customs codes (canSeeBuyer): whoever binds a label names the
// order, and must not learn a buyer by naming someone else's. The
// parties' enterprises are looked up by their confirmed codes for every
// viewer (nameParties): the page names them, and the label tiers know who
// is a party.
func (s *Server) loadDispatch(ctx context.Context, st *label.State, viewer label.Viewer) (*label.Dispatch, error) {
	d := &label.Dispatch{OrderNo: st.OrderNo, WaybillNo: st.WaybillNo, DispatchedAt: st.DispatchAt}
	rec, err := s.store.FindCustomsDeclaration(ctx, st.EBPCode, st.OrderNo)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return d, nil
	} else if err != nil {
		return nil, err
	}
	var inv customs.Inventory
	if rec.Inventory != nil && json.Unmarshal(rec.Inventory, &inv) == nil {
		h := inv.Head
		d.InventoryNo = deref(h.InvtNo)
		if d.InventoryNo == "" {
			d.InventoryNo = deref(h.CopNo)
		}
		d.Platform, d.Ecommerce = label.Party{Name: h.EbpName}, label.Party{Name: h.EbcName}
		d.Logistics, d.Importer = label.Party{Name: h.LogisticsName}, label.Party{Name: h.AgentName}
		d.DeclaredAt, _ = time.ParseInLocation("20060102150405", h.DeclTime, chinaTime)
		if d.DeclaredAt.IsZero() {
			d.DeclaredAt, _ = time.ParseInLocation("20060102", h.DeclTime, chinaTime)
		}
		d.PortOfEntry, d.TransportMode, d.TradeMode = h.PortCode, h.TrafMode, h.TradeMode
		d.DepartureCountry = h.DepartureCountry() // customs code to ISO 3166-1; none for a bonded inventory
		if err := s.nameParties(ctx, d, rec); err != nil {
			return nil, err
		}
		if viewer.Kind != label.ViewerAnonymous {
			if err := s.dispatchParties(ctx, d, rec, h); err != nil {
				return nil, err
			}
		}
	}
	if rec.Decision != nil && rec.Decision.Status == customs.OutcomePass {
		d.ReleasedAt = rec.DecidedAt
	}
	return d, nil
}

var chinaTime = time.FixedZone("CST", 8*3600)

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// writeScanLinkset answers the RFC 9264 linkset of a label: its scan page
// (gs1:traceability), the product page, the ledger proof
// (gs1:verificationService) and, under a hold, the recall status.
func (s *Server) writeScanLinkset(w http.ResponseWriter, r *http.Request, c label.Code, in *label.ScanInput) {
	self := "/l/" + c.Compact()
	links := []resolverLink{{Type: "gs1:traceability", Href: self, Title: "溯源信息 / Traceability", MIME: "text/html", HrefLang: []string{"zh", "en"}}}
	if in.Product != nil {
		links = append(links, resolverLink{Type: "gs1:pip", Href: "/01/" + in.Product.GTIN + "?linkType=gs1:pip",
			Title: "商品信息 / Product information", MIME: "text/html", HrefLang: []string{"zh", "en"}})
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
