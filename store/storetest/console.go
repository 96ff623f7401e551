package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"tracegate"
)

// testConsole checks the console's users, sessions and audit trail.
func testConsole(t *testing.T, open Opener) {
	clock := NewClock()
	st := open(t, clock)
	s, ok := st.(tracegate.UserStore)
	if !ok {
		t.Skip("store keeps no console users")
	}
	ctx := context.Background()
	e := &tracegate.Enterprise{USCC: USCC(7001), Name: "南沙保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	if err := st.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	u := &tracegate.User{EnterpriseID: e.ID, Login: "wang.li", Name: "王力", Role: tracegate.RoleWarehouse, Admin: true, PasswordHash: "$argon2id$x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser() = %v", err)
	}
	if u.ID == 0 || !u.CreatedAt.Equal(clock.T) || u.Lang != "zh" {
		t.Fatalf("CreateUser set ID=%d CreatedAt=%v Lang=%q", u.ID, u.CreatedAt, u.Lang)
	}
	dup := *u
	if err := s.CreateUser(ctx, &dup); !tracegate.IsCode(err, tracegate.ECONFLICT) {
		t.Fatalf("CreateUser(same login) = %v, want ECONFLICT", err)
	}
	got, err := s.FindUserByLogin(ctx, "wang.li")
	if err != nil || got.ID != u.ID || got.Name != "王力" || !got.Admin || got.Disabled || got.PasswordHash != "$argon2id$x" || got.Role != tracegate.RoleWarehouse {
		t.Fatalf("FindUserByLogin() = %+v, %v", got, err)
	}
	if _, err := s.FindUserByLogin(ctx, "nobody"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("FindUserByLogin(unknown) = %v, want ENOTFOUND", err)
	}
	if _, err := s.FindUser(ctx, u.ID+100); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("FindUser(unknown) = %v, want ENOTFOUND", err)
	}
	if list, err := s.ListUsers(ctx, e.ID); err != nil || len(list) != 1 {
		t.Fatalf("ListUsers() = %d users, %v", len(list), err)
	}
	if list, err := s.ListUsers(ctx, e.ID+1); err != nil || len(list) != 0 {
		t.Fatalf("ListUsers(other) = %d users, %v", len(list), err)
	}

	// Failures lock the user at the limit, and a success clears them.
	lock := clock.T.Add(15 * time.Minute)
	for i := 1; i <= 2; i++ {
		if n, err := s.RecordSignIn(ctx, u.ID, false, 3, lock); err != nil || n != i {
			t.Fatalf("RecordSignIn(fail %d) = %d, %v", i, n, err)
		}
	}
	if _, err := s.RecordSignIn(ctx, u.ID, false, 3, lock); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUser(ctx, u.ID); got.LockedUntil == nil || !got.LockedUntil.Equal(lock) {
		t.Fatalf("after 3 failures LockedUntil = %v, want %v", got.LockedUntil, lock)
	}
	if err := s.SetUserPassword(ctx, u.ID, "$argon2id$y"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUser(ctx, u.ID); got.LockedUntil != nil || got.Failures != 0 || got.PasswordHash != "$argon2id$y" {
		t.Fatalf("after SetUserPassword: %+v", got)
	}

	// Sessions: found by hash, touched, ended one by one, by user, by age;
	// a new password and disabling end them.
	newSession := func(b byte) *tracegate.Session {
		ss := &tracegate.Session{Hash: bytes.Repeat([]byte{b}, 32), UserID: u.ID, CSRF: "tok", CreatedAt: clock.T, SeenAt: clock.T}
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatalf("CreateSession() = %v", err)
		}
		return ss
	}
	a := newSession(1)
	if got, err := s.FindSession(ctx, a.Hash); err != nil || got.UserID != u.ID || got.CSRF != "tok" || !got.SeenAt.Equal(clock.T) {
		t.Fatalf("FindSession() = %+v, %v", got, err)
	}
	later := clock.T.Add(time.Minute)
	if err := s.TouchSession(ctx, a.Hash, later); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindSession(ctx, a.Hash); !got.SeenAt.Equal(later) {
		t.Fatalf("TouchSession: SeenAt = %v, want %v", got.SeenAt, later)
	}
	if err := s.DeleteSession(ctx, a.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, a.Hash); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("FindSession(ended) = %v, want ENOTFOUND", err)
	}
	newSession(2)
	newSession(3)
	if n, err := s.DeleteUserSessions(ctx, u.ID); err != nil || n != 2 {
		t.Fatalf("DeleteUserSessions() = %d, %v; want 2", n, err)
	}
	old := newSession(4)
	clock.Advance(time.Hour)
	fresh := newSession(5)
	if n, err := s.DeleteStaleSessions(ctx, clock.T.Add(-30*time.Minute), clock.T.Add(-12*time.Hour)); err != nil || n != 1 {
		t.Fatalf("DeleteStaleSessions() = %d, %v; want 1", n, err)
	}
	if _, err := s.FindSession(ctx, old.Hash); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("idle session kept: %v", err)
	}
	if err := s.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, fresh.Hash); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("session of a disabled user kept: %v", err)
	}
	if got, _ := s.FindUser(ctx, u.ID); !got.Disabled {
		t.Fatal("SetUserDisabled(true) did not disable")
	}
	if err := s.SetUserLang(ctx, u.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUser(ctx, u.ID); got.Lang != "en" {
		t.Fatalf("SetUserLang: Lang = %q", got.Lang)
	}
	if err := s.SetUserDisabled(ctx, u.ID+100, true); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatalf("SetUserDisabled(unknown) = %v, want ENOTFOUND", err)
	}

	// The audit trail, newest first, paged by id.
	for _, action := range []string{"sign-in", "resolve", "sign-out"} {
		if err := s.AddConsoleEvent(ctx, &tracegate.ConsoleEvent{UserID: u.ID, Login: u.Login, EnterpriseID: e.ID, Page: "reviews", Action: action, Object: "declaration 1"}); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := s.ConsoleEvents(ctx, 0, 2)
	if err != nil || len(evs) != 2 || evs[0].Action != "sign-out" || evs[1].Action != "resolve" || !evs[0].At.Equal(clock.T) {
		t.Fatalf("ConsoleEvents() = %v, %v", evs, err)
	}
	if evs, err := s.ConsoleEvents(ctx, evs[1].ID, 10); err != nil || len(evs) != 1 || evs[0].Action != "sign-in" {
		t.Fatalf("ConsoleEvents(before) = %v, %v", evs, err)
	}

	if ds, ok := st.(tracegate.DashboardStore); ok {
		d, err := ds.Dashboard(ctx, clock.T.Add(-30*24*time.Hour), 20)
		if err != nil {
			t.Fatalf("Dashboard() = %v", err)
		}
		if len(d.Declarations)+len(d.Scans)+len(d.Copies)+len(d.Refusals)+len(d.OpenReviews)+len(d.CreditLevels) != 0 {
			t.Fatalf("Dashboard() of an empty store = %+v", d)
		}
	}
}
