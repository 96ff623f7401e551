package credit

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"tracegate"
)

// Store is what credit reads and writes. Its record sources (one per Kind)
// are read from the records the store already keeps; the stores implement
// it and pass store/storetest's Credit suite.
type Store interface {
	// CreditRecord returns the record of the enterprise uscc: its facts
	// from every source, recognitions, appeals, stored level and history.
	// It fails with ENOTFOUND for an unknown enterprise.
	CreditRecord(ctx context.Context, uscc string, now time.Time) (*Record, error)
	// CreditRecords yields the record of every enterprise, in id order,
	// reading batch enterprises at a time (History is left empty).
	CreditRecords(ctx context.Context, now time.Time, batch int, fn func(*Record) error) error
	// SaveCreditGrade stores the score of uscc and, when ch is not nil, the
	// level change ch — dated by the transaction, with its ledger leaf
	// (ChangeLeaf) — in one transaction. It fails with ECONFLICT when the
	// stored level is no longer ch.Prev (a concurrent recompute).
	SaveCreditGrade(ctx context.Context, uscc string, score float64, ch *Change) error
	// SaveCreditChanges stores the level changes chs (USCC, Level, Prev,
	// Score and Reasons set) in one transaction, all dated by it, their
	// ledger leaves (ChangeLeaf) appended as one group, setting At and
	// LedgerIndex. It fails as a whole: ENOTFOUND for an unknown
	// enterprise, ECONFLICT when a stored level is no longer its Prev.
	SaveCreditChanges(ctx context.Context, chs []*Change) error
	// CreditLevels returns the current level of every graded enterprise.
	CreditLevels(ctx context.Context) (map[string]int, error)
	// CreditChanges returns the level changes since t, newest first.
	CreditChanges(ctx context.Context, since time.Time) ([]Change, error)
	// AddCreditRecognition stores r (ID and nothing else set by it). It
	// fails with ENOTFOUND for an unknown enterprise.
	AddCreditRecognition(ctx context.Context, r *Recognition) error
	// AddCreditAppeal stores an open appeal, dated by the transaction. It
	// fails with ENOTFOUND for an unknown enterprise and ECONFLICT when an
	// appeal against the same entry is open.
	AddCreditAppeal(ctx context.Context, a *Appeal) error
	// ResolveCreditAppeal closes the open appeal id with status and
	// resolution. It fails with ENOTFOUND for an unknown appeal and
	// ECONFLICT when it is not open.
	ResolveCreditAppeal(ctx context.Context, id int64, status AppealStatus, resolution string) (*Appeal, error)
}

// Service grades enterprises and keeps Levels current.
type Service struct {
	store  Store
	rules  *Rules
	levels *Levels
	clock  tracegate.Clock
	log    *slog.Logger
}

// NewService returns the grading service over s with rules (nil: the
// default) and the levels table customs asks (may be nil). A nil clock is
// the system clock; a nil log discards.
func NewService(s Store, rules *Rules, levels *Levels, clock tracegate.Clock, log *slog.Logger) *Service {
	if rules == nil {
		rules = DefaultRules()
	}
	if clock == nil {
		clock = tracegate.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: s, rules: rules, levels: levels, clock: clock, log: log}
}

// Rules returns the rules in force.
func (s *Service) Rules() *Rules { return s.rules }

// Recompute grades uscc from its record now and stores the score and, when
// the level changed, the change with its reasons and ledger leaf; it
// returns the record as it stands after. It fails with EINVALID for a
// malformed USCC and ENOTFOUND for an unknown enterprise.
func (s *Service) Recompute(ctx context.Context, uscc string) (*Record, Grade, error) {
	u, err := tracegate.ValidateUSCC(uscc)
	if err != nil {
		return nil, Grade{}, tracegate.Invalidf("/uscc", "%s", tracegate.ErrorMessage(err))
	}
	now := s.clock.Now()
	rec, err := s.store.CreditRecord(ctx, u, now)
	if err != nil {
		return nil, Grade{}, err
	}
	g := s.rules.Evaluate(rec, now)
	if err := s.save(ctx, rec, g); err != nil {
		return nil, Grade{}, err
	}
	rec, err = s.store.CreditRecord(ctx, u, now)
	return rec, g, err
}

// RecomputeAll grades every enterprise, as the daily job does, and reloads
// Levels. It returns how many enterprises changed level. The changes are
// stored changeBatch at a time, each batch in one transaction with its
// ledger leaves appended together; a batch refused by a concurrent change
// is stored one change at a time, so only the stale change fails.
func (s *Service) RecomputeAll(ctx context.Context) (int, error) {
	now := s.clock.Now()
	changed := 0
	var pending []*Change
	err := s.store.CreditRecords(ctx, now, changeBatch, func(rec *Record) error {
		g := s.rules.Evaluate(rec, now)
		if g.Level == rec.Level {
			return nil
		}
		changed++
		pending = append(pending, &Change{USCC: rec.USCC, Level: g.Level, Prev: rec.Level, Score: g.Score, Reasons: g.Reasons})
		if len(pending) < changeBatch {
			return nil
		}
		err := s.saveAll(ctx, pending)
		pending = pending[:0:0]
		return err
	})
	if err == nil {
		err = s.saveAll(ctx, pending)
	}
	if err != nil {
		return changed, err
	}
	return changed, s.Reload(ctx)
}

// changeBatch is how many enterprises RecomputeAll reads, and how many
// level changes it stores, at a time.
const changeBatch = 1000

// saveAll stores chs in one transaction, or one by one when a concurrent
// change made the batch stale.
func (s *Service) saveAll(ctx context.Context, chs []*Change) error {
	if len(chs) == 0 {
		return nil
	}
	err := s.store.SaveCreditChanges(ctx, chs)
	if tracegate.ErrorCode(err) == tracegate.ECONFLICT {
		for _, ch := range chs {
			if err := s.store.SaveCreditGrade(ctx, ch.USCC, ch.Score, ch); err != nil {
				return err
			}
			s.changed(ctx, ch)
		}
		return nil
	}
	if err != nil {
		return err
	}
	for _, ch := range chs {
		s.changed(ctx, ch)
	}
	return nil
}

// changed logs a stored level change and sets it in Levels.
func (s *Service) changed(ctx context.Context, ch *Change) {
	if s.log.Enabled(ctx, slog.LevelInfo) {
		s.log.InfoContext(ctx, "credit level changed", slog.String("uscc", ch.USCC),
			slog.Int("from", ch.Prev), slog.Int("to", ch.Level), slog.Float64("score", ch.Score))
	}
	if s.levels != nil {
		s.levels.Set(ch.USCC, ch.Level)
	}
}

// Reload loads every stored level into Levels.
func (s *Service) Reload(ctx context.Context) error {
	if s.levels == nil {
		return nil
	}
	m, err := s.store.CreditLevels(ctx)
	if err != nil {
		return err
	}
	s.levels.Load(m)
	return nil
}

func (s *Service) save(ctx context.Context, rec *Record, g Grade) error {
	// Only a level change is written (with its score): the score of an
	// unchanged level is recomputed whenever it is shown, so the daily run
	// over every enterprise only reads.
	if g.Level == rec.Level {
		return nil
	}
	ch := &Change{USCC: rec.USCC, Level: g.Level, Prev: rec.Level, Score: g.Score, Reasons: g.Reasons}
	if err := s.store.SaveCreditGrade(ctx, rec.USCC, g.Score, ch); err != nil {
		return err
	}
	s.changed(ctx, ch)
	return nil
}

// Record returns the record of uscc graded now (without storing). It fails
// as Recompute.
func (s *Service) Record(ctx context.Context, uscc string) (*Record, Grade, error) {
	u, err := tracegate.ValidateUSCC(uscc)
	if err != nil {
		return nil, Grade{}, tracegate.Invalidf("/uscc", "%s", tracegate.ErrorMessage(err))
	}
	now := s.clock.Now()
	rec, err := s.store.CreditRecord(ctx, u, now)
	if err != nil {
		return nil, Grade{}, err
	}
	return rec, s.rules.Evaluate(rec, now), nil
}

// Overview is the regulator's view: the enterprises at a level (or all),
// the distribution by level and the changes of the last 30 days.
type Overview struct {
	Enterprises  []LevelOf   `json:"enterprises"`
	Distribution map[int]int `json:"distribution"`
}

// LevelOf is one enterprise's current level.
type LevelOf struct {
	USCC  string `json:"uscc"`
	Level int    `json:"level"`
}

// Overview returns the overview, the enterprises filtered to level (0:
// all). It fails with EINVALID for a level outside the scheme.
func (s *Service) Overview(ctx context.Context, level int) (*Overview, []Change, error) {
	if level != 0 {
		if err := s.rules.CheckLevel("/query/level", level); err != nil {
			return nil, nil, err
		}
	}
	m, err := s.store.CreditLevels(ctx)
	if err != nil {
		return nil, nil, err
	}
	o := &Overview{Enterprises: []LevelOf{}, Distribution: map[int]int{}}
	for i := 1; i <= s.rules.Dishonest(); i++ {
		o.Distribution[i] = 0
	}
	for u, l := range m {
		o.Distribution[l]++
		if level == 0 || l == level {
			o.Enterprises = append(o.Enterprises, LevelOf{USCC: u, Level: l})
		}
	}
	slices.SortFunc(o.Enterprises, func(a, b LevelOf) int { return strings.Compare(a.USCC, b.USCC) })
	changes, err := s.store.CreditChanges(ctx, s.clock.Now().Add(-30*24*time.Hour))
	if err != nil {
		return nil, nil, err
	}
	return o, changes, nil
}
