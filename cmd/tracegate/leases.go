package main

import (
	"log/slog"

	"tracegate/lease"
)

// The singleton jobs: each runs on the one node holding its lease.
const (
	leaseCheckpoint   = "checkpoint"    // checkpoint publishing
	leaseCustomsSweep = "customs-sweep" // the customs timeout sweep
	leaseCreditDaily  = "credit-daily"  // credit recompute and blacklist edition
	leaseAnalytics    = "analytics"     // the scheduled analytics runs
)

// newLeases returns this process's lease runner over s: a holder name of
// its own, leases of 5 s renewed every second, taken over by another node
// within about 6 s of this one's death.
func newLeases(log *slog.Logger, s lease.Store) *lease.Runner {
	return &lease.Runner{Store: s, Holder: lease.NewHolder(), Log: log}
}
