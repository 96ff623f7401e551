package risk

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"tracegate"
	"tracegate/customs"
)

// Analytics runs barcode analytics over the declared lines and serves its
// findings.
type Analytics struct {
	store AnalyticsStore
	cfg   AnalyticsConfig
	clock tracegate.Clock
	log   *slog.Logger
	mu    sync.Mutex // one run at a time in this process
	// FullAbove is how many touched GTINs make an incremental run a full
	// one (a full scan is cheaper than many lookups); 0 means 20000.
	FullAbove int
}

// NewAnalytics returns the analytics over store. A nil clock means the
// system clock, a nil logger slog.Default().
func NewAnalytics(cfg AnalyticsConfig, store AnalyticsStore, clock tracegate.Clock, log *slog.Logger) *Analytics {
	if clock == nil {
		clock = tracegate.SystemClock{}
	}
	if log == nil {
		log = slog.Default()
	}
	return &Analytics{store: store, cfg: cfg.withDefaults(), clock: clock, log: log}
}

// RunStats says what a run did.
type RunStats struct {
	Full     bool          `json:"full"`
	Lines    int64         `json:"lines"`
	GTINs    int           `json:"gtins"`
	Findings int           `json:"findings"`
	Position int64         `json:"position"`
	Took     time.Duration `json:"tookNs"`
	// Scan is the part of Took spent reading and analysing the lines,
	// Save the part spent storing the findings.
	Scan time.Duration `json:"scanNs"`
	Save time.Duration `json:"saveNs"`
}

// Run analyses the declared lines: all of them when full or before the
// first run, else (incremental) only the GTINs touched since the last run
// (lines written after its position, filings changed since its time). It
// calls progress, when not nil, with the lines read and the lines to read.
// It fails with the store's errors; nothing is stored then.
func (a *Analytics) Run(ctx context.Context, full bool, progress func(done, total int64)) (RunStats, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	start := a.clock.Now()
	pos, ranAt, err := a.store.AnalyticsState(ctx)
	if err != nil {
		return RunStats{}, err
	}
	total, maxSeq, err := a.store.DeclaredLineStats(ctx)
	if err != nil {
		return RunStats{}, err
	}
	var gtins []int64
	if !full && pos >= 0 {
		if gtins, maxSeq, err = a.store.TouchedGTINs(ctx, pos, ranAt); err != nil {
			return RunStats{}, err
		}
		limit := a.FullAbove
		if limit <= 0 {
			limit = 20000
		}
		if len(gtins) == 0 {
			if err := a.store.SaveFindings(ctx, FindingsUpdate{GTINs: []int64{}, Position: maxSeq, At: start}); err != nil {
				return RunStats{}, err
			}
			return RunStats{Position: maxSeq, Took: a.clock.Now().Sub(start)}, nil
		}
		if len(gtins) > limit {
			gtins = nil
		} else {
			total = -1 // not known before the scan
		}
	}
	full = gtins == nil
	if full && maxSeq < pos {
		maxSeq = pos
	}
	filings, err := a.store.ApprovedFilings(ctx, gtins)
	if err != nil {
		return RunStats{}, err
	}
	tariff, err := a.tariff(ctx)
	if err != nil {
		return RunStats{}, err
	}
	var found []Finding
	an := newAnalyser(a.cfg, filings, tariff, func(f Finding) { found = append(found, f) })
	err = a.store.ScanDeclaredLines(ctx, gtins, func(l *Line) error {
		an.add(l)
		if progress != nil && an.count%65536 == 0 {
			progress(an.count, total)
		}
		return nil
	})
	if err != nil {
		return RunStats{}, err
	}
	an.flush()
	scanned := a.clock.Now()
	if progress != nil {
		progress(an.count, an.count)
	}
	if err := a.resolve(ctx, found); err != nil {
		return RunStats{}, err
	}
	now := a.clock.Now()
	for i := range found {
		found[i].UpdatedAt = now
	}
	if err := a.store.SaveFindings(ctx, FindingsUpdate{Full: full, GTINs: gtins, Findings: found, Position: maxSeq, At: start}); err != nil {
		return RunStats{}, err
	}
	end := a.clock.Now()
	st := RunStats{Full: full, Lines: an.count, GTINs: an.gtins, Findings: len(found), Position: maxSeq, Took: end.Sub(start),
		Scan: scanned.Sub(start), Save: end.Sub(now)}
	a.log.InfoContext(ctx, "barcode analytics", "full", st.Full, "lines", st.Lines, "gtins", st.GTINs, "findings", st.Findings,
		"took", st.Took, "scan", st.Scan, "save", st.Save)
	return st, nil
}

// tariff is the tariff table in force, nil when none is loaded.
func (a *Analytics) tariff(ctx context.Context) (*customs.Tariff, error) {
	tables, err := a.store.CustomsTables(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if t.Kind != customs.TableTariff {
			continue
		}
		rates, err := customs.ParseTariffCSV(bytes.NewReader([]byte(t.CSV)))
		if err != nil {
			return nil, fmt.Errorf("risk: stored tariff table %d: %w", t.ID, err)
		}
		return customs.NewTariff(rates)
	}
	return nil, nil
}

// resolve fills in the listed declarations' ebpCode and orderNo and the
// specification findings' details, in batches.
func (a *Analytics) resolve(ctx context.Context, found []Finding) error {
	ids := map[int64]bool{}
	specs := map[int64]bool{}
	for _, f := range found {
		for _, d := range f.Declarations {
			ids[d.DeclarationID] = true
		}
		for _, s := range f.specs {
			specs[s.v] = true
		}
	}
	heads, err := a.store.DeclarationHeads(ctx, slices.Sorted(maps.Keys(ids)))
	if err != nil {
		return err
	}
	texts, err := a.store.SpecTexts(ctx, slices.Sorted(maps.Keys(specs)))
	if err != nil {
		return err
	}
	for i := range found {
		f := &found[i]
		for j := range f.Declarations {
			h := heads[f.Declarations[j].DeclarationID]
			f.Declarations[j].EbpCode, f.Declarations[j].OrderNo = h[0], h[1]
		}
		if f.Kind == FindingSameGTINSpec {
			f.Detail = specDetail(f.specs, f.units, texts, f.Lines)
		}
	}
	return nil
}

func specDetail(specs, units []counted, texts map[int64]string, off int) string {
	list := func(cs []counted, name func(int64) string) string {
		parts := []string{}
		for i, c := range cs {
			if i == 6 {
				parts = append(parts, fmt.Sprintf("and %d more", len(cs)-i))
				break
			}
			parts = append(parts, fmt.Sprintf("%q × %d", name(c.v), c.n))
		}
		return strings.Join(parts, ", ")
	}
	var b strings.Builder
	if len(specs) > 1 {
		fmt.Fprintf(&b, "declared with %d specifications (gmodel): %s", len(specs), list(specs, func(h int64) string { return texts[h] }))
	}
	if len(units) > 1 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "declared in %d units: %s", len(units), list(units, CodeString))
	}
	fmt.Fprintf(&b, "; %d lines differ from the most declared", off)
	return b.String()
}

// Findings lists findings for p: a regulator sees every finding; another
// enterprise only those about its own declarations or filed products, and
// in them only its own declarations. It fails with EINVALID for an unknown
// kind and with EFORBIDDEN for a principal without enterprise.
func (a *Analytics) Findings(ctx context.Context, p tracegate.Principal, f FindingFilter) ([]Finding, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, tracegate.Invalidf("/kind", "unknown finding kind %q (want one of %s)", f.Kind, kindList())
	}
	regulator := p.Role == tracegate.RoleRegulator
	if !regulator {
		if p.EnterpriseID == 0 {
			return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "findings are shown to enterprises and regulators")
		}
		f.Party = p.EnterpriseID
	}
	out, err := a.store.Findings(ctx, f)
	if err != nil || regulator {
		return out, err
	}
	for i := range out {
		own := out[i].Declarations[:0:0]
		for _, d := range out[i].Declarations {
			if d.Declarant == p.EnterpriseID {
				own = append(own, d)
			}
		}
		out[i].Declarations = own
	}
	return out, nil
}

func kindList() string {
	s := make([]string, len(FindingKinds))
	for i, k := range FindingKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// Loop runs the analytics incrementally every interval until ctx ends,
// logging failures; the first run comes after one interval.
func (a *Analytics) Loop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := a.Run(ctx, false, nil); err != nil && ctx.Err() == nil {
				a.log.ErrorContext(ctx, "barcode analytics", "err", err)
			}
		}
	}
}
