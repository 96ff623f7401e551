package credit

import (
	"strings"
	"sync"

	"tracegate/customs"
)

var _ customs.CreditThrough = (*Levels)(nil)

// Through returns l answering customs codes by the USCC owner gives (the
// screening transaction's lookup) instead of l's own CodeStore, when l
// resolves codes at all (ResolveCodes). Lookups are remembered for the
// view's life (one screening); Err reports the first that failed, whose
// code is answered as ungraded.
func (l *Levels) Through(owner func(code string) (string, error)) customs.CreditLevels {
	return &throughLevels{l: l, owner: owner, owners: map[string]string{}}
}

// throughLevels is Levels resolving codes with a caller's lookup.
type throughLevels struct {
	l      *Levels
	owner  func(code string) (string, error)
	mu     sync.Mutex
	owners map[string]string
	err    error
}

var _ customs.CreditSampler = (*throughLevels)(nil)

// Err returns the first failed lookup.
func (t *throughLevels) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

func (t *throughLevels) level(uscc string) int {
	code := strings.TrimSpace(uscc)
	t.l.mu.RLock()
	lvl, ok := t.l.levels[code]
	resolves := t.l.codes != nil
	t.l.mu.RUnlock()
	if ok || !resolves || len(code) != codeLen {
		return lvl
	}
	t.mu.Lock()
	u, seen := t.owners[code]
	t.mu.Unlock()
	if !seen {
		var err error
		if u, err = t.owner(code); err != nil {
			t.mu.Lock()
			if t.err == nil {
				t.err = err
			}
			t.mu.Unlock()
			return 0
		}
		t.mu.Lock()
		t.owners[code] = u
		t.mu.Unlock()
	}
	if u == "" {
		return 0
	}
	t.l.mu.RLock()
	defer t.l.mu.RUnlock()
	return t.l.levels[u]
}

// CreditLevel is Levels.CreditLevel with codes resolved by the lookup.
func (t *throughLevels) CreditLevel(code string) customs.CreditLevel {
	return t.l.customsLevel(t.level(code))
}

// CreditSample is Levels.CreditSample with codes resolved by the lookup.
func (t *throughLevels) CreditSample(code, declaration string) (customs.CreditLevel, bool, float64) {
	lvl := t.level(code)
	cl := t.l.customsLevel(lvl)
	if cl == customs.CreditUnknown {
		return cl, false, 0
	}
	share := t.l.rules.Sampling(lvl)
	return cl, Sampled(t.l.secret, strings.TrimSpace(code), declaration, share), share
}
