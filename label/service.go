package label

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tracegate"
	"tracegate/epcis"
	"tracegate/gs1"
	"tracegate/ledger"
)

// EPCPrefix begins the EPCIS identity of a label: urn:tracegate:label:
// followed by the hex of its Hash. The code itself never enters an event.
const EPCPrefix = "urn:tracegate:label:"

// EPC returns the EPCIS identity of the label with hash.
func EPC(hash [32]byte) string { return EPCPrefix + hex.EncodeToString(hash[:]) }

// MaxBind is the largest number of labels one binding call may carry.
const MaxBind = 100_000

// NS is the namespace of tracegate's EPCIS extension fields.
const NS = "https://tracegate.example/ns/label#"

// The CBV business steps and dispositions of binding events, in their GS1
// Web URI form.
const (
	bizCommissioning   = "https://ref.gs1.org/cbv/BizStep-commissioning"
	bizShipping        = "https://ref.gs1.org/cbv/BizStep-shipping"
	bizDecommissioning = "https://ref.gs1.org/cbv/BizStep-decommissioning"
	bizVoidShipping    = "https://ref.gs1.org/cbv/BizStep-void_shipping"
	dispActive         = "https://ref.gs1.org/cbv/Disp-active"
	dispInTransit      = "https://ref.gs1.org/cbv/Disp-in_transit"
	dispInactive       = "https://ref.gs1.org/cbv/Disp-inactive"
	dispInProgress     = "https://ref.gs1.org/cbv/Disp-in_progress"
	btPO               = "https://ref.gs1.org/cbv/BTT-po"
	btBOL              = "https://ref.gs1.org/cbv/BTT-bol"
)

// ServiceConfig configures a Service.
type ServiceConfig struct {
	// Secret is the deployment's label key (at least 32 bytes): the store
	// keeps Code.Hash(Secret) of each code.
	Secret []byte
	// BaseURL is the https origin label QR codes point at.
	BaseURL string
	Clock   tracegate.Clock
	// Zone is the time zone of binding events; nil means UTC+8.
	Zone *time.Location
	// Parties gives the client relations and the customs codes: whose
	// labels and filings an enterprise may bind (its own and its clients'),
	// and as which party of a declaration it dispatches. nil: an
	// enterprise binds only its own labels to its own filings and cannot
	// dispatch.
	Parties tracegate.PartyStore
	// Declarations finds the declaration of an order at dispatch; nil
	// refuses every dispatch.
	Declarations Declarations
	// Measures refuses the binding of goods under a measure in force; nil
	// checks only the holds. Containers is its hook for measures naming a
	// container (see Containers).
	Measures   Measures
	Containers Containers
	// PreListing refuses the dispatch of batches a platform requires a
	// passed pre-listing inspection of; nil requires none.
	PreListing PreListing
}

// Declarations finds what a dispatch checks of the declaration of an
// order; customs.Service implements it.
type Declarations interface {
	// DeclarationParties returns the release and the parties of the
	// declaration of (ebpCode, orderNo), or ENOTFOUND.
	DeclarationParties(ctx context.Context, ebpCode, orderNo string) (*tracegate.DeclarationParties, error)
}

// Service issues labels and binds them at intake and dispatch: the
// store's checks and the EPCIS events that record each binding are one
// transaction. It is safe for concurrent use.
type Service struct {
	store    Store
	products tracegate.ProductStore
	secret   []byte
	baseURL  string
	clock    tracegate.Clock
	zone     *time.Location
	parties  tracegate.PartyStore
	decls    Declarations

	measures   Measures
	containers Containers
	prelisting PreListing
}

// NewService returns the label service over s. It fails with EINVALID when
// the secret is shorter than 32 bytes or the base URL is not an https origin.
func NewService(cfg ServiceConfig, s Store, products tracegate.ProductStore) (*Service, error) {
	if len(cfg.Secret) < 32 {
		return nil, tracegate.Invalidf("/secret", "the label key must be at least 32 bytes")
	}
	if err := CheckBaseURL(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	if cfg.Zone == nil {
		cfg.Zone = time.FixedZone("+08:00", 8*3600)
	}
	return &Service{store: s, products: products, secret: cfg.Secret, baseURL: strings.TrimSuffix(cfg.BaseURL, "/"),
		clock: cfg.Clock, zone: cfg.Zone, parties: cfg.Parties, decls: cfg.Declarations,
		measures: cfg.Measures, containers: cfg.Containers, prelisting: cfg.PreListing}, nil
}

// BaseURL is the origin the service's labels point at.
func (s *Service) BaseURL() string { return s.baseURL }

// Hash is the store key of c under the service's label key.
func (s *Service) Hash(c Code) [32]byte { return c.Hash(s.secret) }

// Issue generates n codes for enterprise p and stores their hashes and
// commitments with the issuance leaves (when withLedger) in one
// transaction. The codes are returned once, to be streamed to the
// enterprise; nothing keeps them. It fails with EINVALID for n outside
// 1..MaxBatch or a caption over 40 characters.
func (s *Service) Issue(ctx context.Context, p *tracegate.Principal, n int, caption string, withLedger bool) (*Request, []Code, error) {
	if err := checkRequest(n, caption); err != nil { // before generating a million codes
		return nil, nil, err
	}
	codes := make([]Code, 0, n)
	if err := Generate(n, func(c Code) error { codes = append(codes, c); return nil }); err != nil {
		return nil, nil, err
	}
	req, err := s.IssueCodes(ctx, p, codes, caption, withLedger)
	return req, codes, err
}

// IssueCodes stores codes as one request of p, as Issue does with the codes
// it generates. Only tests and demo data call it with codes of their own.
func (s *Service) IssueCodes(ctx context.Context, p *tracegate.Principal, codes []Code, caption string, withLedger bool) (*Request, error) {
	n := len(codes)
	if err := checkRequest(n, caption); err != nil {
		return nil, err
	}
	issued := make([]Issued, n)
	chunks := make([][]byte, (n+ledger.MaxItems-1)/ledger.MaxItems)
	for i := range chunks {
		chunks[i] = make([]byte, 32*(min(n, (i+1)*ledger.MaxItems)-i*ledger.MaxItems))
	}
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			issued[i] = Issued{Hash: codes[i].Hash(s.secret), Seq: i}
			c := codes[i].Commitment()
			copy(chunks[i/ledger.MaxItems][32*(i%ledger.MaxItems):], c[:])
		}
	})
	slices.SortFunc(issued, func(a, b Issued) int { return bytes.Compare(a.Hash[:], b.Hash[:]) })
	req := &Request{EnterpriseID: p.EnterpriseID, Count: n, Caption: caption, LedgerIndex: -1,
		CreatedAt: s.clock.Now().UTC().Truncate(time.Millisecond)}
	var leaves [][]byte
	if withLedger {
		for i, blob := range chunks {
			c := &IssuanceChunk{Request: req, USCC: p.USCC, Index: i, Commitments: SplitCommitments(blob)}
			leaf, err := IssuanceLeaf(c)
			if err != nil {
				return nil, err
			}
			leaves = append(leaves, leaf)
		}
	}
	if err := s.store.IssueLabels(ctx, req, issued, chunks, leaves); err != nil {
		return nil, err
	}
	return req, nil
}

// checkRequest checks the size and caption of a label request.
func checkRequest(n int, caption string) error {
	if n < 1 || n > MaxBatch {
		return tracegate.Invalidf("/count", "count must be 1 to %d", MaxBatch)
	}
	if utf8.RuneCountInString(caption) > 40 {
		return tracegate.Invalidf("/caption", "caption is at most 40 characters")
	}
	return nil
}

// SplitCommitments cuts a chunk's stored commitments (32 bytes each) into
// its items; a trailing partial commitment is dropped (the audit then finds
// the leaf does not match).
func SplitCommitments(blob []byte) [][32]byte {
	out := make([][32]byte, len(blob)/32)
	for i := range out {
		out[i] = [32]byte(blob[32*i:])
	}
	return out
}

// parallel runs fn over [0, n) split in parts, one per core (two here).
func parallel(n int, fn func(lo, hi int)) {
	const parts = 4
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := n*i/parts, n*(i+1)/parts
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// IssuanceLeaf is the ledger leaf of one chunk of an issuance: kind
// label-issuance, the chunk's content hash, the request's time and
// enterprise, and one item line per label: its Code.Commitment, which
// whoever holds the label recomputes from the code alone.
func IssuanceLeaf(c *IssuanceChunk) ([]byte, error) {
	l := ledger.Leaf{Kind: ledger.KindLabelIssuance, ContentHash: IssuanceHash(c), Time: c.Request.CreatedAt,
		USCC: c.USCC, Items: c.Commitments}
	return l.Encode()
}

// IssuanceHash is the content hash of an issuance chunk: SHA-256 over a
// domain line, the enterprise, the request time (ms), the chunk's position
// and its commitments in request order, as an RFC 6920 ni URI.
func IssuanceHash(c *IssuanceChunk) string {
	h := sha256.New()
	fmt.Fprintf(h, "tracegate.label-issuance/v1\n%s\n%d\n%d\n", c.USCC, c.Request.CreatedAt.UnixMilli(), c.Index)
	for _, x := range c.Commitments {
		h.Write(x[:])
	}
	return "ni:///sha-256;" + hex.EncodeToString(h.Sum(nil))
}

// IntakeRequest binds labels to a product filing at the bonded warehouse.
type IntakeRequest struct {
	Codes          []string  `json:"codes"`
	GTIN           string    `json:"gtin"`
	OwnerUSCC      string    `json:"ownerUscc,omitempty"` // the filing's owner, when several filed the GTIN
	Batch          string    `json:"batch"`
	ProductionDate string    `json:"productionDate,omitempty"` // YYYY-MM-DD
	ExpiryDate     string    `json:"expiryDate,omitempty"`     // YYYY-MM-DD
	Warehouse      string    `json:"warehouse,omitempty"`      // the warehouse's name; the caller's by default
	Location       string    `json:"location,omitempty"`       // its EPCIS location (an SGLN URN or Digital Link)
	At             time.Time `json:"at,omitzero"`              // when the labels were applied; now by default
}

// DispatchRequest binds labels to an order and its waybill as they leave.
type DispatchRequest struct {
	Codes         []string  `json:"codes"`
	EBPCode       string    `json:"ebpCode"` // the platform the order was placed on
	OrderNo       string    `json:"orderNo"`
	LogisticsCode string    `json:"logisticsCode"`
	WaybillNo     string    `json:"waybillNo"`
	Location      string    `json:"location,omitempty"`
	At            time.Time `json:"at,omitzero"`
}

// UnbindRequest undoes intake or dispatch bindings, with a reason.
type UnbindRequest struct {
	Codes  []string `json:"codes"`
	Of     string   `json:"of"` // "intake" or "dispatch"
	Reason string   `json:"reason"`
}

// BindResult is the answer to a binding call.
type BindResult struct {
	Bound  int      `json:"bound"`
	Events []string `json:"events"` // the eventIDs of the recording EPCIS events
}

// Intake binds the labels of req to a filed product (入仓理货) and records
// it as EPCIS commissioning events, one per 1000 labels, the labels being
// the items' identities. All labels are bound or none; each refused one is
// named with its reason.
func (s *Service) Intake(ctx context.Context, p *tracegate.Principal, req *IntakeRequest, leaf epcis.LeafFunc) (*BindResult, error) {
	var errs problems
	bad := errs.add
	hashes := s.parseCodes(req.Codes, bad)
	gtin, err := gs1.NormalizeGTIN(req.GTIN)
	if err != nil {
		bad("/gtin", "gtin %q: %v", req.GTIN, err)
	}
	if req.Batch == "" || gs1.ValidateAI("10", req.Batch) != nil {
		bad("/batch", "batch is required: 1 to 20 characters of GS1 AI (10)")
	}
	var dates [2]time.Time
	for i, d := range []struct{ ptr, v string }{{"/productionDate", req.ProductionDate}, {"/expiryDate", req.ExpiryDate}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			bad(d.ptr, "%s must be a date YYYY-MM-DD", d.ptr[1:])
		}
		dates[i] = t
	}
	if !dates[0].IsZero() && !dates[1].IsZero() && !dates[1].After(dates[0]) {
		bad("/expiryDate", "expiryDate must be after productionDate")
	}
	if len(req.Warehouse) > 200 {
		bad("/warehouse", "warehouse is at most 200 bytes")
	}
	checkLocation(req.Location, bad)
	s.checkAt(req.At, bad)
	var product *tracegate.Product
	var handles []int64
	if err == nil && len(errs) == 0 {
		if handles, err = s.clients(ctx, p); err != nil {
			return nil, err
		}
		if product, err = s.findProduct(ctx, gtin, req.OwnerUSCC, append([]int64{p.EnterpriseID}, handles...)); err != nil {
			return nil, err
		}
	}
	if len(errs) > 0 {
		return nil, errs.err("the intake request is not valid")
	}
	at := s.eventTime(req.At)
	warehouse := req.Warehouse
	if warehouse == "" {
		warehouse = p.Enterprise.Name
	}
	b := &Binding{Kind: BindIntake, EnterpriseID: p.EnterpriseID, Handles: handles, Hashes: hashes, At: at, ProductID: product.ID,
		GTIN: gtin, Batch: req.Batch, ProductionDate: req.ProductionDate, ExpiryDate: req.ExpiryDate,
		Warehouse: warehouse, WarehouseID: p.EnterpriseID}
	if req.Location != "" {
		b.Location = tracegate.CanonicalLocation(req.Location)
	}
	return s.bind(ctx, p, b, leaf, func(epcs []string) *epcis.Event {
		e := s.event(at, epcs, epcis.ActionAdd, bizCommissioning, dispActive, req.Location)
		e.ILMD = append(e.ILMD, epcis.Element{Space: epcis.NSCBVMDA, Local: "lotNumber", Value: req.Batch})
		if req.ExpiryDate != "" {
			e.ILMD = append(e.ILMD, epcis.Element{Space: epcis.NSCBVMDA, Local: "itemExpirationDate", Value: req.ExpiryDate})
		}
		if req.ProductionDate != "" {
			e.ILMD = append(e.ILMD, epcis.Element{Space: NS, Local: "productionDate", Value: req.ProductionDate})
		}
		e.ILMD = append(e.ILMD, epcis.Element{Space: NS, Local: "gtin", Value: gtin})
		e.Extensions = []epcis.Element{{Space: NS, Local: "binding", Value: "intake"}, {Space: NS, Local: "warehouse", Value: warehouse}}
		return e
	})
}

// Dispatch binds the labels of req to an order and its waybill (出仓),
// recorded as EPCIS shipping events with the order and the waybill as
// business transactions. One item, one waybill: a label bound to a
// waybill is refused until it is unbound.
func (s *Service) Dispatch(ctx context.Context, p *tracegate.Principal, req *DispatchRequest, leaf epcis.LeafFunc) (*BindResult, error) {
	var errs problems
	bad := errs.add
	hashes := s.parseCodes(req.Codes, bad)
	for _, f := range []struct{ ptr, v string }{{"/ebpCode", req.EBPCode}, {"/orderNo", req.OrderNo},
		{"/logisticsCode", req.LogisticsCode}, {"/waybillNo", req.WaybillNo}} {
		if f.v == "" || len(f.v) > 60 || !printable(f.v) {
			bad(f.ptr, "%s is required: 1 to 60 printable characters", f.ptr[1:])
		}
	}
	checkLocation(req.Location, bad)
	s.checkAt(req.At, bad)
	if len(errs) > 0 {
		return nil, errs.err("the dispatch request is not valid")
	}
	handles, decl, err := s.checkDeclaration(ctx, p, req)
	if err != nil {
		return nil, err
	}
	at := s.eventTime(req.At)
	b := &Binding{Kind: BindDispatch, EnterpriseID: p.EnterpriseID, Handles: handles, Hashes: hashes, At: at,
		EBPCode: req.EBPCode, OrderNo: req.OrderNo, LogisticsCode: req.LogisticsCode, WaybillNo: req.WaybillNo,
		Consignee: decl.Consignee, ConsigneePhone: decl.ConsigneePhone, ConsigneeAddress: decl.ConsigneeAddress}
	return s.bind(ctx, p, b, leaf, func(epcs []string) *epcis.Event {
		e := s.event(at, epcs, epcis.ActionObserve, bizShipping, dispInTransit, req.Location)
		e.BizTransactionList = []epcis.BizTransaction{
			{Type: btPO, Value: OrderURI(req.EBPCode, req.OrderNo)},
			{Type: btBOL, Value: WaybillURI(req.LogisticsCode, req.WaybillNo)},
		}
		e.Extensions = []epcis.Element{{Space: NS, Local: "binding", Value: "dispatch"}}
		return e
	})
}

// Unbind undoes the intake or dispatch binding of the labels of req,
// recording the reason and an EPCIS event (decommissioning after intake,
// void_shipping after dispatch). A label dispatched cannot lose its intake
// binding before its dispatch binding.
func (s *Service) Unbind(ctx context.Context, p *tracegate.Principal, req *UnbindRequest, leaf epcis.LeafFunc) (*BindResult, error) {
	var errs problems
	bad := errs.add
	hashes := s.parseCodes(req.Codes, bad)
	reason := strings.TrimSpace(req.Reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		bad("/reason", "reason is required: 1 to 500 characters")
	}
	kind, step, disp, action := UnbindIntake, bizDecommissioning, dispInactive, epcis.ActionDelete
	switch req.Of {
	case "intake":
	case "dispatch":
		kind, step, disp, action = UnbindDispatch, bizVoidShipping, dispInProgress, epcis.ActionObserve
	default:
		bad("/of", `of must be "intake" or "dispatch"`)
	}
	if len(errs) > 0 {
		return nil, errs.err("the unbinding request is not valid")
	}
	handles, err := s.clients(ctx, p)
	if err != nil {
		return nil, err
	}
	at := s.eventTime(time.Time{})
	b := &Binding{Kind: kind, EnterpriseID: p.EnterpriseID, Handles: handles, Hashes: hashes, At: at, Reason: reason}
	return s.bind(ctx, p, b, leaf, func(epcs []string) *epcis.Event {
		e := s.event(at, epcs, action, step, disp, "")
		e.Extensions = []epcis.Element{{Space: NS, Local: "binding", Value: string(kind)}, {Space: NS, Local: "reason", Value: reason}}
		return e
	})
}

// bind makes the events of b (one per ledger.MaxItems labels) and has the
// store check and apply b with them.
func (s *Service) bind(ctx context.Context, p *tracegate.Principal, b *Binding, leaf epcis.LeafFunc, mk func(epcs []string) *epcis.Event) (*BindResult, error) {
	b.Now = s.clock.Now()
	res := &BindResult{Bound: len(b.Hashes)}
	var recs []*epcis.Record
	b.EventIDs = make([]string, len(b.Hashes))
	for lo := 0; lo < len(b.Hashes); lo += ledger.MaxItems {
		hi := min(len(b.Hashes), lo+ledger.MaxItems)
		epcs := make([]string, 0, hi-lo)
		for _, h := range b.Hashes[lo:hi] {
			epcs = append(epcs, EPC(h))
		}
		e := mk(epcs)
		if errs := epcis.CheckEvent(e, "/event"); len(errs) > 0 {
			return nil, &tracegate.Error{Code: tracegate.EINTERNAL, Message: "label: a binding event is not valid: " + errs[0].Detail}
		}
		r := epcis.NewRecord(e, p.EnterpriseID)
		recs = append(recs, r)
		res.Events = append(res.Events, r.EventID)
		for i := lo; i < hi; i++ {
			b.EventIDs[i] = r.EventID
		}
	}
	failed, err := s.refusal(ctx, b)
	if err != nil {
		return nil, err
	}
	pfailed, err := s.preListing(ctx, b)
	if err != nil {
		return nil, err
	}
	err = s.store.LabelUpdate(ctx, func(tx Tx) error { return applyBinding(ctx, tx, b, leaf, recs) })
	ferr := failed()
	if ferr == nil {
		ferr = pfailed()
	}
	if ferr != nil {
		return nil, ferr
	} else if err != nil {
		return nil, err
	}
	return res, nil
}

// event is an ObjectEvent of epcs at the service's zone.
func (s *Service) event(at time.Time, epcs []string, action epcis.Action, bizStep, disp, location string) *epcis.Event {
	e := &epcis.Event{Type: epcis.ObjectEvent, EventTime: at, EventTimeZoneOffset: at.Format("-07:00"),
		EPCList: epcs, Action: action, BizStep: bizStep, Disposition: disp}
	if location != "" {
		e.ReadPoint = &epcis.Location{ID: location}
		e.BizLocation = &epcis.Location{ID: location}
	}
	return e
}

// eventTime is t (or now) in the service's zone, to the millisecond.
func (s *Service) eventTime(t time.Time) time.Time {
	if t.IsZero() {
		t = s.clock.Now()
	}
	return t.In(s.zone).Truncate(time.Millisecond)
}

// parseCodes reads the codes of a binding call: present, at most MaxBind,
// each a genuine-looking code, none twice.
func (s *Service) parseCodes(codes []string, bad func(ptr, format string, args ...any)) [][32]byte {
	if len(codes) == 0 || len(codes) > MaxBind {
		bad("/codes", "codes must list 1 to %d label codes", MaxBind)
		return nil
	}
	hashes := make([][32]byte, len(codes))
	seen := make(map[Code]int, len(codes))
	for i, v := range codes {
		c, err := ParseCode(v)
		if err != nil {
			bad(fmt.Sprintf("/codes/%d", i), "not a genuine label code")
			continue
		}
		if j, dup := seen[c]; dup {
			bad(fmt.Sprintf("/codes/%d", i), "the same code as /codes/%d", j)
			continue
		}
		seen[c] = i
		hashes[i] = c.Hash(s.secret)
	}
	return hashes
}

// findProduct returns the filing of gtin, by owner when one is named,
// among the filings of owners (the binder and its clients): another's
// filing is answered as if there were none.
func (s *Service) findProduct(ctx context.Context, gtin, ownerUSCC string, owners []int64) (*tracegate.Product, error) {
	ps, err := s.products.ListProducts(ctx, tracegate.ProductFilter{GTIN: gtin})
	if err != nil {
		return nil, err
	}
	var match []*tracegate.Product
	for _, p := range ps {
		if !slices.Contains(owners, p.OwnerID) {
			continue
		}
		if ownerUSCC == "" || strings.EqualFold(p.OwnerUSCC, ownerUSCC) {
			match = append(match, p)
		}
	}
	switch {
	case len(match) == 0:
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: "/gtin", Message: "no product filing for GTIN " + gtin +
			" of your enterprise or of a client that authorised you (file the product first, or ask its filer to authorise you)"}
	case len(match) > 1:
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: "/ownerUscc", Message: "several enterprises filed GTIN " + gtin + "; name the filing's owner in ownerUscc"}
	}
	return match[0], nil
}

// OrderURI is the business transaction URI of an order on a platform.
func OrderURI(ebpCode, orderNo string) string {
	return "urn:tracegate:order:" + uriPart(ebpCode) + ":" + uriPart(orderNo)
}

// WaybillURI is the business transaction URI of a waybill of a logistics firm.
func WaybillURI(logisticsCode, waybillNo string) string {
	return "urn:tracegate:waybill:" + uriPart(logisticsCode) + ":" + uriPart(waybillNo)
}

// uriPart percent-encodes what a URN's namespace-specific string may not hold.
func uriPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~()+,;=!*'$@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func isLocationURI(v string) bool {
	return strings.HasPrefix(v, "urn:epc:id:sgln:") || strings.HasPrefix(v, "https://") && strings.Contains(v, "/414/")
}

func printable(v string) bool {
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// problems collects the field errors of one request.
type problems []tracegate.FieldError

func (p *problems) add(ptr, format string, args ...any) {
	*p = append(*p, tracegate.FieldError{Pointer: ptr, Detail: fmt.Sprintf(format, args...)})
}

// err is an EINVALID error listing p, pointing at the first.
func (p problems) err(msg string) error {
	return &tracegate.Error{Code: tracegate.EINVALID, Message: msg + ": " + p[0].Detail, Pointer: p[0].Pointer, Details: p}
}

// checkAt refuses a binding time more than five minutes ahead of the
// server's clock (a time in the past is an event recorded late; the holds
// are checked against the server's clock anyway).
func (s *Service) checkAt(at time.Time, bad func(ptr, format string, args ...any)) {
	if at.After(s.clock.Now().Add(5 * time.Minute)) {
		bad("/at", "at is in the future")
	}
}

// checkLocation checks an optional EPCIS location of a binding.
func checkLocation(v string, bad func(ptr, format string, args ...any)) {
	if v != "" && !isLocationURI(v) {
		bad("/location", "location must be an EPCIS location URI (urn:epc:id:sgln:… or https://…/414/…)")
	}
}
