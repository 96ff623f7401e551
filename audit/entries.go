package audit

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate/ledger"
)

// entryChunk is how many entries checkEntries reads at a time.
const entryChunk = 1024

// checkEntries hashes the bytes of every stored entry (what the entry
// bundles serve) and compares them with the stored leaf hashes; the ledger
// audit compares those with the re-derived records, so an entry that
// passes here is the re-derived leaf.
func checkEntries(ctx context.Context, s Store, report func(ledger.Finding)) error {
	size, err := s.LedgerSize(ctx)
	if err != nil {
		return err
	}
	for start := int64(0); start < size; start += entryChunk {
		end := min(start+entryChunk, size)
		idx := make([]int64, end-start)
		for i := range idx {
			idx[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		hashes, err := s.ReadHashes(ctx, idx)
		if err != nil {
			return fmt.Errorf("audit: leaf hashes %d..%d: %w", start, end, err)
		}
		entries, err := s.ReadEntries(ctx, start, end)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report(ledger.Finding{Kind: FindingEntryMismatch, Index: start,
				Message: fmt.Sprintf("the entries %d..%d cannot all be read: %v", start, end-1, err)})
			continue
		}
		for i, e := range entries {
			if tlog.RecordHash(e) != hashes[i] {
				report(ledger.Finding{Kind: FindingEntryMismatch, Index: start + int64(i),
					Message: fmt.Sprintf("the stored entry %d (served in the entry bundles) does not hash to the tree's leaf hash", start+int64(i))})
			}
		}
	}
	return nil
}
