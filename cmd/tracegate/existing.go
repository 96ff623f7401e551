package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tracegate"
	"tracegate/ledger"
)

// A command that checks or reads must never create what it checks: these
// helpers refuse a missing database, key or secret with the path they
// looked at, where openStore and loadLedger would create them.

// sqlitePath returns the file of a sqlite: or file: DSN, and false for any
// other database.
func sqlitePath(dsn string) (string, bool) {
	if !strings.HasPrefix(dsn, "sqlite:") && !strings.HasPrefix(dsn, "file:") {
		return "", false
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	path = strings.TrimPrefix(path, "//")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path, true
}

// openExistingStore is openStore for commands that only read: a SQLite
// database that does not exist is refused with ENOTFOUND ("no database at
// PATH") instead of being created empty. A PostgreSQL DSN opens as usual.
func openExistingStore(ctx context.Context, dsn string) (store, error) {
	if path, ok := sqlitePath(dsn); ok {
		if err := mustExist(path, "database", "point --db at the server's database, or create one with 'tracegate migrate'"); err != nil {
			return nil, err
		}
	}
	s, _, err := openStore(ctx, dsn)
	return s, err
}

// loadExistingLedger is loadLedger for commands that only check: the key
// and the item secret must already be in dataDir; a missing one is refused
// with ENOTFOUND ("no key at PATH").
func loadExistingLedger(dataDir, origin string) (*ledgerSetup, error) {
	if err := mustExist(filepath.Join(dataDir, ledger.KeyFile), "key", "point --data-dir at the server's"); err != nil {
		return nil, err
	}
	if err := mustExist(filepath.Join(dataDir, secretFile), "ledger secret", "point --data-dir at the server's"); err != nil {
		return nil, err
	}
	return loadLedger(dataDir, origin)
}

// mustExist fails with ENOTFOUND, naming what, where it looked and the hint
// of how to fix it, when path does not exist.
func mustExist(path, what, hint string) error {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		abs, aerr := filepath.Abs(path)
		if aerr != nil {
			abs = path
		}
		return tracegate.Errorf(tracegate.ENOTFOUND, "no %s at %s (%s)", what, abs, hint)
	}
	return err
}
