package postgres_test

import (
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// TestAnalyticsBench is the SQLite benchmark of the same name on
// PostgreSQL (TRACEGATE_BENCH_ANALYTICS and TRACEGATE_TEST_POSTGRES).
func TestAnalyticsBench(t *testing.T) {
	n := storetest.AnalyticsBenchLines(t)
	storetest.AnalyticsBench(t, storetest.OpenPostgres(t, tracegate.SystemClock{}), n)
}
