// Package sqlite is tracegate's embedded default store: one SQLite file in
// WAL mode through modernc.org/sqlite (pure Go, no cgo).
//
// Writes go through a single connection (SQLite allows one writer at a time;
// one connection makes that explicit and avoids SQLITE_BUSY), reads through a
// pool of read-only connections that WAL lets run beside the writer.
//
// SPEC: https://www.sqlite.org/wal.html
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tracegate"
	"tracegate/store/internal/analyticssql"
	"tracegate/store/internal/auditsql"
	"tracegate/store/internal/complaintsql"
	"tracegate/store/internal/creditsql"
	"tracegate/store/internal/enterprisesql"
	"tracegate/store/internal/measuresql"
	"tracegate/store/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store. It is safe for concurrent use.
type Store struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	clock  tracegate.Clock
	// stmts caches prepared read statements by their SQL: SQLite's parser
	// costs more than most of our queries' execution.
	stmts         sync.Map // string -> *sql.Stmt
	variableStmts atomic.Int64
	// wstmts caches statements prepared on the writer connection, which
	// write transactions reuse (Tx.StmtContext) instead of preparing again.
	wstmts sync.Map // string -> *sql.Stmt
	// ledgerStates is Config.LedgerStates.
	ledgerStates bool
	// onOutbox is called after a commit that wrote to the outbox
	// (OnOutboxCommit).
	onOutbox atomic.Pointer[func()]
	// relayMu makes RelayOutbox calls take turns.
	relayMu          sync.Mutex
	*creditStore     // the credit store (credit.go)
	*complaintStore  // the complaint store (complaint.go)
	*enterpriseStore // enterprises and API keys (enterprise.go)
	*measureStore    // the measure store (measure.go)
	*auditStore      // the audit's reads (audit.go)
	*analyticsStore  // barcode analytics (analytics.go)
}

var (
	_ tracegate.EnterpriseStore = (*Store)(nil)
	_ tracegate.ProductStore    = (*Store)(nil)
)

// Config configures Open.
type Config struct {
	// Path is the database file; its directory is created if missing.
	Path string
	// Readers is the size of the read pool; 0 means max(4, GOMAXPROCS).
	Readers int
	// Clock tells the time of writes; nil means the system clock.
	Clock tracegate.Clock
	// LedgerStates ledgers each write of a hold, a product filing and an
	// EPCIS master-data element (of a ledgered capture) as a ledger.State
	// leaf in the write's transaction, so the audit can check the rows the
	// server answers from. The server and the tools set it; without it
	// those rows are not in the ledger and the audit reports them.
	LedgerStates bool
}

// Open opens (creating if needed) the database at cfg.Path and applies the
// pending migrations. It fails when the directory cannot be created, the
// file is not a SQLite database, or a migration fails.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" {
		return nil, tracegate.Invalidf("--db", "sqlite: empty database path")
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	if cfg.Readers <= 0 {
		cfg.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	if dir := filepath.Dir(cfg.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
		}
	}
	s := &Store{path: cfg.Path, clock: cfg.Clock, ledgerStates: cfg.LedgerStates}
	var err error
	// The writer takes the write lock at BEGIN (immediate), so a transaction
	// never fails half-way on a lock upgrade.
	// Its page cache (32 MiB, against the default 2 MiB) holds the index
	// pages a large capture or a bulk label issuance touches, so they are
	// neither re-read nor spilled to the WAL before the commit.
	if s.writer, err = openDB(cfg.Path, 1, "_txlock=immediate&_pragma=cache_size(-32768)"); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.writer.Close()
		return nil, err
	}
	if s.reader, err = openDB(cfg.Path, cfg.Readers, "_pragma=query_only(1)"); err != nil {
		s.writer.Close()
		return nil, err
	}
	s.creditStore = creditsql.New(dialect, s.db(), s.updateDB, holdFactsSQL)
	s.complaintStore = complaintsql.New(dialect, s.db(), s.updateDB)
	s.measureStore = measuresql.New(dialect, s.db(), s.updateDB)
	s.enterpriseStore = enterprisesql.New(dialect, s.db(), s.updateDB, rolesColumn)
	s.auditStore = auditsql.New(dialect, s.db(), latestStatesSQL)
	s.analyticsStore = analyticssql.New(dialect, s.db(), s.updateDB)
	return s, nil
}

func openDB(path string, conns int, extra string) (*sql.DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(FULL)&_time_format=sqlite&" + extra
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	s.wstmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// readStmt returns the cached prepared statement for q on the read pool.
func (s *Store) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.reader.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: prepare: %w", err)
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// maxVariableStmts bounds how many statements of query-dependent SQL (EPCIS
// queries, whose text varies with their parameters) the cache keeps.
const maxVariableStmts = 512

// readRowsVariable runs a read query whose SQL is built per request through
// the statement cache while it holds fewer than maxVariableStmts of them,
// and unprepared beyond: the common shapes (the scan page's, the
// subscriptions') skip SQLite's parser, and odd ones cannot grow the cache.
func (s *Store) readRowsVariable(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if _, ok := s.stmts.Load(q); ok || s.variableStmts.Load() < maxVariableStmts {
		if _, ok := s.stmts.Load(q); !ok {
			s.variableStmts.Add(1)
		}
		return s.readRows(ctx, q, args...)
	}
	return s.reader.QueryContext(ctx, q, args...)
}

// readRow runs a single-row read query through the statement cache.
func (s *Store) readRow(ctx context.Context, q string, args ...any) rowScanner {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// readRows runs a read query through the statement cache.
func (s *Store) readRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Stats returns the pool statistics of the writer and the readers, for
// metrics.
func (s *Store) Stats() (writer, reader sql.DBStats) {
	return s.writer.Stats(), s.reader.Stats()
}

// Tx is a write transaction; it carries the time of the write.
type Tx struct {
	*sql.Tx
	now time.Time
	// ledgerStates: ledger the states the transaction writes.
	ledgerStates bool
	// outbox: the transaction wrote to the outbox (appendOutbox).
	outbox bool
}

// update runs fn in a write transaction and commits when fn returns nil.
func (s *Store) update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, now: s.clock.Now().UTC(), ledgerStates: s.ledgerStates}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	s.committed(tx)
	return nil
}

// migrate applies the pending migrations, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	list, err := migrate.List(migrations, "migrations")
	if err != nil {
		return err
	}
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	var current int
	if err := s.writer.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("sqlite: read schema version: %w", err)
	}
	if current > len(list) {
		return fmt.Errorf("sqlite: database schema version %d is newer than this build knows (%d)", current, len(list))
	}
	for _, m := range list[current:] {
		err := s.update(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, tx.now.UnixMicro())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.reader.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKey reports whether err is a FOREIGN KEY violation.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func micro(t time.Time) int64 { return t.UnixMicro() }

func fromMicro(v int64) time.Time { return time.UnixMicro(v).UTC() }
