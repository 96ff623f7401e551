// Package audit checks the tamper-evident ledger against the database: it
// re-derives every leaf from the stored records (one Source per kind: EPCIS
// events, customs decisions, label issuances, holds, filings, master data),
// lets package ledger compare them with the stored tree and the signed
// checkpoints, compares the stored entries with the tree, and re-derives
// what the server answers from beside the ledgered records (the EPCIS index
// rows, the declarations' current decisions, the labels and their bindings,
// the current holds, filings and master data). It is what `tracegate audit`
// runs.
package audit

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/epcis"
	"tracegate/ledger"
)

// Store is what an audit reads.
type Store interface {
	ledger.Store
	FindEnterprise(ctx context.Context, id int64) (*tracegate.Enterprise, error)
	// LedgerRecords yields the events in ledger order, then those without a
	// ledger index.
	LedgerRecords(ctx context.Context, fn func(r *epcis.Record) error) error
}

// The kinds of findings this package adds to ledger's.
const (
	// FindingCheckpointSignature is a stored checkpoint whose signature
	// does not verify with the log's key.
	FindingCheckpointSignature ledger.FindingKind = "checkpoint-signature"
	// FindingEntryMismatch is a stored ledger entry (the bytes served in
	// entry bundles) that does not hash to the stored leaf hash.
	FindingEntryMismatch ledger.FindingKind = "entry-mismatch"
	// FindingLastSeen is a tree that does not extend the last checkpoint
	// this node has seen (kept in its data directory): the database and
	// the log were rolled back or rewritten together.
	FindingLastSeen ledger.FindingKind = "last-checkpoint"
	// FindingIndexMismatch is an index or derived row that differs from
	// what the ledgered record re-derives to.
	FindingIndexMismatch ledger.FindingKind = "index-mismatch"
	// FindingStateMismatch is a current-state row (a hold, filing, master
	// data element, declaration, label or binding) that differs from, or is
	// missing beside, the ledgered history it must be recomputed from.
	FindingStateMismatch ledger.FindingKind = "state-mismatch"
)

var errStop = errors.New("audit: stopped")

// Option changes what Run checks.
type Option func(*config)

type config struct {
	seen *ledger.LastSeen
}

// WithLastSeen has Run check the tree against the last checkpoint the node
// has seen, kept outside the database.
func WithLastSeen(l *ledger.LastSeen) Option { return func(c *config) { c.seen = l } }

// Run audits the ledger and what the server derives its answers from. It
// fails only when the database cannot be read.
func Run(ctx context.Context, s Store, c *ledger.Committer, verifiers note.Verifiers, opts ...Option) ([]ledger.Finding, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	size, err := s.LedgerSize(ctx)
	if err != nil {
		return nil, err
	}
	var findings []ledger.Finding
	dropped := 0
	report := func(f ledger.Finding) {
		if len(findings) < maxFindings {
			findings = append(findings, f)
		} else {
			dropped++
		}
	}
	var cps []*ledger.Checkpoint
	signed, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range signed {
		cp, err := ledger.ParseCheckpoint(n, verifiers)
		if err != nil {
			report(ledger.Finding{Kind: FindingCheckpointSignature, Index: -1,
				Message: fmt.Sprintf("a stored checkpoint does not verify with the log's key: %v", err)})
			continue
		}
		cps = append(cps, cp)
	}
	if cfg.seen != nil {
		if cp, err := checkLastSeen(ctx, s, size, cfg.seen, report); err != nil {
			return nil, err
		} else if cp != nil {
			cps = append(cps, cp)
		}
	}
	more, err := ledger.Audit(ctx, ledger.AuditInput{Hashes: s, Size: size, Leaves: mergeSources(ctx, Sources(ctx, s, c)), Checkpoints: cps})
	if err != nil {
		return nil, err
	}
	findings = append(findings, more...)
	for _, check := range Checks(s, c) {
		if err := check(ctx, report); err != nil {
			return nil, err
		}
	}
	if dropped > 0 {
		findings = append(findings, ledger.Finding{Kind: ledger.FindingTruncated, Index: -1, Message: fmt.Sprintf("%d more findings not reported", dropped)})
	}
	return findings, nil
}

// maxFindings caps the findings this package reports (ledger's count
// towards it: the checks run after the ledger audit).
const maxFindings = 1000

// Check compares some rows the server answers from with what the ledger
// covers, reporting each difference; it fails only when the store cannot be
// read.
type Check func(ctx context.Context, report func(ledger.Finding)) error

// Checks returns the checks that apply to s: the stored entries against the
// tree, and each derived or current-state table the store keeps.
func Checks(s Store, c *ledger.Committer) []Check {
	checks := []Check{func(ctx context.Context, report func(ledger.Finding)) error { return checkEntries(ctx, s, report) }}
	if is, ok := s.(IndexStore); ok {
		checks = append(checks, func(ctx context.Context, report func(ledger.Finding)) error { return checkEventIndex(ctx, is, report) })
	}
	if cs, ok := s.(ContainmentStore); ok {
		checks = append(checks, func(ctx context.Context, report func(ledger.Finding)) error { return checkContainment(ctx, cs, report) })
	}
	if cs, ok := s.(DeclarationStore); ok {
		checks = append(checks, func(ctx context.Context, report func(ledger.Finding)) error {
			return checkDeclarations(ctx, cs, report)
		})
	}
	if ls, ok := s.(LabelRowStore); ok {
		checks = append(checks, func(ctx context.Context, report func(ledger.Finding)) error { return checkLabels(ctx, ls, report) })
	}
	if ss, ok := s.(StateStore); ok {
		for _, k := range StateKinds {
			checks = append(checks, func(ctx context.Context, report func(ledger.Finding)) error { return checkStates(ctx, ss, k, report) })
		}
	}
	return checks
}

// checkLastSeen reports a tree that does not extend the node's last seen
// checkpoint, and returns that checkpoint (nil when there is none) so the
// ledger audit checks the re-derived records against it too.
func checkLastSeen(ctx context.Context, s Store, size int64, seen *ledger.LastSeen, report func(ledger.Finding)) (*ledger.Checkpoint, error) {
	cp, err := seen.Read()
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil, nil
	} else if err != nil {
		report(ledger.Finding{Kind: FindingLastSeen, Index: -1, Message: fmt.Sprintf("the data directory's last checkpoint: %v", err)})
		return nil, nil
	}
	if err := ledger.CheckTree(ctx, s, size, cp); tracegate.IsCode(err, tracegate.ECONFLICT) {
		report(ledger.Finding{Kind: FindingLastSeen, Index: cp.Size, Message: err.Error()})
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return cp, nil
}
