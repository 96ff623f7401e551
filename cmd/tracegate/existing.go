package main

import (
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/epcis"
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

// auditLedger loads what the audit of s checks with, creating nothing: the
// log's key (needed only when s holds checkpoints) and the item secret
// (needed only when s holds EPCIS records in the ledger). A missing one that
// is needed is refused with ENOTFOUND ("no key at PATH"); one not needed is
// replaced by nothing (no verifier) or a throwaway in-memory secret.
func auditLedger(ctx context.Context, s store, dataDir, origin string) (*ledger.Committer, note.Verifiers, error) {
	keyPath, secretPath := filepath.Join(dataDir, ledger.KeyFile), filepath.Join(dataDir, secretFile)
	_, keyErr := os.Stat(keyPath)
	_, secretErr := os.Stat(secretPath)
	if keyErr == nil && secretErr == nil {
		l, err := loadLedger(dataDir, origin)
		if err != nil {
			return nil, nil, err
		}
		return l.committer, l.verifiers, nil
	}
	verifiers := note.VerifierList()
	if keyErr == nil {
		_, vkey, err := ledger.LoadOrCreateKey(dataDir, origin)
		if err != nil {
			return nil, nil, err
		}
		v, err := ledger.NewVerifier(vkey)
		if err != nil {
			return nil, nil, err
		}
		verifiers = note.VerifierList(v)
	} else if _, err := s.LatestCheckpoint(ctx); err == nil {
		return nil, nil, mustExist(keyPath, "key", "the log's checkpoints are signed with it: point --data-dir at the server's")
	}
	secret := make([]byte, ledger.MinSecret)
	if secretErr == nil {
		b, err := os.ReadFile(secretPath)
		if err != nil {
			return nil, nil, err
		}
		secret = b
	} else {
		errFound := errors.New("found")
		err := s.LedgerRecords(ctx, func(*epcis.Record) error { return errFound })
		if errors.Is(err, errFound) {
			return nil, nil, mustExist(secretPath, "ledger secret", "the item commitments of the log's events are made with it: point --data-dir at the server's")
		} else if err != nil {
			return nil, nil, err
		}
		rand.Read(secret) // no record uses it
	}
	c, err := ledger.NewCommitter(secret)
	return c, verifiers, err
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
