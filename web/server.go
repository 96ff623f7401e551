package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// Store is what the HTTP layer needs of a store.
type Store interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	epcis.Store
	epcis.ContainmentStore
	epcis.SubscriptionStore
	ledger.Store
	customs.Store
	label.Store
	Ping(ctx context.Context) error
}

// Config configures a Server.
type Config struct {
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
	// UnknownCodeLimit is how many unknown label codes one client network
	// may look up per minute before 429; 0 means 30.
	UnknownCodeLimit int
	// Credit grades enterprises and serves their records and the
	// blacklist; nil answers the credit routes with 503 (not configured).
	Credit *credit.Service
}

// Server is tracegate's HTTP server.
type Server struct {
	store   Store
	log     *slog.Logger
	clock   tracegate.Clock
	maxBody int64
	mux     *http.ServeMux
	routes  []*route
	metrics *metrics
	keys    *keyCache
	tempDir string
	ledger  *Ledger
	customs *customs.Service
	labels  *label.Service
	credit  *credit.Service
	handler http.Handler

	scans        *scanRecorder
	unknownCodes *unknownLimiter
	checkpoints  checkpointCache
	placeNames   placeCache
	scanCache    scanCaches
	scanSlots    chan struct{}
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
		store:   cfg.Store,
		log:     cfg.Logger,
		clock:   cfg.Clock,
		maxBody: cfg.MaxBodyBytes,
		mux:     http.NewServeMux(),
		keys:    newKeyCache(cfg.KeyCacheTTL),
		tempDir: cfg.TempDir,
		ledger:  cfg.Ledger,
		customs: cfg.Customs,
		labels:  cfg.Labels,
		credit:  cfg.Credit,
	}
	s.scans = &scanRecorder{store: cfg.Store, log: s.log}
	s.scanSlots = make(chan struct{}, maxScansInFlight)
	s.scanCache = newScanCaches()
	s.unknownCodes = &unknownLimiter{limit: cfg.UnknownCodeLimit}
	if s.unknownCodes.limit == 0 {
		s.unknownCodes.limit = 30
	}
	s.metrics = newMetrics(cfg.Registry, cfg.DBStats)
	s.registerRoutes()
	s.handler = s.withRequestID(s.withAccessLog(s.withRecover(s.mux)))
	return s
}

// ServeHTTP serves r through the middleware stack and the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve serves on ln until ctx is done, then shuts down gracefully, giving
// requests in flight up to 20 s to finish. It returns nil after a clean
// shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large EPCIS and customs uploads
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
	s.scans.wait() // the scans of the last requests are written
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
