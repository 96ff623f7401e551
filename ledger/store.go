package ledger

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// Store is what serving, publishing and auditing the log need of a store:
// the committed stored hashes and entries, the size, and the checkpoints.
// The writes of hashes and entries happen inside the record stores' own
// transactions (see the package documentation), not through this interface.
type Store interface {
	HashReader
	EntryReader
	// LedgerSize returns the number of committed leaves.
	LedgerSize(ctx context.Context) (int64, error)
	// SaveCheckpoint stores a signed checkpoint of size leaves; storing one
	// for a size that has one already is a no-op.
	SaveCheckpoint(ctx context.Context, size int64, signed []byte) error
	// LatestCheckpoint returns the signed checkpoint of the largest size, or
	// ENOTFOUND when none was published.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// Checkpoints returns every stored signed checkpoint by size.
	Checkpoints(ctx context.Context) ([][]byte, error)
}

// OrderHashes returns the hashes found for indexes, in the order (and with
// the repetitions) of indexes, as HashReader.ReadHashes must. Stores read
// the distinct indexes in any order into found. It fails with ENOTFOUND for
// an index that has no hash.
func OrderHashes(indexes []int64, found map[int64]tlog.Hash) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no stored hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}
