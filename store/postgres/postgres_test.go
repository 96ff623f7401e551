package postgres_test

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/store/postgres"
	"tracegate/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock tracegate.Clock) storetest.Store {
		return storetest.OpenPostgres(t, clock)
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := postgres.Open(ctx, postgres.Config{DSN: "postgres://a b c:::/"}); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Errorf("Open(malformed DSN) = %v, want invalid", err)
	}
	// Port 1 on loopback: nothing listens there.
	if _, err := postgres.Open(ctx, postgres.Config{DSN: "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"}); tracegate.ErrorCode(err) != tracegate.EUNAVAILABLE {
		t.Errorf("Open(unreachable) = %v, want unavailable", err)
	}
}

func TestLedgeredStates(t *testing.T) {
	storetest.RunLedgeredStates(t, func(t *testing.T, clock tracegate.Clock) storetest.Store {
		return storetest.OpenPostgresLedgered(t, clock)
	})
}
