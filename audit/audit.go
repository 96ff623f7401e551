// Package audit checks the tamper-evident ledger against the database: it
// re-derives every leaf from the stored records (EPCIS events, customs
// decisions, label issuances; risk records as they join the ledger), and lets package
// ledger compare them with the stored tree and the signed checkpoints. It is
// what `tracegate audit` runs.
package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
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

// FindingCheckpointSignature is a stored checkpoint whose signature does not
// verify with the log's key.
const FindingCheckpointSignature ledger.FindingKind = "checkpoint-signature"

var errStop = errors.New("audit: stopped")

// Run audits the ledger. It fails only when the database cannot be read.
func Run(ctx context.Context, s Store, c *ledger.Committer, verifiers note.Verifiers) ([]ledger.Finding, error) {
	size, err := s.LedgerSize(ctx)
	if err != nil {
		return nil, err
	}
	var findings []ledger.Finding
	var cps []*ledger.Checkpoint
	signed, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	for _, n := range signed {
		cp, err := ledger.ParseCheckpoint(n, verifiers)
		if err != nil {
			findings = append(findings, ledger.Finding{Kind: FindingCheckpointSignature, Index: -1,
				Message: fmt.Sprintf("a stored checkpoint does not verify with the log's key: %v", err)})
			continue
		}
		cps = append(cps, cp)
	}
	usccs := map[int64]string{}
	leaves := func(yield func([]byte, error) bool) {
		// Customs decisions and label issuances (when the store keeps them)
		// are merged in by ledger index: the log interleaves every kind of
		// record.
		nextCustoms, stopCustoms := iter.Pull2(mergeLeaves(mergeLeaves(customsLeaves(ctx, s), labelLeaves(ctx, s)), creditLeaves(ctx, s)))
		defer stopCustoms()
		cIdx, cLeaf, cErr, cOK := nextIndexedLeaf(nextCustoms)
		flush := func(before int64) error {
			for cOK && (before < 0 || cIdx < before) {
				if cErr != nil {
					return cErr
				}
				if !yield(cLeaf, nil) {
					return errStop
				}
				cIdx, cLeaf, cErr, cOK = nextIndexedLeaf(nextCustoms)
			}
			return nil
		}
		err := s.LedgerRecords(ctx, func(r *epcis.Record) error {
			if err := flush(r.LedgerIndex); err != nil {
				return err
			}
			leaf, err := deriveLeaf(ctx, s, c, usccs, r)
			if err != nil {
				// A record that no longer decodes is a finding, not a failure:
				// give the audit a leaf that cannot match.
				leaf = []byte(fmt.Sprintf("undecodable record %d: %v", r.Seq, err))
			}
			if !yield(leaf, nil) {
				return errStop
			}
			return nil
		})
		if err == nil {
			err = flush(-1)
		}
		if err != nil && !errors.Is(err, errStop) {
			yield(nil, err)
		}
	}
	more, err := ledger.Audit(ctx, ledger.AuditInput{Hashes: s, Size: size, Leaves: iter.Seq2[[]byte, error](leaves), Checkpoints: cps})
	if err != nil {
		return nil, err
	}
	return append(findings, more...), nil
}

// deriveLeaf recomputes a record's leaf from its stored body: the event
// hash is computed afresh, never read from the hash column.
func deriveLeaf(ctx context.Context, s Store, c *ledger.Committer, usccs map[int64]string, r *epcis.Record) ([]byte, error) {
	e, err := epcis.DecodeEvent(r.Body)
	if err != nil {
		return nil, err
	}
	uscc, ok := usccs[r.EnterpriseID]
	if !ok {
		ent, err := s.FindEnterprise(ctx, r.EnterpriseID)
		if err != nil {
			return nil, err
		}
		uscc = ent.USCC
		usccs[r.EnterpriseID] = uscc
	}
	rec := epcis.NewRecord(e, r.EnterpriseID)
	rec.RecordTime = r.RecordTime
	return epcis.LedgerLeaf(c, rec, uscc)
}

// customsStore is implemented by stores that keep customs decisions.
type customsStore interface {
	CustomsLedgerRecords(ctx context.Context, fn func(d *customs.DecisionRecord) error) error
}

// customsLeaves yields (ledger index, re-derived leaf) of every customs
// decision, in ledger order; nothing when s keeps none.
func customsLeaves(ctx context.Context, s Store) iter.Seq2[indexedLeaf, error] {
	return func(yield func(indexedLeaf, error) bool) {
		cs, ok := s.(customsStore)
		if !ok {
			return
		}
		err := cs.CustomsLedgerRecords(ctx, func(d *customs.DecisionRecord) error {
			leaf, err := customs.DecisionLeaf(d)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable customs decision at %d: %v", d.LedgerIndex, err))
			}
			if !yield(indexedLeaf{d.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(indexedLeaf{}, err)
		}
	}
}

// labelStore is implemented by stores that keep labels.
type labelStore interface {
	IssuanceChunks(ctx context.Context, fn func(c *label.IssuanceChunk) error) error
}

// labelLeaves yields (ledger index, re-derived leaf) of every label
// issuance chunk, in ledger order; nothing when s keeps no labels.
func labelLeaves(ctx context.Context, s Store) iter.Seq2[indexedLeaf, error] {
	return func(yield func(indexedLeaf, error) bool) {
		ls, ok := s.(labelStore)
		if !ok {
			return
		}
		err := ls.IssuanceChunks(ctx, func(c *label.IssuanceChunk) error {
			leaf, err := label.IssuanceLeaf(c)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable label issuance at %d: %v", c.LedgerIndex, err))
			}
			if !yield(indexedLeaf{c.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(indexedLeaf{}, err)
		}
	}
}

// mergeLeaves merges two streams ordered by ledger index into one.
func mergeLeaves(a, b iter.Seq2[indexedLeaf, error]) iter.Seq2[indexedLeaf, error] {
	return func(yield func(indexedLeaf, error) bool) {
		nextA, stopA := iter.Pull2(a)
		defer stopA()
		nextB, stopB := iter.Pull2(b)
		defer stopB()
		la, ea, okA := nextA()
		lb, eb, okB := nextB()
		for okA || okB {
			switch {
			case okA && ea != nil:
				yield(indexedLeaf{}, ea)
				return
			case okB && eb != nil:
				yield(indexedLeaf{}, eb)
				return
			case okA && (!okB || la.idx <= lb.idx):
				if !yield(la, nil) {
					return
				}
				la, ea, okA = nextA()
			default:
				if !yield(lb, nil) {
					return
				}
				lb, eb, okB = nextB()
			}
		}
	}
}

type indexedLeaf struct {
	idx  int64
	leaf []byte
}

func nextIndexedLeaf(next func() (indexedLeaf, error, bool)) (int64, []byte, error, bool) {
	l, err, ok := next()
	return l.idx, l.leaf, err, ok
}
