package risk

import (
	"context"
	"strings"
	"sync"

	"tracegate"
	"tracegate/customs"
)

// Lookups answers customs screening's barcode and HS risk lookups
// (customs.BarcodeRisk, customs.HSRisk) from the scores: a GTIN or HS code
// at a level gets one risk tag whose severity the configuration's Customs
// map gives (by default warning → manual review, alert → refusal). It
// holds in memory the subjects at notice or above, kept current by every
// write of signals and decaying as it is asked; it is safe for concurrent
// use.
type Lookups struct {
	clock tracegate.Clock
	mu    sync.RWMutex
	cfg   *Config
	gtin  map[string]float64 // GTIN-14 → log sum
	hs    map[string]float64 // HS prefix (2..8 digits) → log sum
}

var (
	_ customs.BarcodeRisk = (*Lookups)(nil)
	_ customs.HSRisk      = (*Lookups)(nil)
)

// ReloadLookups reads the subjects at notice or above from the store.
func (s *Service) ReloadLookups(ctx context.Context) error { return s.reloadLookups(ctx, s.Config()) }

func (s *Service) reloadLookups(ctx context.Context, cfg *Config) error {
	// A subject below notice now stays below it until a new signal, which
	// update adds: decay only lowers scores.
	min := log2(cfg.Thresholds.Notice) + cfg.halfLives(s.clock.Now())
	g, err := s.store.RiskHeavy(ctx, SubjectGTIN, min)
	if err != nil {
		return err
	}
	h, err := s.store.RiskHeavy(ctx, SubjectHS, min)
	if err != nil {
		return err
	}
	s.lookups.mu.Lock()
	s.lookups.cfg, s.lookups.gtin, s.lookups.hs = cfg, g, h
	s.lookups.mu.Unlock()
	return nil
}

// update takes the changed subjects of a write.
func (l *Lookups) update(cfg *Config, chs []Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg = cfg
	for _, ch := range chs {
		switch ch.Subject.Kind {
		case SubjectGTIN:
			l.gtin[ch.Subject.Value] = ch.LogSum
		case SubjectHS:
			l.hs[ch.Subject.Value] = ch.LogSum
		}
	}
}

func (l *Lookups) tag(what string, lsum float64) []customs.RiskTag {
	if l.cfg == nil {
		return nil
	}
	score := l.cfg.Value(lsum, l.clock.Now())
	lvl := l.cfg.LevelOf(score)
	sev := l.cfg.Customs[lvl]
	if lvl == LevelNone || sev == "" {
		return nil
	}
	return []customs.RiskTag{{Tag: "risk-" + string(lvl), Severity: sev,
		Note: "risk assessment of " + what + ": score " + trimFloat(score) + ", level " + string(lvl) + " (GET /api/risk/assessments)"}}
}

// BarcodeRisk returns the tag of a GTIN at notice or above, nil otherwise.
func (l *Lookups) BarcodeRisk(gtin string) []customs.RiskTag {
	g := strings.TrimSpace(gtin)
	for len(g) < 14 && len(g) > 0 {
		g = "0" + g
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	lsum, ok := l.gtin[g]
	if !ok {
		return nil
	}
	return l.tag("gtin:"+g, lsum)
}

// HSRisk returns the tags of every HS prefix (2 to 8 digits) of gcode at
// notice or above, shortest first.
func (l *Lookups) HSRisk(gcode string) []customs.RiskTag {
	gcode = strings.TrimSpace(gcode)
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []customs.RiskTag
	for n := 2; n <= min(8, len(gcode)); n++ {
		if lsum, ok := l.hs[gcode[:n]]; ok {
			out = append(out, l.tag("hs:"+gcode[:n], lsum)...)
		}
	}
	return out
}
