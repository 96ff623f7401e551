package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tracegate/customs"
	"tracegate/ledger"
)

// DeclarationState is a declaration's current decision, as the server
// answers it, beside the latest decision of its ledgered history.
type DeclarationState struct {
	ID          int64
	Status      string
	Decision    []byte // JSON; nil when undecided
	DecidedAt   time.Time
	ContentHash string
	LedgerIndex int64 // -1 when undecided
	// Latest is the decision of the declaration with the largest ledger
	// index, nil when there is none; LatestStatus is its status column.
	Latest       *customs.DecisionRecord
	LatestStatus string
}

// DeclarationStore is implemented by stores that keep customs declarations.
type DeclarationStore interface {
	// DeclarationStates yields every declaration by id.
	DeclarationStates(ctx context.Context, fn func(d *DeclarationState) error) error
}

// checkDeclarations recomputes each declaration's current decision (status,
// decision, time, content hash, leaf) from the latest decision of its
// history, which the ledger covers.
func checkDeclarations(ctx context.Context, s DeclarationStore, report func(ledger.Finding)) error {
	return s.DeclarationStates(ctx, func(d *DeclarationState) error {
		bad := func(format string, args ...any) {
			report(ledger.Finding{Kind: FindingStateMismatch, Index: d.LedgerIndex,
				Message: fmt.Sprintf("declaration %d: table customs_declarations, ", d.ID) + fmt.Sprintf(format, args...)})
		}
		if d.Latest == nil {
			// Waiting for a partner document is not a decision: it is not
			// ledgered.
			if d.LedgerIndex >= 0 || (d.Status != "" && d.Status != string(customs.OutcomeWaiting)) {
				bad("has status %q and a decision, but no decision in the ledgered history", d.Status)
			}
			return nil
		}
		l := d.Latest
		want, err := json.Marshal(l.Decision)
		if err != nil {
			return fmt.Errorf("audit: encode decision: %w", err)
		}
		var got customs.Decision
		gotJSON := []byte("null")
		if d.Decision != nil {
			if err := json.Unmarshal(d.Decision, &got); err == nil {
				gotJSON, _ = json.Marshal(got)
			} else {
				gotJSON = d.Decision
			}
		}
		hash, _ := customs.DecisionContentHash(l.Decision, l.GUIDs)
		switch {
		case d.Status != string(l.Decision.Status):
			bad("field status is %q, the ledgered decision %d says %q", d.Status, l.LedgerIndex, l.Decision.Status)
		case !bytes.Equal(gotJSON, want):
			bad("field decision is %s, the ledgered decision %d says %s", gotJSON, l.LedgerIndex, want)
		case !d.DecidedAt.Equal(l.DecidedAt):
			bad("field decided_at is %v, the ledgered decision %d says %v", d.DecidedAt, l.LedgerIndex, l.DecidedAt)
		case d.LedgerIndex != l.LedgerIndex:
			bad("field ledger_idx is %d, the latest ledgered decision is %d", d.LedgerIndex, l.LedgerIndex)
		case d.ContentHash != hash:
			bad("field content_hash is %q, the ledgered decision %d hashes to %q", d.ContentHash, l.LedgerIndex, hash)
		}
		if d.LatestStatus != string(l.Decision.Status) {
			report(ledger.Finding{Kind: FindingStateMismatch, Index: l.LedgerIndex, Message: fmt.Sprintf(
				"declaration %d: table customs_decisions, field status is %q, the ledgered decision says %q", d.ID, d.LatestStatus, l.Decision.Status)})
		}
		return nil
	})
}
