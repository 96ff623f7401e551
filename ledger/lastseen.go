package ledger

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
)

// LastSeenFile is the name, in a node's data directory, of the file that
// keeps the largest checkpoint the node has signed or read.
const LastSeenFile = "last-checkpoint"

// LastSeen keeps, outside the database, the largest signed checkpoint a node
// has seen: whoever can rewrite the database and its log together (rolling
// both back to an older state, or forking them) cannot also make the tree
// consistent with this file, and CheckTree says so. A LastSeen is safe for
// concurrent use within one process.
type LastSeen struct {
	// Path is the file, usually filepath.Join(dataDir, LastSeenFile).
	Path string
	// Verifiers know the log's key; a checkpoint that does not verify is
	// neither written nor read back.
	Verifiers note.Verifiers

	mu sync.Mutex
}

// NewLastSeen returns the LastSeen of the data directory dir.
func NewLastSeen(dir string, verifiers note.Verifiers) *LastSeen {
	return &LastSeen{Path: filepath.Join(dir, LastSeenFile), Verifiers: verifiers}
}

// Read returns the stored checkpoint. It fails with ENOTFOUND when the node
// has seen none yet, with EINVALID when the file does not verify with the
// log's key (it was altered), and with the file system's error otherwise.
func (l *LastSeen) Read() (*Checkpoint, error) {
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no checkpoint seen yet in %s", l.Path)
	} else if err != nil {
		return nil, fmt.Errorf("ledger: read last checkpoint: %w", err)
	}
	cp, err := ParseCheckpoint(data, l.Verifiers)
	if err != nil {
		return nil, fmt.Errorf("ledger: %s: %w", l.Path, err)
	}
	return cp, nil
}

// Observe records signed when it verifies and is larger than the stored
// checkpoint; it keeps the stored one otherwise. The file is replaced
// atomically (written beside it, synced, renamed), so a crash leaves the old
// or the new checkpoint, never a torn one. It fails with EINVALID when signed
// does not verify, and with the file system's error.
func (l *LastSeen) Observe(signed []byte) error {
	cp, err := ParseCheckpoint(signed, l.Verifiers)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, err := l.Read(); err == nil && old.Size >= cp.Size {
		return nil
	} else if err != nil && !tracegate.IsCode(err, tracegate.ENOTFOUND) && !tracegate.IsCode(err, tracegate.EINVALID) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.Path), LastSeenFile+".*")
	if err != nil {
		return fmt.Errorf("ledger: write last checkpoint: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(signed); err != nil {
		tmp.Close()
		return fmt.Errorf("ledger: write last checkpoint: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("ledger: write last checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ledger: write last checkpoint: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.Path); err != nil {
		return fmt.Errorf("ledger: write last checkpoint: %w", err)
	}
	return nil
}

// CheckTree checks that the stored tree of size leaves extends cp: it is at
// least as large and has cp's root at cp's size. It fails with ECONFLICT
// when the tree was rolled back below cp or rewritten, and with the store's
// error when the hashes cannot be read.
func CheckTree(ctx context.Context, r HashReader, size int64, cp *Checkpoint) error {
	if size < cp.Size {
		return tracegate.Errorf(tracegate.ECONFLICT, "ledger: the stored tree has %d leaves, but this node has seen a checkpoint of %d (the database was rolled back)", size, cp.Size)
	}
	root, err := TreeRoot(ctx, r, cp.Size)
	if err != nil {
		return err
	}
	if root != cp.Root {
		return tracegate.Errorf(tracegate.ECONFLICT, "ledger: the stored tree has root %v at size %d, but this node has seen the checkpoint %v (the log was rewritten)", root, cp.Size, cp.Root)
	}
	return nil
}
