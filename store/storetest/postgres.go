package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"tracegate"
	"tracegate/store/postgres"
)

// PostgresEnv names the variable that holds the DSN of the PostgreSQL server
// tests run against. When it is empty, PostgreSQL tests are skipped.
const PostgresEnv = "TRACEGATE_TEST_POSTGRES"

// PostgresDSN returns the test DSN, skipping t when none is set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set; PostgreSQL tests skipped", PostgresEnv)
	}
	return dsn
}

// freshSchema names a new schema for t, to be dropped when t ends.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "tgtest_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// OpenPostgres opens a store in a fresh schema of the test server and drops
// the schema when t ends, so concurrent runs never collide.
func OpenPostgres(t testing.TB, clock tracegate.Clock) *postgres.Store {
	t.Helper()
	return openPostgres(t, postgres.Config{Clock: clock})
}

// OpenPostgresLedgered is OpenPostgres with the states ledgered
// (postgres.Config.LedgerStates), as the server opens its store.
func OpenPostgresLedgered(t testing.TB, clock tracegate.Clock) *postgres.Store {
	t.Helper()
	return openPostgres(t, postgres.Config{Clock: clock, LedgerStates: true})
}

func openPostgres(t testing.TB, cfg postgres.Config) *postgres.Store {
	t.Helper()
	dsn := PostgresDSN(t)
	schema := freshSchema(t, dsn)
	cfg.DSN, cfg.Schema = dsn, schema
	s, err := postgres.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("postgres.Open() = %v", err)
	}
	t.Cleanup(func() { s.Close() }) // runs before the schema is dropped
	return s
}

// PostgresURL returns a --db URL of a fresh, migrated schema of the test
// server (its search_path set), dropped when t ends: for tests of commands
// and processes that connect by URL alone.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	schema := freshSchema(t, dsn)
	s, err := postgres.Open(context.Background(), postgres.Config{DSN: dsn, Schema: schema})
	if err != nil {
		t.Fatalf("postgres.Open() = %v", err)
	}
	s.Close()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}
