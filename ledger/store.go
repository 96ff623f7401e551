package ledger

import "context"

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
