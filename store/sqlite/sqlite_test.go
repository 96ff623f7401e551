package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tracegate"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock tracegate.Clock) storetest.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "t.db"), Clock: clock})
		if err != nil {
			t.Fatalf("sqlite.Open() = %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "t.db")
	s, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	e := &tracegate.Enterprise{USCC: storetest.USCC(5), Name: "考拉海购", Roles: []tracegate.Role{tracegate.RolePlatform}}
	if err := s.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	before, _ := s.SchemaVersion(ctx)
	s.Close()
	s, err = sqlite.Open(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.FindEnterprise(ctx, e.ID); err != nil {
		t.Fatalf("after reopen FindEnterprise() = %v", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != before || v < 2 {
		t.Fatalf("SchemaVersion() = %d after reopen, want %d (migrations applied once)", v, before)
	}
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := writeFile(path, "this is not a database, just some text that is long enough to be a header......"); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(context.Background(), sqlite.Config{Path: path}); err == nil {
		t.Fatal("Open(junk file) succeeded")
	}
}

func TestLedgeredStates(t *testing.T) {
	storetest.RunLedgeredStates(t, func(t *testing.T, clock tracegate.Clock) storetest.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "t.db"), Clock: clock, LedgerStates: true})
		if err != nil {
			t.Fatalf("sqlite.Open() = %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
