package credit

import (
	"context"
	"time"

	"tracegate"
)

// CodeStore is what Levels asks to map a customs code to the enterprise
// holding it (tracegate.PartyStore and EnterpriseStore; the stores
// implement both).
type CodeStore interface {
	CodeOwners(ctx context.Context, codes []string) (map[string]int64, error)
	FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error)
}

// codeLen is the length of a customs enterprise code (ebcCode and the
// like); a USCC has 18 characters.
const codeLen = 10

// ResolveCodes makes l answer a customs enterprise code (10 characters, as
// declarations name their enterprises) by the level of the enterprise that
// holds it confirmed, asking s at each question, each lookup bounded by
// timeout. A code unknown, only claimed or not answered in time stays
// ungraded (customs.CreditUnknown).
func (l *Levels) ResolveCodes(s CodeStore, timeout time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.codes, l.timeout = s, timeout
}

// owner returns the USCC of the enterprise holding code confirmed, "" when
// none does or the store does not answer.
func (l *Levels) owner(code string) string {
	l.mu.RLock()
	s, timeout := l.codes, l.timeout
	l.mu.RUnlock()
	if s == nil || len(code) != codeLen {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	owners, err := s.CodeOwners(ctx, []string{code})
	if err != nil || owners[code] == 0 {
		return ""
	}
	e, err := s.FindEnterprise(ctx, owners[code])
	if err != nil {
		return ""
	}
	return e.USCC
}
