package measure

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
)

// Config configures a Service.
type Config struct {
	Clock tracegate.Clock // nil: the system clock
	// Enterprises finds a measure's owner by its USCC.
	Enterprises interface {
		FindEnterpriseByUSCC(ctx context.Context, code string) (*tracegate.Enterprise, error)
	}
	// Products are the filings: whose goods a voluntary measure names, and
	// which measures touch an enterprise's products.
	Products tracegate.ProductStore
	// Changed, when set, is called after a measure came into force or left
	// it (so a node's caches of measures in force can be dropped).
	Changed func()
}

// Service orders measures and runs their workflow: who may order what,
// who moves a measure on, who has acknowledged it. It is safe for
// concurrent use.
type Service struct {
	cfg   Config
	store Store
}

// NewService returns the measure service over s. It fails with EINVALID
// when cfg lacks Enterprises or Products.
func NewService(cfg Config, s Store) (*Service, error) {
	if cfg.Enterprises == nil || cfg.Products == nil || s == nil {
		return nil, tracegate.Errorf(tracegate.EINVALID, "measure: the service needs a store, enterprises and products")
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	return &Service{cfg: cfg, store: s}, nil
}

// Store is the service's store.
func (s *Service) Store() Store { return s.store }

// OrderRequest is the body of an order (POST /api/measures).
type OrderRequest struct {
	Kind     Kind            `json:"kind"`
	Selector json.RawMessage `json:"selector"`
	Owner    string          `json:"owner"` // USCC; an enterprise's own by default
	Reason   string          `json:"reason"`
	ReasonEn string          `json:"reasonEn"`
	Deadline *time.Time      `json:"deadline,omitempty"`
	Signal   string          `json:"signal,omitempty"`
	// Until ends the measure's force at a time (the /api/holds alias);
	// nil: in force until verified or cancelled.
	Until *time.Time `json:"until,omitempty"`
}

// Order orders a measure as p: a regulator any kind on anyone's goods, an
// enterprise a voluntary stop_sale or recall of its own products only (a
// selector naming its USCC as enterprise, or a GTIN every filing of which
// is its own). The measure is in force at once. It fails with EINVALID
// pointing at the field for bad input, EFORBIDDEN pointing at it for what
// p may not order; nothing is stored then.
func (s *Service) Order(ctx context.Context, p *tracegate.Principal, req *OrderRequest) (*Measure, error) {
	return s.create(ctx, p, req, Ordered)
}

// Draft creates a measure in status draft, not in force until the
// regulator orders it (Transition to ordered) or cancels it: the measures
// proposed from risk warnings. Only a regulator drafts; it fails as Order.
func (s *Service) Draft(ctx context.Context, p *tracegate.Principal, req *OrderRequest) (*Measure, error) {
	if p.Role != tracegate.RoleRegulator {
		return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Message: "only a regulator drafts a measure"}
	}
	return s.create(ctx, p, req, Draft)
}

func (s *Service) create(ctx context.Context, p *tracegate.Principal, req *OrderRequest, status Status) (*Measure, error) {
	now := s.cfg.Clock.Now().UTC().Truncate(time.Microsecond)
	m, err := s.check(ctx, p, req, now)
	if err != nil {
		return nil, err
	}
	m.ID, m.Status, m.CreatedAt, m.UpdatedAt = newID(now), status, now, now
	event := EventDrafted
	if status == Ordered {
		m.Since, event = &now, EventOrdered
	}
	st := Step{Seq: 1, Event: event, To: status, By: p.USCC, At: now}
	w, err := s.write(ctx, m, st)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMeasure(ctx, m, w); err != nil {
		return nil, err
	}
	m.History = []Transition{{To: status, By: p.USCC, At: now}}
	if status == Ordered && s.cfg.Changed != nil {
		s.cfg.Changed()
	}
	return m, nil
}

// check validates req and decides whether p may order it.
func (s *Service) check(ctx context.Context, p *tracegate.Principal, req *OrderRequest, now time.Time) (*Measure, error) {
	var errs []tracegate.FieldError
	bad := func(ptr, msg string) { errs = append(errs, tracegate.FieldError{Pointer: ptr, Detail: msg}) }
	if !req.Kind.Valid() {
		bad("/kind", `kind must be one of "risk_notice", "stop_sale", "warehouse_lock", "recall", "return_destroy"`)
	}
	var sel tracegate.Selector
	if len(req.Selector) == 0 || string(req.Selector) == "null" {
		bad("/selector", "selector is required: at least one of its fields")
	} else if v, err := tracegate.ParseSelector(req.Selector, "/selector"); err != nil {
		var e *tracegate.Error
		switch {
		case errors.As(err, &e) && len(e.Details) > 0:
			errs = append(errs, e.Details...)
		case errors.As(err, &e):
			bad(e.Pointer, e.Message)
		default:
			return nil, err
		}
	} else {
		sel = v
	}
	reason, reasonEn := strings.TrimSpace(req.Reason), strings.TrimSpace(req.ReasonEn)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 500 {
		bad("/reason", "reason (Chinese) is required: 1 to 500 characters")
	}
	if n := utf8.RuneCountInString(reasonEn); n == 0 || n > 500 {
		bad("/reasonEn", "reasonEn (English) is required: 1 to 500 characters")
	}
	if req.Deadline != nil && !req.Deadline.After(now) {
		bad("/deadline", "deadline must be in the future")
	}
	if req.Until != nil && !req.Until.After(now) {
		bad("/until", "until must be in the future")
	}
	if len(req.Signal) > 100 || strings.ContainsFunc(req.Signal, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		bad("/signal", "signal is an id of at most 100 printable characters")
	}
	owner := strings.ToUpper(strings.TrimSpace(req.Owner))
	if owner == "" && p.Role != tracegate.RoleRegulator {
		owner = p.USCC
	}
	if owner == "" {
		bad("/owner", "owner is required: the USCC of the enterprise that must carry the measure out")
	} else if _, err := tracegate.ValidateUSCC(owner); err != nil {
		bad("/owner", tracegate.ErrorMessage(err))
	}
	if len(errs) > 0 {
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: errs[0].Pointer, Details: errs,
			Message: "the measure is not valid: " + errs[0].Detail}
	}
	m := &Measure{Kind: req.Kind, Selector: sel, Owner: owner, Reason: reason, ReasonEn: reasonEn, Deadline: utc(req.Deadline),
		Until: utc(req.Until), Signal: req.Signal, OrderedBy: p.USCC}
	if p.Role != tracegate.RoleRegulator {
		if err := s.checkVoluntary(ctx, p, m); err != nil {
			return nil, err
		}
		m.Voluntary = true
	}
	if _, err := s.cfg.Enterprises.FindEnterpriseByUSCC(ctx, owner); tracegate.ErrorCode(err) == tracegate.ENOTFOUND {
		return nil, tracegate.Invalidf("/owner", "no enterprise %s is registered", owner)
	} else if err != nil {
		return nil, err
	}
	return m, nil
}

// checkVoluntary decides whether enterprise p may order m on its own goods.
func (s *Service) checkVoluntary(ctx context.Context, p *tracegate.Principal, m *Measure) error {
	forbid := func(ptr, msg string) error {
		return &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: ptr, Message: msg}
	}
	switch {
	case m.Kind != StopSale && m.Kind != Recall:
		return forbid("/kind", "an enterprise may only start a voluntary stop_sale or recall; other measures are the regulator's")
	case m.Owner != p.USCC:
		return forbid("/owner", "a voluntary measure is carried out by the enterprise that starts it")
	case m.Selector.Enterprise != "" && m.Selector.Enterprise != p.USCC:
		return forbid("/selector/enterprise", "a voluntary measure covers only the products your enterprise filed")
	case m.Selector.Enterprise == p.USCC:
		return nil
	case m.Selector.GTIN == "":
		return forbid("/selector", "a voluntary measure names your enterprise (enterprise) or a GTIN you filed (gtin)")
	}
	ps, err := s.cfg.Products.ListProducts(ctx, tracegate.ProductFilter{GTIN: m.Selector.GTIN})
	if err != nil {
		return err
	}
	for _, pr := range ps {
		if pr.OwnerID != p.EnterpriseID {
			return forbid("/selector/gtin", "GTIN "+m.Selector.GTIN+" is also filed by another enterprise: name yours as enterprise in the selector")
		}
	}
	if len(ps) == 0 {
		return forbid("/selector/gtin", "your enterprise has no filing of GTIN "+m.Selector.GTIN)
	}
	return nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// newID is a measure id: M, the UTC date, and 8 random characters of
// Crockford's base 32 (M20261207-7K3QX9TB).
func newID(now time.Time) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [8]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return "M" + now.Format("20060102") + "-" + string(b[:])
}
