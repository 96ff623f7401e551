package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tracegate/credit"
	"tracegate/customs"
	"tracegate/store/postgres"
	"tracegate/store/storetest"
)

// TestCustomsSmallPool: with a pool of two connections, concurrent intakes
// (each holding the ledger's lock in its transaction while it screens, with
// credit levels answering customs codes) all finish: screening reads its
// tables and the codes' holders through the transaction, never the pool,
// where a read would wait for a connection held by an intake that waits for
// the lock (the code lookup's own timeout is an hour here, so a pool read
// would stall the test past its deadline).
func TestCustomsSmallPool(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, postgres.Config{DSN: storetest.PostgresURL(t) + "&pool_max_conns=2"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	levels, err := credit.NewLevels(credit.DefaultRules(), []byte("tracegate-test-credit-secret-32bytes!!"))
	if err != nil {
		t.Fatal(err)
	}
	levels.ResolveCodes(s, time.Hour)
	svc, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour, Credit: levels}, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := storetest.SetUpCustomsDemo(ctx, s, svc); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n*4)
	start := time.Now()
	for i := range n {
		msgs := storetest.CustomsMessages(t, storetest.GenerateFault(i, ""))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, k := range []customs.DocKind{customs.DocOrder, customs.DocPayment, customs.DocWaybill, customs.DocInventory} {
				if _, err := svc.Intake(ctx, customs.Sender{USCC: storetest.USCC(7701)}, msgs[k]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Intake() = %v", err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("%d concurrent declarations over a pool of 2 took %v", n, took)
	}
	decisions := 0
	if err := s.CustomsLedgerRecords(ctx, func(*customs.DecisionRecord) error { decisions++; return nil }); err != nil {
		t.Fatal(err)
	}
	if decisions != n {
		t.Errorf("%d decisions in the ledger, want %d", decisions, n)
	}
}
