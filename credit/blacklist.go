package credit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/ledger"
)

// Edition is one numbered edition of the public blacklist: the enterprises
// at the dishonest level, and those removed from it in the last year. It
// holds no personal data: enterprise names and codes, dates and the kinds
// of entry that put them there. Its JSON (Body) is stored and served as
// is, and its SHA-256 is the hash of its credit-blacklist ledger leaf.
type Edition struct {
	Edition     int64            `json:"edition"`
	PublishedAt time.Time        `json:"publishedAt"`
	Level       int              `json:"level"` // the dishonest level
	Entries     []BlacklistEntry `json:"entries"`
	Removals    []Removal        `json:"removals"`
	// LedgerIndex is the index of its leaf; Body its stored JSON.
	LedgerIndex int64  `json:"-"`
	Publisher   string `json:"-"`
	Body        []byte `json:"-"`
}

// BlacklistEntry is one enterprise on the blacklist.
type BlacklistEntry struct {
	USCC    string    `json:"uscc"`
	Name    string    `json:"name"`
	Level   int       `json:"level"`
	Since   time.Time `json:"since"`
	Reasons []string  `json:"reasons"` // kinds of entry, and "recognised:<agency>" for a recognised level
}

// Removal is an enterprise taken off the blacklist, and when.
type Removal struct {
	USCC      string    `json:"uscc"`
	Name      string    `json:"name"`
	RemovedAt time.Time `json:"removedAt"`
}

// Listed is what the store knows of an enterprise at a level or removed
// from it.
type Listed struct {
	USCC  string
	Name  string
	Since time.Time // since when at the level, or when it left it
}

// EditionStore keeps the blacklist's editions; the stores implement it.
type EditionStore interface {
	// CreditAtLevel returns the enterprises at level, by USCC.
	CreditAtLevel(ctx context.Context, level int) ([]Listed, error)
	// CreditRemovals returns the enterprises whose level left level since t
	// and are not back at it, with when they left.
	CreditRemovals(ctx context.Context, level int, since time.Time) ([]Listed, error)
	// SaveCreditEdition numbers a new edition, dates it by the
	// transaction, has build encode it and stores it with its ledger leaf
	// (EditionLeaf, naming publisher), in one transaction.
	SaveCreditEdition(ctx context.Context, publisher string, build func(number int64, at time.Time) ([]byte, error)) (*Edition, error)
	// CreditEdition returns edition number (0: the latest), or ENOTFOUND.
	CreditEdition(ctx context.Context, number int64) (*Edition, error)
	// CreditEditions yields every edition in ledger order, for the audit.
	CreditEditions(ctx context.Context, fn func(*Edition) error) error
}

// EditionContentHash is the ni:///sha-256 of an edition's JSON.
func EditionContentHash(body []byte) string {
	sum := sha256.Sum256(body)
	return "ni:///sha-256;" + hex.EncodeToString(sum[:])
}

// EditionLeaf returns the ledger leaf of an edition: kind credit-blacklist,
// the hash of its JSON, its time and the publisher's USCC. It fails as
// ledger.Leaf.Encode.
func EditionLeaf(e *Edition) ([]byte, error) {
	return (&ledger.Leaf{Kind: ledger.KindCreditBlacklist, ContentHash: EditionContentHash(e.Body), Time: e.PublishedAt, USCC: e.Publisher}).Encode()
}

// Publish publishes a new edition of the blacklist under publisher (the
// USCC of the regulator publishing). It fails with EINVALID for a
// malformed publisher and EUNAVAILABLE when the store keeps no editions.
func (s *Service) Publish(ctx context.Context, publisher string) (*Edition, error) {
	es, ok := s.store.(EditionStore)
	if !ok {
		return nil, tracegate.Errorf(tracegate.EUNAVAILABLE, "this store keeps no blacklist editions")
	}
	pub, err := tracegate.ValidateUSCC(publisher)
	if err != nil {
		return nil, tracegate.Invalidf("/publisher", "%s", tracegate.ErrorMessage(err))
	}
	lvl := s.rules.Dishonest()
	listed, err := es.CreditAtLevel(ctx, lvl)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	entries := make([]BlacklistEntry, 0, len(listed))
	for _, l := range listed {
		rec, err := s.store.CreditRecord(ctx, l.USCC, now)
		if err != nil {
			return nil, err
		}
		g := s.rules.Evaluate(rec, now)
		reasons := []string{}
		for _, k := range g.Kinds {
			reasons = append(reasons, string(k))
		}
		for _, r := range g.Reasons {
			if strings.HasPrefix(r, "raised from") {
				reasons = append(reasons, "recognised")
			}
		}
		entries = append(entries, BlacklistEntry{USCC: l.USCC, Name: l.Name, Level: lvl, Since: l.Since.UTC(), Reasons: reasons})
	}
	removed, err := es.CreditRemovals(ctx, lvl, now.AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	removals := make([]Removal, 0, len(removed))
	for _, l := range removed {
		removals = append(removals, Removal{USCC: l.USCC, Name: l.Name, RemovedAt: l.Since.UTC()})
	}
	slices.SortFunc(entries, func(a, b BlacklistEntry) int { return strings.Compare(a.USCC, b.USCC) })
	slices.SortFunc(removals, func(a, b Removal) int { return b.RemovedAt.Compare(a.RemovedAt) })
	e, err := es.SaveCreditEdition(ctx, pub, func(n int64, at time.Time) ([]byte, error) {
		ed := Edition{Edition: n, PublishedAt: at.UTC(), Level: lvl, Entries: entries, Removals: removals}
		b, err := json.Marshal(ed)
		if err != nil {
			return nil, fmt.Errorf("credit: edition: %w", err)
		}
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "credit blacklist published", "edition", e.Edition, "entries", len(entries), "removals", len(removals))
	return e, nil
}

// Edition returns edition number (0: the latest) decoded, with its stored
// JSON in Body. It fails with ENOTFOUND when there is none.
func (s *Service) Edition(ctx context.Context, number int64) (*Edition, error) {
	es, ok := s.store.(EditionStore)
	if !ok {
		return nil, tracegate.Errorf(tracegate.EUNAVAILABLE, "this store keeps no blacklist editions")
	}
	e, err := es.CreditEdition(ctx, number)
	if err != nil {
		return nil, err
	}
	var d Edition
	if err := json.Unmarshal(e.Body, &d); err != nil {
		return nil, fmt.Errorf("credit: stored edition %d: %w", e.Edition, err)
	}
	d.LedgerIndex, d.Publisher, d.Body = e.LedgerIndex, e.Publisher, e.Body
	return &d, nil
}
