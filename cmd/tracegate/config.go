package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"strings"
	"tracegate/risk"

	"tracegate"
	"tracegate/bus"
	"tracegate/epcis"
	"tracegate/lease"
	"tracegate/measure"
	"tracegate/store/postgres"
	"tracegate/store/sqlite"
	"tracegate/web"
)

// Defaults of the common flags; each flag is also read from TRACEGATE_<NAME>.
const (
	defaultAddr    = "127.0.0.1:8080"
	defaultDataDir = "./tracegate-data"
	defaultDB      = "sqlite:./tracegate-data/tracegate.db"
)

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	db      string
	dataDir string
}

func (f *storeFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.db, "db", envOr(e, "TRACEGATE_DB", defaultDB),
		"database: sqlite:PATH, or a postgres:// URL (env TRACEGATE_DB)")
	fs.StringVar(&f.dataDir, "data-dir", envOr(e, "TRACEGATE_DATA_DIR", defaultDataDir),
		"directory for keys and other local state (env TRACEGATE_DATA_DIR)")
}

func envOr(e *env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// store is what the commands use of a store backend.
type store interface {
	web.Store
	bus.Outbox
	risk.Store
	measure.Store
	lease.Store
	tracegate.UserStore // the console's users
	Close() error
	SchemaVersion(ctx context.Context) (int, error)
	LedgerRecords(ctx context.Context, fn func(r *epcis.Record) error) error
}

// openStore opens the database named by dsn and applies migrations. It
// fails with EINVALID for an unknown scheme or malformed DSN and
// EUNAVAILABLE when PostgreSQL cannot be reached.
func openStore(ctx context.Context, dsn string) (store, func() []web.PoolStats, error) {
	switch {
	case isPostgres(dsn):
		s, err := postgres.Open(ctx, postgres.Config{DSN: dsn, LedgerStates: true})
		if err != nil {
			return nil, nil, err
		}
		return s, func() []web.PoolStats {
			st := s.Stat()
			return []web.PoolStats{{Pool: "postgres", Max: int(st.MaxConns()), Open: int(st.TotalConns()),
				InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()), WaitCount: st.EmptyAcquireCount(), WaitDuration: st.AcquireDuration()}}
		}, nil
	case strings.HasPrefix(dsn, "sqlite:"), strings.HasPrefix(dsn, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
		path = strings.TrimPrefix(path, "//")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		s, err := sqlite.Open(ctx, sqlite.Config{Path: path, LedgerStates: true})
		if err != nil {
			return nil, nil, err
		}
		return sqliteStats(s)
	}
	return nil, nil, tracegate.Invalidf("--db", "unknown database %q: want sqlite:PATH or postgres://...", dsn)
}

// logFlags choose the log format and level.
type logFlags struct {
	format string
	level  string
}

func (f *logFlags) register(fs *flag.FlagSet, e *env, defFormat string) {
	fs.StringVar(&f.format, "log-format", envOr(e, "TRACEGATE_LOG_FORMAT", defFormat), "log format: json or text (env TRACEGATE_LOG_FORMAT)")
	fs.StringVar(&f.level, "log-level", envOr(e, "TRACEGATE_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env TRACEGATE_LOG_LEVEL)")
}

func (f *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.level)); err != nil {
		return nil, tracegate.Invalidf("--log-level", "unknown log level %q", f.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.format {
	case "json":
		return slog.New(web.LogHandler{Handler: slog.NewJSONHandler(w, opts)}), nil
	case "text":
		return slog.New(web.LogHandler{Handler: slog.NewTextHandler(w, opts)}), nil
	}
	return nil, tracegate.Invalidf("--log-format", "unknown log format %q (want json or text)", f.format)
}

// sqliteStats pairs a SQLite store with its pool statistics.
func sqliteStats(s *sqlite.Store) (store, func() []web.PoolStats, error) {
	return s, func() []web.PoolStats {
		w, r := s.Stats()
		return []web.PoolStats{
			{Pool: "sqlite-writer", Max: w.MaxOpenConnections, Open: w.OpenConnections, InUse: w.InUse, Idle: w.Idle, WaitCount: w.WaitCount, WaitDuration: w.WaitDuration},
			{Pool: "sqlite-reader", Max: r.MaxOpenConnections, Open: r.OpenConnections, InUse: r.InUse, Idle: r.Idle, WaitCount: r.WaitCount, WaitDuration: r.WaitDuration},
		}
	}, nil
}

// isPostgres reports whether dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
