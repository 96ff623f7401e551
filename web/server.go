package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tracegate"
	"tracegate/bus"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
	"tracegate/measure"
	"tracegate/risk"
	"tracegate/webhook"
)

// Store is what the HTTP layer needs of a store.
type Store interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	tracegate.PartyStore
	epcis.Store
	epcis.ContainmentStore
	epcis.SubscriptionStore
	epcis.CompanyPrefixStore
	ledger.Store
	customs.Store
	label.Store
	label.ComplaintStore
	webhook.NotificationStore
	Ping(ctx context.Context) error
}

// holdStore keeps the holds on goods.
type holdStore interface {
	CreateHold(ctx context.Context, h *label.Hold) error
	Holds(ctx context.Context, gtin string) ([]label.Hold, error)
}

// Config configures a Server.
type Config struct {
	// Store is the storage every domain's field is built over.
	Store  Store
	Logger *slog.Logger
	// Registry receives the server's metrics; nil means a new registry.
	Registry *prometheus.Registry
	// DBStats reports the database pools for /metrics; nil for none.
	DBStats func() []PoolStats
	// MaxBodyBytes limits JSON request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// KeyCacheTTL is how long an authenticated key is trusted before it is
	// looked up again; 0 means 5 s, negative disables the cache. A key
	// revoked on another node stops working within this time.
	KeyCacheTTL time.Duration
	Clock       tracegate.Clock
	// TempDir holds spooled uploads; "" means the system's.
	TempDir string
	// Ledger, when set, commits every captured record to the log and serves
	// the log; nil runs without it (benchmarks of the bare repository).
	Ledger *Ledger
	// Customs is the customs intake; nil answers the customs routes with
	// 503 (not configured).
	Customs *customs.Service
	// Labels issues and binds labels and resolves scans; nil answers the
	// label routes with 503 (not configured).
	Labels *label.Service
	// PublicBaseURL is the public origin (https://host) written into
	// absolute links such as linkset anchors; "" means the label service's
	// BaseURL (TRACEGATE_LABEL_BASE_URL), or http://localhost without one.
	// The client's Host header is never used: it can be forged.
	PublicBaseURL string
	// UnknownCodeLimit is how many unknown label codes one client network
	// may look up per minute before 429; 0 means 30.
	UnknownCodeLimit int
	// ScanNetworkLimit is how many code lookups (known or not) one client
	// network may make per minute before every lookup from it answers 429;
	// 0 means 600.
	ScanNetworkLimit int
	// ScanCodeLimit is how many scans of one code are recorded per minute,
	// and ScanCodeNetworkLimit how many per code and network every ten
	// minutes (later ones are answered, not recorded); 0 means 10 and 3.
	ScanCodeLimit, ScanCodeNetworkLimit int
	// WebhookAllow lists the otherwise forbidden prefixes (loopback,
	// private, link-local, metadata…) that subscriptions may name as their
	// destination: the operator's --webhook-allow. The deliverer must be
	// given the same list.
	WebhookAllow []netip.Prefix
	// ComplaintNetworkLimit and ComplaintCodeLimit are how many complaints
	// one client network may send, and one code get, an hour; 0 means
	// DefaultComplaintNetworkLimit and DefaultComplaintCodeLimit, negative
	// no limit. ComplaintPhotoQuota is the bytes all stored complaint
	// photos may take (507 past it); 0 means DefaultComplaintPhotoQuota,
	// negative none.
	ComplaintNetworkLimit, ComplaintCodeLimit int
	ComplaintPhotoQuota                       int64
	// ReadHeaderTimeout is how long Serve waits for a request header; 0
	// means DefaultReadHeaderTimeout.
	ReadHeaderTimeout time.Duration
	// BodyIdleTimeout is the longest wait for more of a request body, and
	// BodyMinRate (bytes/s) the slowest average allowed after that grace;
	// 0 means DefaultBodyIdleTimeout and DefaultBodyMinRate, a negative
	// rate no minimum (slow_client.go).
	BodyIdleTimeout time.Duration
	BodyMinRate     int64
	// MaxConnsPerClient caps the connections Serve keeps open for one
	// client address; 0 means DefaultMaxConnsPerClient, negative no cap.
	MaxConnsPerClient int
	// Credit grades enterprises and serves their records and the
	// blacklist; nil answers the credit routes with 503 (not configured).
	Credit *credit.Service
	// Bus is the event bus /readyz reports on; nil reports none.
	Bus bus.Bus
	// Measures orders measures and runs their workflow; nil answers the
	// measure routes with 503 (not configured).
	Measures *measure.Service
	// Analytics is barcode analytics; nil answers its routes with 503.
	Analytics *risk.Analytics
	// Risk is risk monitoring (signals, assessments, warnings, stock
	// search); nil answers the risk routes with 503 (not configured).
	Risk *risk.Service
	// Console is the browser console mounted under /console; nil for none.
	Console Console
}

// Server is tracegate's HTTP server. Handlers reach each domain through
// its own field: a service where the domain has use-cases (events,
// complaints, customs, labels…), the domain's store interface where it only
// keeps records (enterprises, parties, products, notifications).
type Server struct {
	// events is the EPCIS repository: capture, queries and containment
	// within the caller's view, named queries, subscriptions, prefixes.
	events *epcis.Repository
	// complaints files and answers consumer complaints.
	complaints *label.Complaints
	// notifications keeps the enterprises' notification webhooks.
	notifications webhook.NotificationStore
	// holds keeps the holds on goods (recalls, stop-sales, notices).
	holds holdStore
	// entries is the ledger's storage the log endpoints read.
	entries ledger.Store
	// ping checks the database for /readyz.
	ping func(ctx context.Context) error
	// scope answers recall scopes; nil when the store has none.
	scope measure.ScopeStore
	// enterprises registers enterprises and their API keys.
	enterprises tracegate.EnterpriseStore
	// parties keeps enterprises' customs codes and who handles whose goods.
	parties tracegate.PartyStore
	// products keeps the product filings and their photos.
	products  tracegate.ProductStore
	log       *slog.Logger
	clock     tracegate.Clock
	maxBody   int64
	mux       *http.ServeMux
	routes    []*route
	metrics   *metrics
	keys      *keyCache
	tempDir   string
	ledger    *Ledger
	customs   *customs.Service
	labels    *label.Service
	credit    *credit.Service
	risk      *risk.Service
	measures  *measure.Service
	bus       bus.Bus
	analytics *risk.Analytics
	console   Console
	handler   http.Handler
	conns     connLimits
	// complaintLimits holds the complaint limits and quota.
	complaintLimits *complaintGuard
	// webhooks checks subscriptions' destinations.
	webhooks *webhook.Guard
	// publicBase is the origin of absolute links (Config.PublicBaseURL).
	publicBase string

	// scans writes the scans, resolver gathers the scan pages.
	scans       *label.ScanRecorder
	resolver    *label.Resolver
	scanLimits  *scanGuard
	checkpoints checkpointCache
	scanSlots   chan struct{}
}

// New builds a server with every route registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.KeyCacheTTL == 0 {
		cfg.KeyCacheTTL = 5 * time.Second
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		events:        epcis.NewRepository(cfg.Store),
		complaints:    label.NewComplaints(cfg.Store),
		notifications: cfg.Store,
		holds:         cfg.Store,
		entries:       cfg.Store,
		ping:          cfg.Store.Ping,
		enterprises:   cfg.Store,
		parties:       cfg.Store,
		products:      cfg.Store,
		log:           cfg.Logger,
		clock:         cfg.Clock,
		maxBody:       cfg.MaxBodyBytes,
		mux:           http.NewServeMux(),
		keys:          newKeyCache(cfg.KeyCacheTTL),
		tempDir:       cfg.TempDir,
		ledger:        cfg.Ledger,
		customs:       cfg.Customs,
		labels:        cfg.Labels,
		credit:        cfg.Credit,
		measures:      cfg.Measures,
		risk:          cfg.Risk,
		bus:           cfg.Bus,
		analytics:     cfg.Analytics,
		console:       cfg.Console,
	}
	s.publicBase = publicBaseURL(cfg)
	s.conns = newConnLimits(cfg)
	s.complaintLimits = newComplaintGuard(cfg)
	s.scope, _ = cfg.Store.(measure.ScopeStore)
	s.webhooks = &webhook.Guard{Allow: cfg.WebhookAllow}
	s.scans = label.NewScanRecorder(cfg.Store, s.log)
	s.resolver = s.newResolver(cfg)
	s.scanSlots = make(chan struct{}, maxScansInFlight)
	s.scanLimits = newScanGuard(cfg)
	s.metrics = newMetrics(cfg.Registry, cfg.DBStats)
	s.registerRoutes()
	s.handler = s.withRequestID(s.withAccessLog(s.withCompression(s.withRecover(s.mux))))
	return s
}

// ServeHTTP serves r through the middleware stack and the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve serves on ln until ctx is done, then shuts down gracefully, giving
// requests in flight up to 20 s to finish. It returns nil after a clean
// shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.conns.maxPerClient > 0 {
		ln = limitConnsPerClient(ln, s.conns.maxPerClient, func() { s.metrics.refusedConns.Inc() })
	}
	hs := &http.Server{
		Handler:           bodyDeadlines(s, s.conns.bodyIdle, s.conns.bodyMinRate),
		ReadHeaderTimeout: s.conns.readHeader,
		ReadTimeout:       5 * time.Minute, // an upper bound; bodyDeadlines cuts slow bodies much sooner
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", slog.String("addr", ln.Addr().String()))
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	s.scans.Wait() // the scans of the last requests are written
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
