package label

import (
	"context"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/gs1"
	"tracegate/internal/ttlcache"
	"tracegate/ledger"
)

// The scan use-case: a Resolver finds a scanned label and gathers what its
// page shows (ScanInput); BuildScanView then decides what a viewer sees of
// it, and the ScanRecorder stores the scans.

// MaxScanHistory is how many past scans of a code the page weighs.
const MaxScanHistory = 500

// ScanReader is what a Resolver reads of a store: labels and their scans,
// holds, filings, events and their master data, enterprises and who holds
// a company prefix or a customs code.
type ScanReader interface {
	FindLabel(ctx context.Context, hash [32]byte) (*State, error)
	LabelScans(ctx context.Context, hash [32]byte, limit int) ([]Scan, int, error)
	Holds(ctx context.Context, gtin string) ([]Hold, error)
	ListProducts(ctx context.Context, f tracegate.ProductFilter) ([]*tracegate.Product, error)
	QueryEvents(ctx context.Context, q *epcis.Query) (records []*epcis.Record, next string, err error)
	FindEvent(ctx context.Context, eventID string) (*epcis.Record, error)
	LocationNames(ctx context.Context, ids []string) (map[string]string, error)
	CompanyPrefixOwner(ctx context.Context, digits string) (int64, error)
	FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error)
	CodeOwners(ctx context.Context, codes []string) (map[string]int64, error)
}

// Releases answers what the declaration of an order says of its release
// (customs.Service and customs.Releases do).
type Releases interface {
	// OrderRelease is the release of (ebpCode, orderNo), or ENOTFOUND.
	OrderRelease(ctx context.Context, ebpCode, orderNo string) (*customs.Release, error)
}

// ResolverConfig configures a Resolver.
type ResolverConfig struct {
	Reader   ScanReader
	Releases Releases
	// Hash is the lookup key of a code under the deployment's label key
	// (Service.Hash).
	Hash func(Code) [32]byte
	// Checkpoint is the latest verified ledger checkpoint, nil when there
	// is none; a nil Checkpoint means no ledger.
	Checkpoint func(ctx context.Context) *ledger.Checkpoint
	// Recorder is where the scans are being written: its pending scans are
	// part of the history. Nil means a history of committed scans only.
	Recorder *ScanRecorder
}

// Resolver gathers the scan page of labels. Its caches are short-lived:
// the page reads on every scan what changes rarely.
type Resolver struct {
	cfg   ResolverConfig
	cache resolverCaches
}

// resolverCaches are the short-lived caches of the scan page.
type resolverCaches struct {
	products *ttlcache.Cache[string, []*tracegate.Product] // by GTIN
	holds    *ttlcache.Cache[string, []Hold]               // by GTIN; purged by a new hold
	lots     *ttlcache.Cache[string, []seqEvent]           // a batch's events, by lot class
	events   *ttlcache.Cache[int64, *epcis.Event]          // decoded events by sequence (immutable: kept a day)
	// recorders and brand owners (resolve_timeline.go)
	recorders *ttlcache.Cache[int64, Recorder] // by enterprise ID
	brands    *ttlcache.Cache[string, int64]   // the GTIN's company prefix holder, by GTIN
	// the registered enterprise of each customs code (resolve_dispatch.go)
	partyNames *ttlcache.Cache[string, registeredParty]
	places     placeCache
}

// NewResolver returns a resolver with empty caches.
func NewResolver(cfg ResolverConfig) *Resolver {
	return &Resolver{cfg: cfg, cache: resolverCaches{
		products:   ttlcache.New[string, []*tracegate.Product](30*time.Second, 10_000),
		holds:      ttlcache.New[string, []Hold](5*time.Second, 10_000),
		lots:       ttlcache.New[string, []seqEvent](10*time.Second, 10_000),
		events:     ttlcache.New[int64, *epcis.Event](24*time.Hour, 8192),
		recorders:  ttlcache.New[int64, Recorder](30*time.Second, 10_000),
		brands:     ttlcache.New[string, int64](30*time.Second, 10_000),
		partyNames: ttlcache.New[string, registeredParty](30*time.Second, 10_000),
	}}
}

// ForgetHolds drops the cached holds: after a new hold, this node's pages
// show it at once (other nodes within 5 s).
func (r *Resolver) ForgetHolds() { r.cache.holds.Purge() }

// ForgetProducts drops the cached filings (they are kept 30 s).
func (r *Resolver) ForgetProducts() { r.cache.products.Purge() }

// Find parses a scanned code and finds its label; a code that does not
// parse or was never issued is ErrNotGenuine, any other failure the
// store's.
func (r *Resolver) Find(ctx context.Context, raw string) (Code, *State, error) {
	c, err := ParseCode(raw)
	if err != nil {
		return c, nil, ErrNotGenuine
	}
	st, err := r.cfg.Reader.FindLabel(ctx, r.cfg.Hash(c))
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return c, nil, ErrNotGenuine
	}
	return c, st, err
}

// ScanRequest is one scan to resolve.
type ScanRequest struct {
	Code   Code
	State  *State // as Find found it
	Viewer Viewer
	Now    time.Time
	// SeesBuyer decides whether the viewer may see the buyer of a
	// declaration with these parties (the authorization rule is the
	// caller's); it is asked only for a viewer with a key. Nil: nobody.
	SeesBuyer func(ctx context.Context, parties customs.Parties) (bool, error)
}

// Resolve gathers what the page of one label shows: the filing, the
// bindings, the declaration, the notices, the events of the item, its
// batch and its waybill with their places, the scans and the ledger proof.
func (r *Resolver) Resolve(ctx context.Context, req ScanRequest) (*ScanInput, error) {
	st := req.State
	in := &ScanInput{Code: req.Code, Label: LabelRecord{IssuedTo: st.IssuedTo, IssuedAt: st.IssuedAt, BoundAt: st.IntakeAt}}
	if st.ProductID != 0 {
		p, err := r.Product(ctx, st)
		if err != nil {
			return nil, err
		}
		in.Product = p
		in.Intake = &Intake{Batch: st.Batch, ProductionDate: parseDate(st.ProductionDate), ExpiryDate: parseDate(st.ExpiryDate),
			Warehouse: Party{ID: st.WarehouseID, Name: st.Warehouse}, At: st.IntakeAt}
		if in.Notices, err = r.notices(ctx, st, req.Now); err != nil {
			return nil, err
		}
	}
	if !st.DispatchAt.IsZero() {
		d, err := r.dispatch(ctx, st, req)
		if err != nil {
			return nil, err
		}
		in.Dispatch = d
	}
	evs, err := r.itemEvents(ctx, st)
	if err != nil {
		return nil, err
	}
	if in.Events, in.EventsBy, err = r.publicTimeline(ctx, st, in.Product, in.Dispatch, evs); err != nil {
		return nil, err
	}
	if in.Places, err = r.cache.places.lookup(ctx, r.cfg.Reader, in.Events); err != nil {
		return nil, err
	}
	if in.Scans, err = r.scans(ctx, st.Hash); err != nil {
		return nil, err
	}
	in.Proof = r.proof(ctx, st)
	return in, nil
}

// Product is the filing the label was bound to at intake, nil while it is
// not bound (or the filing is gone).
func (r *Resolver) Product(ctx context.Context, st *State) (*tracegate.Product, error) {
	if st.ProductID == 0 {
		return nil, nil
	}
	ps, err := r.cache.products.Get(st.GTIN, func() ([]*tracegate.Product, error) {
		return r.cfg.Reader.ListProducts(ctx, tracegate.ProductFilter{GTIN: st.GTIN, Limit: 100})
	})
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(ps, func(p *tracegate.Product) bool { return p.ID == st.ProductID }); i >= 0 {
		return ps[i], nil
	}
	return nil, nil
}

// notices are the holds on the label's product that cover its batch now:
// one step of its own, the only one that reads holds.
func (r *Resolver) notices(ctx context.Context, st *State, now time.Time) ([]Notice, error) {
	holds, err := r.cache.holds.Get(st.GTIN, func() ([]Hold, error) { return r.cfg.Reader.Holds(ctx, st.GTIN) })
	if err != nil {
		return nil, err
	}
	var out []Notice
	for _, h := range holds {
		if h.Covers(st.Batch, now) {
			out = append(out, Notice{Kind: h.Kind, Text: h.Text, TextEN: h.TextEN, Since: h.Since})
		}
	}
	return out, nil
}

// scans is the label's scan history: the first MaxScanHistory committed
// scans and those still being written.
func (r *Resolver) scans(ctx context.Context, hash [32]byte) ([]Scan, error) {
	var pending []Scan
	if r.cfg.Recorder != nil {
		pending = r.cfg.Recorder.PendingFor(hash) // before the read: a scan committed meanwhile is then in one or both
	}
	scans, _, err := r.cfg.Reader.LabelScans(ctx, hash, MaxScanHistory)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if !slices.ContainsFunc(scans, func(sc Scan) bool { return sameScan(sc, p) }) {
			scans = append(scans, p)
		}
	}
	return scans, nil
}

// proof is where the label's issuance leaf stands in the ledger; nil when
// it has none.
func (r *Resolver) proof(ctx context.Context, st *State) *Proof {
	if st.IssuanceLeaf < 0 {
		return nil
	}
	p := &Proof{Status: ProofPending, LeafIndex: uint64(st.IssuanceLeaf)}
	if r.cfg.Checkpoint == nil {
		return p
	}
	if cp := r.cfg.Checkpoint(ctx); cp != nil {
		p.LogOrigin = cp.Origin
		if st.IssuanceLeaf < cp.Size {
			p.Status, p.TreeSize = ProofIncluded, uint64(cp.Size)
		}
	}
	return p
}

func parseDate(v string) time.Time {
	t, _ := time.Parse(time.DateOnly, v)
	return t
}

// itemEvents are the events of the label itself, of its batch (lot-level
// events upstream: manufacture, departure, arrival, inspection) and of its
// waybill (delivery), each once. A batch's events are shared by all its
// items and cached briefly.
func (r *Resolver) itemEvents(ctx context.Context, st *State) ([]seqEvent, error) {
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
	own, err := r.queryTimeline(ctx, &epcis.Query{MatchAnyEPC: []string{EPC(st.Hash)}})
	if err != nil {
		return nil, err
	}
	add(own)
	if class, ok := lotClass(st.GTIN, st.Batch); ok {
		lot, err := r.cache.lots.Get(class, func() ([]seqEvent, error) {
			return r.queryTimeline(ctx, &epcis.Query{MatchAnyClass: []string{class}})
		})
		if err != nil {
			return nil, err
		}
		add(lot)
	}
	if st.WaybillNo != "" {
		way, err := r.queryTimeline(ctx, &epcis.Query{BizTx: []epcis.TypedValue{{Type: "bol", Value: WaybillURI(st.LogisticsCode, st.WaybillNo)}}})
		if err != nil {
			return nil, err
		}
		add(way)
	}
	return out, nil
}

// lotClass is the canonical EPC class of a GTIN's batch: its Digital Link
// (01)gtin(10)batch as gs1.BuildURI writes it; false without a GTIN and a
// batch, or when they are not valid AI values (intake checks both).
func lotClass(gtin, batch string) (string, bool) {
	if gtin == "" || batch == "" {
		return "", false
	}
	u, err := gs1.BuildURI(gs1.DefaultStem, []gs1.AIValue{{AI: "01", Value: gtin}, {AI: "10", Value: batch}})
	if err != nil {
		return "", false
	}
	return epcis.CanonicalEPC(u), true
}

// seqEvent is a decoded event with its store sequence and recorder.
type seqEvent struct {
	seq   int64
	event *epcis.Event
	by    int64 // the recording enterprise
}

// queryTimeline answers q's first 200 events by event time, decoded
// through the event cache.
func (r *Resolver) queryTimeline(ctx context.Context, q *epcis.Query) ([]seqEvent, error) {
	q.PerPage, q.OrderBy, q.OmitBody = 200, "eventTime", true
	recs, _, err := r.cfg.Reader.QueryEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]seqEvent, 0, len(recs))
	for _, rec := range recs {
		e, err := r.timelineEvent(ctx, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, seqEvent{rec.Seq, e, rec.EnterpriseID})
	}
	return out, nil
}

// timelineEvent decodes the event of rec for a timeline, reading its body
// by hash when the query left it out, and keeps only what a timeline uses
// (the first EPC, no quantity lists, ILMD or extensions): decoded events
// are cached by sequence (stored events never change, and one intake event
// of a thousand labels is read by every scan of them), so a few thousand
// take a few megabytes.
func (r *Resolver) timelineEvent(ctx context.Context, rec *epcis.Record) (*epcis.Event, error) {
	return r.cache.events.Get(rec.Seq, func() (*epcis.Event, error) {
		if len(rec.Body) == 0 {
			full, err := r.cfg.Reader.FindEvent(ctx, rec.Hash)
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
