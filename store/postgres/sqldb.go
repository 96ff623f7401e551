package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tracegate/bus"
	"tracegate/store/internal/eventsql"
	"tracegate/store/internal/sqldb"
)

// The PostgreSQL side of store/internal/sqldb: pgx behind sqldb.Q, "?"
// markers numbered, times as timestamptz.

// dialect is PostgreSQL's sqldb.Dialect.
var dialect = sqldb.Dialect{
	Name:         "postgres",
	Time:         func(t time.Time) any { return t },
	TimeDest:     func(t *time.Time) any { return t },
	NullTimeDest: func(t **time.Time) any { return t },
	NoRows:       func(err error) bool { return errors.Is(err, pgx.ErrNoRows) },
	Unique:       isUnique,
	ForeignKey:   isForeignKey,
	ForUpdate:    func(alias string) string { return " FOR UPDATE OF " + alias },
	// decode refuses text that is not hexadecimal; NULL matches nothing.
	Unhex: func(hex string) string {
		return "CASE WHEN " + hex + " ~ '^([0-9a-fA-F]{2})*$' THEN decode(" + hex + ", 'hex') END"
	},
}

// pgConn is what pgQ runs statements on: the pool or a transaction.
type pgConn interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// pgQ is the pool or a transaction as a sqldb.Q.
type pgQ struct{ c pgConn }

func (q pgQ) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	return q.c.Query(ctx, eventsql.Rebind(pgDialect, query), args...)
}

func (q pgQ) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	return q.c.QueryRow(ctx, eventsql.Rebind(pgDialect, query), args...)
}

func (q pgQ) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.c.Exec(ctx, eventsql.Rebind(pgDialect, query), args...)
	return tag.RowsAffected(), err
}

// db is the store's pool as a sqldb.Q.
func (s *Store) db() sqldb.Q { return pgQ{s.pool} }

// dbTx is a transaction as a sqldb.Tx.
type dbTx struct {
	pgQ
	tx *Tx
}

// db is tx as a sqldb.Tx.
func (tx *Tx) db() sqldb.Tx { return dbTx{pgQ{tx.Tx}, tx} }

func (t dbTx) Now() time.Time { return t.tx.now }

// LockLedger takes the ledger's advisory lock until the transaction ends.
func (t dbTx) LockLedger(ctx context.Context) error {
	if _, err := t.tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", ledgerLock); err != nil {
		return fmt.Errorf("postgres: ledger lock: %w", err)
	}
	return nil
}

func (t dbTx) AppendLeaves(ctx context.Context, leaves [][]byte) (int64, error) {
	size, err := ledgerSize(ctx, t.tx)
	if err != nil {
		return 0, err
	}
	for i, leaf := range leaves {
		if _, err := t.tx.Exec(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES ($1, $2)", size+int64(i), leaf); err != nil {
			return 0, fmt.Errorf("postgres: insert ledger entry: %w", err)
		}
	}
	return size, appendTree(ctx, t.tx, size, leaves)
}

func (t dbTx) AppendOutbox(ctx context.Context, msgs ...bus.Message) error {
	return appendOutbox(ctx, t.tx, msgs...)
}

// updateDB runs fn in a write transaction (update) as a sqldb.Tx.
func (s *Store) updateDB(ctx context.Context, fn func(tx sqldb.Tx) error) error {
	return s.update(ctx, func(tx *Tx) error { return fn(tx.db()) })
}
