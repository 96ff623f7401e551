package risk

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"tracegate"
)

// ServiceConfig configures NewService.
type ServiceConfig struct {
	// Monitor returns the USCC of the monitoring centre that signs the
	// ledger leaves of warnings opened by the assessment (a regulator).
	Monitor func(ctx context.Context) (string, error)
	// Drafter makes the draft measure of a confirmed warning; nil answers
	// a confirmation with EUNAVAILABLE.
	Drafter MeasureDrafter
	// Sampler is the credit levels lab sampling follows; nil samples every
	// batch.
	Sampler LotSampler
	Clock   tracegate.Clock
	Log     *slog.Logger
}

// Service is risk monitoring over a Store: signals in, assessments,
// warnings and the customs lookups out. It is safe for concurrent use.
type Service struct {
	store   Store
	monitor func(ctx context.Context) (string, error)
	drafter MeasureDrafter
	sampler LotSampler
	clock   tracegate.Clock
	log     *slog.Logger

	mu  sync.RWMutex
	cfg *Config
	// Lookups answers customs screening from the scores.
	lookups *Lookups
	subs    []func([]Change)
}

// NewService returns the service over s with the configuration stored in
// s (the default when none). It fails when the stored configuration does
// not parse or the store cannot be read.
func NewService(ctx context.Context, s Store, c ServiceConfig) (*Service, error) {
	if c.Clock == nil {
		c.Clock = tracegate.SystemClock{}
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Monitor == nil {
		c.Monitor = func(context.Context) (string, error) { return "", nil }
	}
	svc := &Service{store: s, monitor: c.Monitor, drafter: c.Drafter, sampler: c.Sampler, clock: c.Clock, log: c.Log, cfg: DefaultConfig()}
	b, err := s.RiskConfig(ctx)
	if err != nil {
		return nil, err
	}
	if b != nil {
		if svc.cfg, err = ParseConfig(b); err != nil {
			return nil, err
		}
	}
	svc.lookups = &Lookups{clock: c.Clock}
	if err := svc.ReloadLookups(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

// SetDrafter sets the measure drafter (wired once measures exist).
func (s *Service) SetDrafter(d MeasureDrafter) { s.mu.Lock(); s.drafter = d; s.mu.Unlock() }

// OnChange registers fn to be told of every change of scores (after
// commit).
func (s *Service) OnChange(fn func([]Change)) {
	s.mu.Lock()
	s.subs = append(s.subs, fn)
	s.mu.Unlock()
}

// Config returns the configuration in force.
func (s *Service) Config() *Config { s.mu.RLock(); defer s.mu.RUnlock(); return s.cfg }

// Lookups returns the customs lookups answered from the scores.
func (s *Service) Lookups() *Lookups { return s.lookups }

// SetConfig checks the configuration b, re-scores every subject under it
// and stores it. It fails with EINVALID as ParseConfig; nothing changes
// then.
func (s *Service) SetConfig(ctx context.Context, b []byte) (*Config, error) {
	c, err := ParseConfig(b)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.RescoreRisk(ctx, c); err != nil {
		return nil, err
	}
	s.cfg = c
	return c, s.reloadLookups(ctx, c)
}

// canWrite reports whether p may state sig: regulators and labs state
// anything; a platform only findings about goods it filed (selector
// enterprise its own, or a GTIN every filing of which is its own).
func (s *Service) canWrite(ctx context.Context, p tracegate.Principal, sig *Signal, pointer string) error {
	switch p.Role {
	case tracegate.RoleRegulator, tracegate.RoleLab:
		return nil
	case tracegate.RolePlatform:
	default:
		return &tracegate.Error{Code: tracegate.EFORBIDDEN, Message: "only regulators, labs and platforms (about their own goods) state risk signals"}
	}
	own := func(uscc string) bool { return strings.EqualFold(uscc, p.USCC) }
	if sig.Selector.Enterprise != "" && !own(sig.Selector.Enterprise) {
		return &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: pointer + "/selector/enterprise", Message: "a platform reports findings about its own goods only"}
	}
	if sig.Selector.GTIN == "" {
		if sig.Selector.Enterprise == "" {
			return &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: pointer + "/selector", Message: "a platform's finding names a GTIN it filed or its own USCC as enterprise"}
		}
		return nil
	}
	fs, err := s.store.RiskFilings(ctx, sig.Selector.GTIN)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if own(f.OwnerUSCC) {
			return nil
		}
	}
	return &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: pointer + "/selector/gtin", Message: "a platform reports findings about goods it filed only"}
}

// AddSignals validates and stores sigs stated by p, all or nothing, and
// returns the subjects they moved; sigs get their IDs and subjects. It
// fails with EINVALID pointing at /signals/N/field (a single signal, list
// false: /field) for bad input, EFORBIDDEN for a signal p may not state,
// ECONFLICT for a Ref stated before.
func (s *Service) AddSignals(ctx context.Context, p tracegate.Principal, sigs []*Signal) ([]Change, error) {
	return s.addSignals(ctx, p, sigs, len(sigs) > 1)
}

// AddSignalList is AddSignals with the pointers of a list even for one
// signal (/signals/0/field).
func (s *Service) AddSignalList(ctx context.Context, p tracegate.Principal, sigs []*Signal) ([]Change, error) {
	return s.addSignals(ctx, p, sigs, true)
}

// ImportCSV reads signals from a CSV (ParseCSV) stated by p and stores
// them all or none; onRow reports the bytes read. It fails as ParseCSV,
// and with EFORBIDDEN at /row/N for a row p may not state.
func (s *Service) ImportCSV(ctx context.Context, p tracegate.Principal, r io.Reader, onRow func(int64)) ([]*Signal, []Change, error) {
	sigs, err := ParseCSV(r, s.clock.Now(), onRow)
	if err != nil {
		return nil, nil, err
	}
	for i, sig := range sigs {
		if err := s.canWrite(ctx, p, sig, "/row/"+itoa(i+2)); err != nil {
			return nil, nil, err
		}
		sig.Author, sig.AuthorID = p.USCC, p.EnterpriseID
	}
	chs, err := s.add(ctx, sigs)
	return sigs, chs, err
}

func (s *Service) addSignals(ctx context.Context, p tracegate.Principal, sigs []*Signal, list bool) ([]Change, error) {
	if len(sigs) == 0 {
		return nil, tracegate.Invalidf("/signals", "no signals")
	}
	if len(sigs) > MaxCSVRows {
		return nil, &tracegate.Error{Code: tracegate.ETOOLARGE, Pointer: "/signals", Message: "at most " + itoa(MaxCSVRows) + " signals at once"}
	}
	now := s.clock.Now()
	for i, sig := range sigs {
		ptr := ""
		if list {
			ptr = "/signals/" + itoa(i)
		}
		if err := sig.Validate(ptr, now); err != nil {
			return nil, err
		}
		if err := s.canWrite(ctx, p, sig, ptr); err != nil {
			return nil, err
		}
		sig.Author, sig.AuthorID = p.USCC, p.EnterpriseID
	}
	return s.add(ctx, sigs)
}

// add stores validated signals.
func (s *Service) add(ctx context.Context, sigs []*Signal) ([]Change, error) {
	if len(sigs) == 0 {
		return nil, nil
	}
	mon, err := s.monitor(ctx)
	if err != nil {
		return nil, err
	}
	if mon == "" {
		for _, sig := range sigs {
			if sig.Author != "" {
				mon = sig.Author
				break
			}
		}
	}
	cfg := s.Config()
	chs, err := s.store.AddRiskSignals(ctx, sigs, cfg, mon)
	if err != nil {
		return nil, err
	}
	s.changed(cfg, chs)
	return chs, nil
}

// changed updates the lookups and tells the subscribers of chs.
func (s *Service) changed(cfg *Config, chs []Change) {
	s.lookups.update(cfg, chs)
	s.mu.RLock()
	subs := s.subs
	s.mu.RUnlock()
	for _, fn := range subs {
		fn(chs)
	}
}

// SyncComplaints makes every scan-page complaint not yet a signal a
// complaint signal (medium severity, hazard by its category), batch at a
// time, and returns how many it made. Run after each complaint and
// periodically, it makes each complaint a signal once.
func (s *Service) SyncComplaints(ctx context.Context) (int, error) {
	n := 0
	for {
		sigs, err := s.store.PendingComplaintSignals(ctx, 500)
		if err != nil || len(sigs) == 0 {
			return n, err
		}
		now := s.clock.Now()
		for _, sig := range sigs {
			if sig.ObservedAt.After(now) {
				sig.ObservedAt = now
			}
		}
		if _, err := s.add(ctx, sigs); err != nil {
			return n, err
		}
		n += len(sigs)
	}
}

// Signal returns signal id, or ENOTFOUND.
func (s *Service) Signal(ctx context.Context, id int64) (*Signal, error) {
	return s.store.RiskSignal(ctx, id)
}

// Signals lists signals by f.
func (s *Service) Signals(ctx context.Context, f SignalFilter) ([]Signal, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	return s.store.RiskSignals(ctx, f)
}

// Attachment returns an attachment with its data and its signal's id.
func (s *Service) Attachment(ctx context.Context, id int64) (*Attachment, int64, error) {
	return s.store.RiskAttachment(ctx, id)
}

// MaxContributions is how many contributions an assessment lists.
const MaxContributions = 50

// Assessment returns the assessment of subj now; a subject no signal
// scores is at none with no signals.
func (s *Service) Assessment(ctx context.Context, subj Subject) (Assessment, error) {
	cfg := s.Config()
	a, err := s.store.RiskAggregate(ctx, subj, MaxContributions)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		a, err = &Aggregate{Subject: subj, LogSum: NoWeight}, nil
	}
	if err != nil {
		return Assessment{}, err
	}
	return cfg.Assess(a, s.clock.Now()), nil
}

// Assessments ranks the subjects of kind ("" all) by score, limit of them,
// each with its heaviest signals.
func (s *Service) Assessments(ctx context.Context, kind SubjectKind, limit int) ([]Assessment, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	cfg := s.Config()
	as, err := s.store.RiskAggregates(ctx, kind, limit, 10)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := make([]Assessment, 0, len(as))
	for i := range as {
		out = append(out, cfg.Assess(&as[i], now))
	}
	return out, nil
}

// Overview returns the decision-support data since (zero: 26 weeks).
func (s *Service) Overview(ctx context.Context, since time.Time) (*Overview, error) {
	now := s.clock.Now()
	if since.IsZero() {
		since = now.AddDate(0, 0, -26*7)
	}
	o, err := s.store.RiskOverview(ctx, since, now, s.Config())
	if err != nil {
		return nil, err
	}
	o.Since, o.At = since.UTC(), now.UTC()
	top, err := s.Assessments(ctx, "", 20)
	if err != nil {
		return nil, err
	}
	o.TopSubjects = top
	return o, nil
}

// Stock answers the stock search for p: a regulator sees all, an
// enterprise the goods it holds or filed. It fails with EINVALID for a bad
// GTIN or batch.
func (s *Service) Stock(ctx context.Context, p tracegate.Principal, gtin, batch string) (*Stock, error) {
	sel := tracegate.Selector{GTIN: gtin, Batch: batch}
	if err := sel.Validate(""); err != nil {
		return nil, err
	}
	f := StockFilter{GTIN: sel.GTIN, Batch: sel.Batch}
	if p.Role != tracegate.RoleRegulator {
		f.HolderID = p.EnterpriseID
	}
	return s.store.RiskStock(ctx, f)
}
