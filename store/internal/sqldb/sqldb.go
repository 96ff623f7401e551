// Package sqldb is the one SQL interface the logic both stores share is
// written against (store/internal/creditsql, auditsql, statesql): queries
// with "?" markers over a connection, pool or transaction, and the Dialect
// that says what differs between SQLite and PostgreSQL: how a time is
// stored and scanned, which errors mean "no row" and "unique violation",
// and the statements only one of them needs. Each store adapts its driver
// (database/sql, pgx) to Q and keeps only its dialect.
package sqldb

import (
	"context"
	"time"

	"tracegate/bus"
)

// Rows is a result set, read row by row; Close may be called more than once.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is the first row of a result; its Scan fails with an error the
// dialect's NoRows recognises when there is none.
type Row interface {
	Scan(dest ...any) error
}

// Q runs statements written with "?" markers.
type Q interface {
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
}

// Tx is a write transaction: its queries, its time (every row it writes
// carries the same) and its appends to the ledger.
type Tx interface {
	Q
	Now() time.Time
	// LockLedger takes the ledger's sequencer lock for the rest of the
	// transaction, before anything that must be serialised with the
	// ledger's appends is read (a no-op where transactions are serialised).
	LockLedger(ctx context.Context) error
	// AppendLeaves stores leaves as the next ledger entries and adds them
	// to the tree, and returns the index of the first.
	AppendLeaves(ctx context.Context, leaves [][]byte) (int64, error)
	// AppendOutbox writes msgs to the outbox, published after, and only
	// if, the transaction commits (bus.ForOutbox's checks).
	AppendOutbox(ctx context.Context, msgs ...bus.Message) error
}

// Dialect is what differs between the stores.
type Dialect struct {
	// Name prefixes errors: "sqlite" or "postgres".
	Name string
	// Time is the stored form of t, as a statement's argument.
	Time func(t time.Time) any
	// TimeDest is a scan destination that sets *t from a stored time.
	TimeDest func(t *time.Time) any
	// NullTimeDest is a scan destination that sets *t from a stored time,
	// or to nil from NULL.
	NullTimeDest func(t **time.Time) any
	// NoRows reports whether err says a Row had no row.
	NoRows func(err error) bool
	// Unique reports whether err is a unique-constraint violation.
	Unique func(err error) bool
	// ForeignKey reports whether err is a foreign-key violation.
	ForeignKey func(err error) bool
	// ForUpdate is the clause that locks the rows a SELECT reads of the
	// table aliased a ("" where a write transaction holds them already).
	ForUpdate func(alias string) string
	// Unhex is the SQL expression of the bytes the hexadecimal text
	// expression hex spells.
	Unhex func(hex string) string
}
