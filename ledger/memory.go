package ledger

import (
	"context"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// MemoryStore is an in-memory HashWriter and EntryReader for tests,
// benchmarks and tools. Hashes live in one flat slice indexed by stored-hash
// index, 32 bytes each, so a tree of n leaves takes about 64n bytes plus its
// entries. It is safe for concurrent use, except that AppendEntries calls
// must not overlap (they read the size, then append).
type MemoryStore struct {
	mu      sync.RWMutex
	hashes  []tlog.Hash
	entries [][]byte
}

var (
	_ HashWriter  = (*MemoryStore)(nil)
	_ EntryReader = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty MemoryStore. capHashes presizes the hash
// slice (use tlog.StoredHashCount(n) for n leaves); 0 is fine.
func NewMemoryStore(capHashes int64) *MemoryStore {
	return &MemoryStore{hashes: make([]tlog.Hash, 0, capHashes)}
}

// ReadHashes returns the stored hashes at indexes. It fails with ENOTFOUND
// when an index has not been written.
func (m *MemoryStore) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no stored hash %d", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// WriteHashes stores hashes at indexes. An index may overwrite a stored
// hash (tests use that to tamper, so MemoryStore fails ledgertest's
// no-overwrite check on purpose) or extend the slice by exactly one; it
// fails with EINVALID on a gap or when the lengths differ.
func (m *MemoryStore) WriteHashes(_ context.Context, indexes []int64, hashes []tlog.Hash) error {
	if len(indexes) != len(hashes) {
		return tracegate.Errorf(tracegate.EINVALID, "ledger: %d indexes for %d hashes", len(indexes), len(hashes))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range indexes {
		switch {
		case x >= 0 && x < int64(len(m.hashes)):
			m.hashes[x] = hashes[i]
		case x == int64(len(m.hashes)):
			m.hashes = append(m.hashes, hashes[i])
		default:
			return tracegate.Errorf(tracegate.EINVALID, "ledger: write of hash %d leaves a gap after %d", x, len(m.hashes))
		}
	}
	return nil
}

// ReadEntries returns the entries start..end-1. It fails with ENOTFOUND when
// the range is not stored.
func (m *MemoryStore) ReadEntries(_ context.Context, start, end int64) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start < 0 || end < start || end > int64(len(m.entries)) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no entries %d..%d", start, end)
	}
	return append([][]byte(nil), m.entries[start:end]...), nil
}

// Size returns the number of entries added with AppendEntries.
func (m *MemoryStore) Size() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.entries))
}

// AppendEntries appends leaves to the tree (with Append) and keeps them as
// entries, returning the new size and root. It fails as Append does.
func (m *MemoryStore) AppendEntries(ctx context.Context, leaves [][]byte) (int64, tlog.Hash, error) {
	n, root, err := Append(ctx, m, m.Size(), leaves)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	m.mu.Lock()
	m.entries = append(m.entries, leaves...)
	m.mu.Unlock()
	return n, root, nil
}

// SetEntry replaces entry i without touching the hashes; tests use it to
// tamper with records. It fails with ENOTFOUND when i is not stored.
func (m *MemoryStore) SetEntry(i int64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i < 0 || i >= int64(len(m.entries)) {
		return tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no entry %d", i)
	}
	m.entries[i] = data
	return nil
}
