package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tracegate"
	"tracegate/ledger"
)

// nodeSecrets are the files of --data-dir that every node of one
// deployment must share: the log's signing key, the secret of the item
// commitments, the key of buyers' quota keys, the label key and the key of
// credit sampling (so every node samples the same declarations). A node that
// minted its own would sign another log and read every label as not
// genuine.
var nodeSecrets = []string{ledger.KeyFile, secretFile, customsSecretFile, labelSecretFile, creditSecretFile}

// runInit creates the node secrets in --data-dir, keeping any that exist,
// and prints the log's verifier key and its fingerprint.
func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "init", "", "Create the keys and secrets a deployment's nodes share in --data-dir: the log's signing key\n(ledger.key), the item-commitment secret (ledger.secret), the buyers' quota key (customs.secret),\nthe label key (label.secret) and the key of credit sampling (credit.secret). Existing files are kept, never replaced. Run it once on the first\nnode, back the directory up with the database, and copy it to every other node: serve on PostgreSQL\nrefuses to start without them (the embedded SQLite default creates them itself on first start).")
	dataDir := fs.String("data-dir", envOr(e, "TRACEGATE_DATA_DIR", defaultDataDir),
		"directory for the keys and secrets (env TRACEGATE_DATA_DIR)")
	var lf ledgerFlags
	lf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	sf := storeFlags{dataDir: *dataDir}
	var created, kept []string
	for _, name := range nodeSecrets {
		if _, err := os.Stat(filepath.Join(sf.dataDir, name)); err == nil {
			kept = append(kept, name)
		} else {
			created = append(created, name)
		}
	}
	l, err := loadLedger(sf.dataDir, lf.origin) // the log's key and the commitment secret
	if err != nil {
		return err
	}
	for _, name := range []string{customsSecretFile, labelSecretFile, creditSecretFile} {
		if _, err := loadOrCreateSecret(filepath.Join(sf.dataDir, name)); err != nil {
			return err
		}
	}
	if len(created) > 0 {
		fmt.Fprintf(e.stdout, "created in %s: %s\n", sf.dataDir, strings.Join(created, ", "))
	}
	if len(kept) > 0 {
		fmt.Fprintf(e.stdout, "kept in %s: %s\n", sf.dataDir, strings.Join(kept, ", "))
	}
	fmt.Fprintf(e.stdout, "log verifier key: %s\nfingerprint %s\nCopy %s to every node and back it up with the database.\n",
		l.vkey, vkeyFingerprint(l.vkey), sf.dataDir)
	return nil
}

// requireNodeSecrets refuses, with what to run, a data directory that lacks
// any of the node secrets: serve on a shared (PostgreSQL) database must use
// the deployment's, never mint its own.
func requireNodeSecrets(dataDir string) error {
	var missing []string
	for _, name := range nodeSecrets {
		if _, err := os.Stat(filepath.Join(dataDir, name)); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, name)
		} else if err != nil {
			return err
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return tracegate.Errorf(tracegate.ENOTFOUND, "no %s in %s: on PostgreSQL every node shares one set of keys — "+
		"run 'tracegate init --data-dir %s' on the first node and copy that directory to the others",
		strings.Join(missing, ", "), dataDir, dataDir)
}
