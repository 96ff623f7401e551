package ledgertest

import (
	"context"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/ledger"
)

// appendOnly is a MemoryStore that refuses overwrites, as a SQL table with
// a primary key on the index does.
type appendOnly struct{ *ledger.MemoryStore }

func (s appendOnly) WriteHashes(ctx context.Context, indexes []int64, hashes []tlog.Hash) error {
	if len(indexes) > 0 {
		if _, err := s.ReadHashes(ctx, indexes[:1]); err == nil {
			return tracegate.Errorf(tracegate.ECONFLICT, "hash %d exists", indexes[0])
		}
	}
	return s.MemoryStore.WriteHashes(ctx, indexes, hashes)
}

func TestAppendOnlyMemoryStore(t *testing.T) {
	TestHashWriter(t, func(t *testing.T) ledger.HashWriter { return appendOnly{ledger.NewMemoryStore(0)} })
}
