package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tracegate/bus"
	"tracegate/store/internal/sqldb"
)

// The SQLite side of store/internal/sqldb: database/sql behind sqldb.Q,
// times as Unix microseconds.

// dialect is SQLite's sqldb.Dialect.
var dialect = sqldb.Dialect{
	Name:         "sqlite",
	Time:         func(t time.Time) any { return micro(t) },
	TimeDest:     func(t *time.Time) any { return microDest{t} },
	NullTimeDest: func(t **time.Time) any { return nullMicroDest{t} },
	NoRows:       func(err error) bool { return errors.Is(err, sql.ErrNoRows) },
	Unique:       isUnique,
	ForeignKey:   isForeignKey,
	ForUpdate:    func(string) string { return "" }, // the one writer holds the database
	Unhex:        func(hex string) string { return "unhex(" + hex + ")" },
}

// microDest scans a Unix-microsecond column into a UTC time.
type microDest struct{ t *time.Time }

func (d microDest) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("sqlite: a time column holds %T, not an integer", src)
	}
	*d.t = fromMicro(v)
	return nil
}

// nullMicroDest scans a nullable Unix-microsecond column.
type nullMicroDest struct{ t **time.Time }

func (d nullMicroDest) Scan(src any) error {
	if src == nil {
		*d.t = nil
		return nil
	}
	var t time.Time
	if err := (microDest{&t}).Scan(src); err != nil {
		return err
	}
	*d.t = &t
	return nil
}

// sqlConn is what sqlQ runs statements on: a pool or a transaction.
type sqlConn interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// sqlQ is a pool or transaction as a sqldb.Q.
type sqlQ struct{ c sqlConn }

func (q sqlQ) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	rows, err := q.c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q sqlQ) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	return q.c.QueryRowContext(ctx, query, args...)
}

func (q sqlQ) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.c.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// db is the store's read pool as a sqldb.Q.
func (s *Store) db() sqldb.Q { return sqlQ{s.reader} }

// dbTx is a write transaction as a sqldb.Tx.
type dbTx struct {
	sqlQ
	tx *Tx
}

// db is tx as a sqldb.Tx.
func (tx *Tx) db() sqldb.Tx { return dbTx{sqlQ{tx.Tx}, tx} }

func (t dbTx) Now() time.Time { return t.tx.now }

// LockLedger does nothing: SQLite's one writer serialises every write.
func (t dbTx) LockLedger(context.Context) error { return nil }

func (t dbTx) AppendLeaves(ctx context.Context, leaves [][]byte) (int64, error) {
	size, err := ledgerSize(ctx, t.tx)
	if err != nil {
		return 0, err
	}
	for i, leaf := range leaves {
		if _, err := t.tx.ExecContext(ctx, "INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)", size+int64(i), leaf); err != nil {
			return 0, fmt.Errorf("sqlite: insert ledger entry: %w", err)
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
