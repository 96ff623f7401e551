package console

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/measure"
	"tracegate/risk"
)

// Store is what the console reads and writes.
type Store interface {
	tracegate.UserStore
	tracegate.DashboardStore
	tracegate.EnterpriseStore
}

// Config configures a Console.
type Config struct {
	Store Store
	// Customs answers the review queue; nil leaves it out.
	Customs *customs.Service
	// Labels binds labels; nil leaves the binding screens out.
	Labels *label.Service
	// EventLeaf is the ledger leaf of the EPCIS events a binding by the
	// enterprise uscc records (web.Server's, so the console's bindings are
	// ledgered like the API's); nil records none.
	EventLeaf func(uscc string) epcis.LeafFunc
	// Risk answers the warnings queue; nil leaves it out.
	Risk *risk.Service
	// Measures lists, orders and runs measures; nil leaves them out.
	Measures *measure.Service
	Logger   *slog.Logger
	Clock    tracegate.Clock
	// Status is the problem table's status, code and title of an error
	// (web.ProblemStatus): the console's error pages follow the API's.
	Status func(err error) (status int, code, title string)
	// IdleTimeout ends a session unused this long (0: 30 minutes);
	// AbsoluteTimeout one signed in this long ago (0: 12 hours).
	IdleTimeout, AbsoluteTimeout time.Duration
	// SignInLimit is how many sign-in attempts one client network may make
	// in SignInWindow (0: 20 in 10 minutes); MaxFailures failed sign-ins
	// in a row lock an account for LockOut (0: 5 and 15 minutes).
	SignInLimit           int
	SignInWindow, LockOut time.Duration
	MaxFailures           int
}

// Console serves the console's pages (web.Console).
type Console struct {
	cfg    Config
	store  Store
	log    *slog.Logger
	clock  tracegate.Clock
	pages  *pages
	limits *signInLimits
	cop    *http.CrossOriginProtection
	dummy  string // a hash verified for unknown logins, so they take as long
	static *staticFiles
	items  *items // set when mounted (UseItems)
}

// New builds a console. It fails when its templates do not parse or the
// system's randomness fails.
func New(cfg Config) (*Console, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	if cfg.Status == nil {
		cfg.Status = func(err error) (int, string, string) {
			return http.StatusInternalServerError, tracegate.ErrorCode(err), ""
		}
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = 12 * time.Hour
	}
	if cfg.SignInLimit <= 0 {
		cfg.SignInLimit = 20
	}
	if cfg.SignInWindow <= 0 {
		cfg.SignInWindow = 10 * time.Minute
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = 5
	}
	if cfg.LockOut <= 0 {
		cfg.LockOut = 15 * time.Minute
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	dummy, err := HashPassword("not the password of anyone")
	if err != nil {
		return nil, err
	}
	st, err := loadStatic()
	if err != nil {
		return nil, err
	}
	return &Console{cfg: cfg, store: cfg.Store, log: cfg.Logger, clock: cfg.Clock, pages: p,
		limits: newSignInLimits(cfg.SignInLimit, cfg.SignInWindow), cop: http.NewCrossOriginProtection(),
		dummy: dummy, static: st}, nil
}

// audit records a console action in the trail; a failure is logged, the
// action stands.
func (c *Console) audit(ctx context.Context, u *tracegate.User, page, action, object string) {
	if u == nil {
		return
	}
	e := &tracegate.ConsoleEvent{UserID: u.ID, Login: u.Login, EnterpriseID: u.EnterpriseID, Page: page, Action: action, Object: object}
	if err := c.store.AddConsoleEvent(ctx, e); err != nil {
		c.log.ErrorContext(ctx, "console audit", slog.String("action", action), slog.Any("err", err))
	}
}

// Sweep deletes the stale sessions every interval until ctx is done.
func (c *Console) Sweep(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := c.clock.Now()
		if n, err := c.store.DeleteStaleSessions(ctx, now.Add(-c.cfg.IdleTimeout), now.Add(-c.cfg.AbsoluteTimeout)); err != nil {
			c.log.WarnContext(ctx, "console: sweep sessions", slog.Any("err", err))
		} else if n > 0 {
			c.log.InfoContext(ctx, "console: stale sessions ended", slog.Int64("n", n))
		}
	}
}
