package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
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

// OpenPostgres opens a store in a fresh schema of the test server and drops
// the schema when t ends, so concurrent runs never collide.
func OpenPostgres(t testing.TB, clock tracegate.Clock) *postgres.Store {
	t.Helper()
	dsn := PostgresDSN(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "tgtest_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Config{DSN: dsn, Schema: schema, Clock: clock})
	if err != nil {
		t.Fatalf("postgres.Open() = %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := postgres.DropSchema(context.Background(), dsn, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return s
}
