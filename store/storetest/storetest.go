// Package storetest is the conformance suite that every tracegate store
// backend passes. Each backend's tests call Run with a function that opens a
// fresh, empty store; SQLite always runs it, PostgreSQL whenever
// TRACEGATE_TEST_POSTGRES holds a DSN.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"tracegate"
)

// Store is what the suite exercises.
type Store interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	Ping(ctx context.Context) error
	SchemaVersion(ctx context.Context) (int, error)
}

// Opener opens a fresh, empty, migrated store whose clock is clock; the
// opener arranges its cleanup with t.Cleanup.
type Opener func(t *testing.T, clock tracegate.Clock) Store

// FixedClock is a Clock that returns T until moved.
type FixedClock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.T = c.T.Add(d)
	c.mu.Unlock()
}

// NewClock returns a FixedClock at a round time in 2026.
func NewClock() *FixedClock {
	return &FixedClock{T: time.Date(2026, 11, 23, 8, 0, 0, 123456000, time.UTC)}
}

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("Ping", func(t *testing.T) { testPing(t, open) })
	t.Run("Enterprises", func(t *testing.T) { testEnterprises(t, open) })
	t.Run("EnterpriseErrors", func(t *testing.T) { testEnterpriseErrors(t, open) })
	t.Run("APIKeys", func(t *testing.T) { testAPIKeys(t, open) })
	t.Run("Products", func(t *testing.T) { testProducts(t, open) })
	t.Run("FilingReview", func(t *testing.T) { testFilingReview(t, open) })
	t.Run("ProductPhoto", func(t *testing.T) { testProductPhoto(t, open) })
	t.Run("EPCISExamples", func(t *testing.T) { testEPCISExamples(t, open) })
	t.Run("EPCISQuery", func(t *testing.T) { testEPCISQuery(t, open) })
	t.Run("EPCISCaptureBehaviour", func(t *testing.T) { testEPCISCaptureBehaviour(t, open) })
	t.Run("MasterData", func(t *testing.T) { testMasterData(t, open) })
	t.Run("EPCISTrust", func(t *testing.T) { testEPCISTrust(t, open) })
	t.Run("Containment", func(t *testing.T) { testContainment(t, open) })
	t.Run("ConcurrentWrites", func(t *testing.T) { testConcurrentWrites(t, open) })
	t.Run("Customs", func(t *testing.T) { testCustoms(t, open) })
	t.Run("Labels", func(t *testing.T) { testLabels(t, open) })
	t.Run("Parties", func(t *testing.T) { testParties(t, open) })
	t.Run("LabelParties", func(t *testing.T) { testLabelParties(t, open) })
	t.Run("Scope", func(t *testing.T) { testScope(t, open) })
	t.Run("Complaints", func(t *testing.T) { testComplaints(t, open) })
	t.Run("Credit", func(t *testing.T) { testCredit(t, open) })
	t.Run("Risk", func(t *testing.T) { testRisk(t, open) })
	t.Run("RiskLab", func(t *testing.T) { testRiskLab(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("Notifications", func(t *testing.T) { testNotifications(t, open) })
	t.Run("Measures", func(t *testing.T) { testMeasures(t, open) })
	t.Run("Leases", func(t *testing.T) { testLeases(t, open) })
	t.Run("Analytics", func(t *testing.T) { testAnalytics(t, open) })
	t.Run("Console", func(t *testing.T) { testConsole(t, open) })
}

// USCC returns a valid unified social credit code whose body ends in n, for
// test and demo data.
func USCC(n int) string {
	body := fmt.Sprintf("91310000MA%07d", n%10_000_000)
	c, err := tracegate.USCCCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

func testPing(t *testing.T, open Opener) {
	s := open(t, NewClock())
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping() = %v", err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v < 1 {
		t.Fatalf("SchemaVersion() = %d, %v; want >= 1", v, err)
	}
}

func testEnterprises(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock)
	ctx := context.Background()
	a := &tracegate.Enterprise{USCC: USCC(1), Name: "天猫国际", NameEN: "Tmall Global",
		Roles: []tracegate.Role{tracegate.RolePlatform, tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, a); err != nil {
		t.Fatalf("CreateEnterprise() = %v", err)
	}
	if a.ID == 0 || !a.CreatedAt.Equal(clock.T) || a.Status != tracegate.EnterpriseActive {
		t.Fatalf("CreateEnterprise set ID=%d CreatedAt=%v Status=%q; want an ID, %v, active", a.ID, a.CreatedAt, a.Status, clock.T)
	}
	clock.Advance(time.Second)
	b := &tracegate.Enterprise{USCC: USCC(2), Name: "广州南沙保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, b); err != nil {
		t.Fatalf("CreateEnterprise() = %v", err)
	}

	got, err := s.FindEnterprise(ctx, a.ID)
	if err != nil {
		t.Fatalf("FindEnterprise(%d) = %v", a.ID, err)
	}
	if got.USCC != a.USCC || got.Name != a.Name || got.NameEN != a.NameEN || len(got.Roles) != 2 ||
		got.Roles[0] != tracegate.RolePlatform || got.Roles[1] != tracegate.RoleEcommerce || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("FindEnterprise(%d) = %+v, want %+v", a.ID, got, a)
	}
	got, err = s.FindEnterpriseByUSCC(ctx, b.USCC)
	if err != nil || got.ID != b.ID {
		t.Fatalf("FindEnterpriseByUSCC(%s) = %+v, %v; want id %d", b.USCC, got, err, b.ID)
	}

	all, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{})
	if err != nil || len(all) != 2 || all[0].ID != a.ID || all[1].ID != b.ID {
		t.Fatalf("ListEnterprises() = %d, %v; want [a b]", len(all), err)
	}
	wh, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{Role: tracegate.RoleWarehouse})
	if err != nil || len(wh) != 1 || wh[0].ID != b.ID {
		t.Fatalf("ListEnterprises(warehouse) = %v, %v; want [b]", wh, err)
	}
	page, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{Limit: 1, Offset: 1})
	if err != nil || len(page) != 1 || page[0].ID != b.ID {
		t.Fatalf("ListEnterprises(limit 1 offset 1) = %v, %v; want [b]", page, err)
	}

	clock.Advance(time.Second)
	if err := s.SetEnterpriseStatus(ctx, b.ID, tracegate.EnterpriseSuspended); err != nil {
		t.Fatalf("SetEnterpriseStatus() = %v", err)
	}
	got, _ = s.FindEnterprise(ctx, b.ID)
	if got.Status != tracegate.EnterpriseSuspended || !got.UpdatedAt.Equal(clock.T) {
		t.Fatalf("after suspend: status %q updated %v; want suspended at %v", got.Status, got.UpdatedAt, clock.T)
	}
}

func testEnterpriseErrors(t *testing.T, open Opener) {
	s := open(t, NewClock())
	ctx := context.Background()
	ok := &tracegate.Enterprise{USCC: USCC(7), Name: "京东国际", Roles: []tracegate.Role{tracegate.RolePlatform}}
	if err := s.CreateEnterprise(ctx, ok); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		e    tracegate.Enterprise
		code string
	}{
		{"duplicate uscc", tracegate.Enterprise{USCC: USCC(7), Name: "copy", Roles: []tracegate.Role{"platform"}}, tracegate.ECONFLICT},
		{"bad check character", tracegate.Enterprise{USCC: USCC(8)[:17] + "0", Name: "x", Roles: []tracegate.Role{"platform"}}, tracegate.EINVALID},
		{"unknown role", tracegate.Enterprise{USCC: USCC(9), Name: "x", Roles: []tracegate.Role{"pirate"}}, tracegate.EINVALID},
		{"no roles", tracegate.Enterprise{USCC: USCC(9), Name: "x"}, tracegate.EINVALID},
		{"no name", tracegate.Enterprise{USCC: USCC(9), Roles: []tracegate.Role{"lab"}}, tracegate.EINVALID},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			if err := s.CreateEnterprise(ctx, &e); tracegate.ErrorCode(err) != tt.code {
				t.Fatalf("CreateEnterprise(%+v) = %v, want code %s", tt.e, err, tt.code)
			}
		})
	}
	// Nothing half-written: only the first enterprise exists.
	all, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("after refused creates: %d enterprises, %v; want 1", len(all), err)
	}
	if _, err := s.FindEnterprise(ctx, 999999); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindEnterprise(999999) = %v, want not found", err)
	}
	if _, err := s.FindEnterpriseByUSCC(ctx, USCC(9)); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindEnterpriseByUSCC(absent) = %v, want not found", err)
	}
	if err := s.SetEnterpriseStatus(ctx, 999999, tracegate.EnterpriseSuspended); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("SetEnterpriseStatus(999999) = %v, want not found", err)
	}
}

func testAPIKeys(t *testing.T, open Opener) {
	clock := NewClock()
	s := open(t, clock)
	ctx := context.Background()
	e := &tracegate.Enterprise{USCC: USCC(11), Name: "菜鸟", Roles: []tracegate.Role{tracegate.RoleLogistics, tracegate.RoleWarehouse}}
	if err := s.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	k, secret, err := tracegate.IssueAPIKey(ctx, s, e, tracegate.RoleWarehouse, "gate 3")
	if err != nil {
		t.Fatalf("IssueAPIKey() = %v", err)
	}
	gotK, gotE, err := s.FindAPIKeyByHash(ctx, tracegate.HashAPIKey(secret))
	if err != nil {
		t.Fatalf("FindAPIKeyByHash() = %v", err)
	}
	if gotK.ID != k.ID || gotK.Role != tracegate.RoleWarehouse || gotK.Revoked() || gotE.ID != e.ID || gotK.Label != "gate 3" {
		t.Fatalf("FindAPIKeyByHash() = %+v, %+v", gotK, gotE)
	}
	if _, _, err := s.FindAPIKeyByHash(ctx, tracegate.HashAPIKey(secret+"x")); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindAPIKeyByHash(wrong) = %v, want not found", err)
	}
	if _, _, err := tracegate.IssueAPIKey(ctx, s, e, tracegate.RoleRegulator, ""); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("IssueAPIKey(role the enterprise lacks) = %v, want invalid", err)
	}
	if err := s.CreateAPIKey(ctx, &tracegate.APIKey{EnterpriseID: 424242, Role: "lab", Hash: []byte("h"), Hint: "x"}); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("CreateAPIKey(unknown enterprise) = %v, want not found", err)
	}

	byID, err := s.FindAPIKey(ctx, k.ID)
	if err != nil || byID.EnterpriseID != e.ID || byID.Hash != nil || byID.Hint != k.Hint {
		t.Fatalf("FindAPIKey(%d) = %+v, %v; want the key without its hash", k.ID, byID, err)
	}
	if _, err := s.FindAPIKey(ctx, 999999); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("FindAPIKey(999999) = %v, want not found", err)
	}

	clock.Advance(time.Minute)
	if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatalf("RevokeAPIKey() = %v", err)
	}
	gotK, _, err = s.FindAPIKeyByHash(ctx, tracegate.HashAPIKey(secret))
	if err != nil || !gotK.Revoked() || !gotK.RevokedAt.Equal(clock.T) {
		t.Fatalf("after revoke: %+v, %v; want revoked at %v", gotK, err, clock.T)
	}
	if err := s.RevokeAPIKey(ctx, k.ID); tracegate.ErrorCode(err) != tracegate.ECONFLICT {
		t.Fatalf("RevokeAPIKey(again) = %v, want conflict", err)
	}
	if err := s.RevokeAPIKey(ctx, 999999); tracegate.ErrorCode(err) != tracegate.ENOTFOUND {
		t.Fatalf("RevokeAPIKey(unknown) = %v, want not found", err)
	}
	keys, err := s.ListAPIKeys(ctx, e.ID)
	if err != nil || len(keys) != 1 || keys[0].Hash != nil || !keys[0].Revoked() {
		t.Fatalf("ListAPIKeys() = %+v, %v; want one revoked key without its hash", keys, err)
	}
}

func testConcurrentWrites(t *testing.T, open Opener) {
	s := open(t, NewClock())
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := &tracegate.Enterprise{USCC: USCC(100 + i%20), Name: fmt.Sprintf("企业 %d", i), Roles: []tracegate.Role{tracegate.RoleImporter}}
			errs <- s.CreateEnterprise(ctx, e)
		}()
	}
	wg.Wait()
	close(errs)
	var ok, conflict int
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case tracegate.IsCode(err, tracegate.ECONFLICT):
			conflict++
		default:
			t.Errorf("concurrent CreateEnterprise: %v", errors.Unwrap(err))
		}
	}
	if ok != 20 || conflict != 20 {
		t.Fatalf("concurrent creates: %d ok, %d conflicts; want 20 and 20", ok, conflict)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", raw, err)
	}
	return v
}
