package credit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"
	"time"

	"tracegate"
	"tracegate/customs"
)

// Levels is the in-memory table of current levels that customs screening
// asks (customs.CreditLevels and customs.CreditSampler). The Service keeps
// it up to date; it is safe for concurrent use.
type Levels struct {
	rules  *Rules
	secret []byte

	mu     sync.RWMutex
	levels map[string]int
	// codes maps customs codes to their enterprises (ResolveCodes); nil:
	// only USCCs are answered.
	codes   CodeStore
	timeout time.Duration
}

var _ customs.CreditSampler = (*Levels)(nil)

// NewLevels returns an empty table sampling under rules with the secret
// (at least 32 bytes, kept out of the database: the data directory's
// credit.secret). It fails with EINVALID for a shorter secret.
func NewLevels(rules *Rules, secret []byte) (*Levels, error) {
	if len(secret) < 32 {
		return nil, tracegate.Invalidf("/secret", "credit: the sampling secret must be at least 32 bytes")
	}
	return &Levels{rules: rules, secret: secret, levels: map[string]int{}}, nil
}

// Set replaces the level of uscc (0 removes it).
func (l *Levels) Set(uscc string, level int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if level == 0 {
		delete(l.levels, uscc)
		return
	}
	l.levels[uscc] = level
}

// Load replaces the whole table.
func (l *Levels) Load(levels map[string]int) {
	m := make(map[string]int, len(levels))
	for k, v := range levels {
		m[k] = v
	}
	l.mu.Lock()
	l.levels = m
	l.mu.Unlock()
}

// Level returns the level of uscc in the scheme, 0 when not graded. With
// ResolveCodes, a customs code is answered by its enterprise's level.
func (l *Levels) Level(uscc string) int {
	code := strings.TrimSpace(uscc)
	l.mu.RLock()
	lvl, ok := l.levels[code]
	l.mu.RUnlock()
	if ok {
		return lvl
	}
	if u := l.owner(code); u != "" {
		l.mu.RLock()
		defer l.mu.RUnlock()
		return l.levels[u]
	}
	return 0
}

// CreditLevel returns the customs level of code: the scheme's dishonest
// level is customs level 4, level 1 is 1, and the levels between are 2 or
// 3 (a scheme of more than four levels shares level 3). CreditUnknown when
// code is not graded.
func (l *Levels) CreditLevel(code string) customs.CreditLevel {
	return l.customsLevel(l.Level(code))
}

func (l *Levels) customsLevel(lvl int) customs.CreditLevel {
	n := l.rules.Dishonest()
	switch {
	case lvl < 1 || lvl > n:
		return customs.CreditUnknown
	case lvl == n:
		return customs.CreditLevel4
	case lvl == 1:
		return customs.CreditLevel1
	case lvl == 2:
		return customs.CreditLevel2
	}
	return customs.CreditLevel3
}

// CreditSample returns the customs level of code and whether declaration
// is sampled for manual review at the rules' share for its level: the
// first 8 bytes of HMAC-SHA256(secret, "tracegate.credit-sample/v1\n" ||
// code || "\n" || declaration), as a fraction of 2^64, below the share.
func (l *Levels) CreditSample(code, declaration string) (customs.CreditLevel, bool, float64) {
	lvl := l.Level(code)
	cl := l.customsLevel(lvl)
	if cl == customs.CreditUnknown {
		return cl, false, 0
	}
	share := l.rules.Sampling(lvl)
	return cl, Sampled(l.secret, strings.TrimSpace(code), declaration, share), share
}

// Sampled reports whether the declaration of enterprise code falls in the
// sampled share under secret (see CreditSample). A share of 1 samples
// every declaration, 0 none.
func Sampled(secret []byte, code, declaration string, share float64) bool {
	if share >= 1 {
		return true
	}
	if share <= 0 {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("tracegate.credit-sample/v1\n" + code + "\n" + declaration))
	x := binary.BigEndian.Uint64(m.Sum(nil))
	return float64(x) < share*(1<<64)
}
