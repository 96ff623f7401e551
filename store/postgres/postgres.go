// Package postgres is tracegate's production store: PostgreSQL through
// pgx's connection pool. Several stateless tracegate nodes may share one
// database: migrations take an advisory lock, so only one node applies them.
//
// SPEC: https://www.postgresql.org/docs/current/
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

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

// migrationLock is the advisory-lock key under which migrations run.
const migrationLock = 0x74726163 // "trac"

// Store is the PostgreSQL store. It is safe for concurrent use.
type Store struct {
	pool  *pgxpool.Pool
	clock tracegate.Clock
	// ledgerStates is Config.LedgerStates.
	ledgerStates bool
	// onOutbox is called after a commit that wrote to the outbox
	// (OnOutboxCommit).
	onOutbox         atomic.Pointer[func()]
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
	// DSN is a postgres:// URL or key=value connection string.
	DSN string
	// Schema, when set, is created if missing and becomes the search_path of
	// every connection: tests use a fresh schema per run.
	Schema string
	// Clock tells the time of writes; nil means the system clock.
	Clock tracegate.Clock
	// LedgerStates ledgers each write of a hold, a product filing and an
	// EPCIS master-data element (of a ledgered capture) as a ledger.State
	// leaf in the write's transaction, so the audit can check the rows the
	// server answers from. The server and the tools set it; without it
	// those rows are not in the ledger and the audit reports them.
	LedgerStates bool
}

// Open connects, checks that the server answers, and applies the pending
// migrations. It fails with EINVALID for a malformed DSN and EUNAVAILABLE when
// the server cannot be reached.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	pc, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Pointer: "--db", Message: "malformed PostgreSQL DSN: cannot parse the connection string (want postgres://user@host:port/db?sslmode=disable)", Err: err}
	}
	if cfg.Schema != "" {
		pc.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	}
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if cfg.Schema != "" {
		if err := createSchema(connectCtx, pc.ConnConfig.Copy(), cfg.Schema); err != nil {
			return nil, err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, &tracegate.Error{Code: tracegate.EUNAVAILABLE, Message: "postgres: " + err.Error(), Err: err}
	}
	if err := pool.Ping(connectCtx); err != nil {
		pool.Close()
		return nil, &tracegate.Error{Code: tracegate.EUNAVAILABLE,
			Message: fmt.Sprintf("postgres: cannot reach %s:%d: %v", pc.ConnConfig.Host, pc.ConnConfig.Port, errors.Unwrap(err)), Err: err}
	}
	s := &Store{pool: pool, clock: cfg.Clock, ledgerStates: cfg.LedgerStates}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
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

func createSchema(ctx context.Context, cc *pgx.ConnConfig, schema string) error {
	delete(cc.RuntimeParams, "search_path")
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return &tracegate.Error{Code: tracegate.EUNAVAILABLE, Message: "postgres: cannot connect: " + err.Error(), Err: err}
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("postgres: create schema %s: %w", schema, err)
	}
	return nil
}

// DropSchema drops schema and everything in it; tests call it to clean up.
func DropSchema(ctx context.Context, dsn, schema string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return err
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Stat returns the pool statistics, for metrics.
func (s *Store) Stat() *pgxpool.Stat { return s.pool.Stat() }

// Tx is a write transaction; it carries the time of the write.
type Tx struct {
	pgx.Tx
	now time.Time
	// ledgerStates: ledger the states the transaction writes.
	ledgerStates bool
	// outbox: the transaction wrote to the outbox (appendOutbox).
	outbox bool
}

// update runs fn in a transaction and commits when fn returns nil.
func (s *Store) update(ctx context.Context, fn func(tx *Tx) error) error {
	pgTx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	tx := &Tx{Tx: pgTx, now: s.clock.Now().UTC().Truncate(time.Microsecond), ledgerStates: s.ledgerStates}
	if err := fn(tx); err != nil {
		pgTx.Rollback(ctx)
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	s.committed(tx)
	return nil
}

// migrate applies the pending migrations under an advisory lock, each in its
// own transaction.
func (s *Store) migrate(ctx context.Context) error {
	list, err := migrate.List(migrations, "migrations")
	if err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: acquire: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", err)
	}
	var current int
	if err := conn.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("postgres: read schema version: %w", err)
	}
	if current > len(list) {
		return fmt.Errorf("postgres: database schema version %d is newer than this build knows (%d)", current, len(list))
	}
	for _, m := range list[current:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())", m.Version, m.Name)
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
	err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func isUnique(err error) bool     { return pgCode(err) == "23505" }
func isForeignKey(err error) bool { return pgCode(err) == "23503" }
