package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
)

// KeyFile is the name of the log's private key file in the key directory.
const KeyFile = "ledger.key"

// GenerateKey returns a new Ed25519 signed-note key pair named origin: the
// private skey ("PRIVATE+KEY+<origin>+<hash>+<base64>") and the public vkey
// ("<origin>+<hash>+<base64>") that verifiers are configured with. It fails
// with EINVALID when origin is not a valid key name, or when the system's
// random source fails.
func GenerateKey(origin string) (skey, vkey string, err error) {
	if !validName(origin) {
		return "", "", tracegate.Errorf(tracegate.EINVALID, "ledger: invalid origin %q", origin)
	}
	skey, vkey, err = note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return "", "", fmt.Errorf("ledger: generate key: %w", err)
	}
	return skey, vkey, nil
}

// LoadOrCreateKey reads the log's key from dir/ledger.key, or on first use
// creates dir (0700) and a new key for origin in that file (0600). It
// returns the private and public keys.
//
// It fails with EINVALID when the file holds no valid key, with ECONFLICT
// when the stored key is named for another origin, with EFORBIDDEN when the
// file can be read or written by group or others, and with the file
// system's error when dir or the file cannot be created or read.
func LoadOrCreateKey(dir, origin string) (skey, vkey string, err error) {
	path := filepath.Join(dir, KeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		skey, vkey, err = createKey(dir, path, origin)
		if !errors.Is(err, fs.ErrExist) {
			return skey, vkey, err
		}
		// Another process created the key first: use its key.
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return "", "", fmt.Errorf("ledger: read key: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return "", "", tracegate.Errorf(tracegate.EFORBIDDEN, "ledger: key file %s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	skey = strings.TrimSpace(string(data))
	vkey, err = verifierKey(skey)
	if err != nil {
		return "", "", err
	}
	if name, _, _ := strings.Cut(vkey, "+"); name != origin {
		return "", "", tracegate.Errorf(tracegate.ECONFLICT, "ledger: key in %s is for origin %q, not %q", path, name, origin)
	}
	return skey, vkey, nil
}

func createKey(dir, path, origin string) (skey, vkey string, err error) {
	skey, vkey, err = GenerateKey(origin)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("ledger: create key directory: %w", err)
	}
	// O_EXCL: of two processes creating the key at once, one fails rather
	// than both signing with different keys.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("ledger: create key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return "", "", fmt.Errorf("ledger: write key: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", "", fmt.Errorf("ledger: write key: %w", err)
	}
	return skey, vkey, nil
}

// verifierKey derives the vkey of an Ed25519 note private key.
func verifierKey(skey string) (string, error) {
	bad := tracegate.Errorf(tracegate.EINVALID, "ledger: not an Ed25519 signed-note private key")
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", bad
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", bad
	}
	pub := ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(parts[2], pub)
	if err != nil {
		return "", bad
	}
	if _, err := note.NewSigner(skey); err != nil {
		return "", bad
	}
	return vkey, nil
}
