package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/label"
	"tracegate/ledger"
)

// IndexedLeaf is a re-derived leaf and the ledger index its record names
// (-1 for a record that names none: it is reported as extra, after the
// others).
type IndexedLeaf struct {
	Index int64
	Leaf  []byte
}

// Source re-derives, in ledger order, the leaves of one kind of record.
type Source struct {
	Kind   ledger.Kind
	Leaves iter.Seq2[IndexedLeaf, error]
}

// Sources returns one Source per kind of record s keeps: a new kind of
// ledgered record is one more entry here.
func Sources(ctx context.Context, s Store, c *ledger.Committer) []Source {
	srcs := []Source{{ledger.KindEPCISEvent, func(yield func(IndexedLeaf, error) bool) { eventLeaves(ctx, s, c, yield) }}}
	if cs, ok := s.(customsStore); ok {
		srcs = append(srcs, Source{ledger.KindCustomsDecision, customsLeaves(ctx, cs)})
	}
	if ls, ok := s.(labelStore); ok {
		srcs = append(srcs, Source{ledger.KindLabelIssuance, labelLeaves(ctx, ls)})
	}
	if ss, ok := s.(StateStore); ok {
		for _, k := range StateKinds {
			srcs = append(srcs, Source{k, stateLeaves(ctx, ss, k)})
		}
	}
	srcs = append(srcs, Source{ledger.KindCreditLevel, creditChangeLeaves(ctx, s)},
		Source{ledger.KindCreditBlacklist, creditEditionLeaves(ctx, s)},
		Source{ledger.KindRiskMeasure, measureLeaves(ctx, s)})
	if rs, ok := s.(riskStore); ok {
		srcs = append(srcs, Source{ledger.KindRiskWarning, riskWarningLeaves(ctx, rs)})
	}
	if rs, ok := s.(riskLabStore); ok {
		srcs = append(srcs, Source{ledger.KindRiskLabResult, riskLabLeaves(ctx, rs)})
	}
	return srcs
}

// eventLeaves yields the re-derived leaf of every EPCIS event.
func eventLeaves(ctx context.Context, s Store, c *ledger.Committer, yield func(IndexedLeaf, error) bool) {
	usccs := map[int64]string{}
	err := s.LedgerRecords(ctx, func(r *epcis.Record) error {
		leaf, err := deriveLeaf(ctx, s, c, usccs, r)
		if err != nil {
			// A record that no longer decodes is a finding, not a failure:
			// give the audit a leaf that cannot match.
			leaf = []byte(fmt.Sprintf("undecodable record %d: %v", r.Seq, err))
		}
		if !yield(IndexedLeaf{r.LedgerIndex, leaf}, nil) {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		yield(IndexedLeaf{}, err)
	}
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

// customsLeaves yields the re-derived leaf of every customs decision.
func customsLeaves(ctx context.Context, cs customsStore) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		err := cs.CustomsLedgerRecords(ctx, func(d *customs.DecisionRecord) error {
			leaf, err := customs.DecisionLeaf(d)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable customs decision at %d: %v", d.LedgerIndex, err))
			}
			if !yield(IndexedLeaf{d.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(IndexedLeaf{}, err)
		}
	}
}

// labelStore is implemented by stores that keep labels.
type labelStore interface {
	IssuanceChunks(ctx context.Context, fn func(c *label.IssuanceChunk) error) error
}

// labelLeaves yields the re-derived leaf of every label issuance chunk.
func labelLeaves(ctx context.Context, ls labelStore) iter.Seq2[IndexedLeaf, error] {
	return func(yield func(IndexedLeaf, error) bool) {
		err := ls.IssuanceChunks(ctx, func(c *label.IssuanceChunk) error {
			leaf, err := label.IssuanceLeaf(c)
			if err != nil {
				leaf = []byte(fmt.Sprintf("undecodable label issuance at %d: %v", c.LedgerIndex, err))
			}
			if !yield(IndexedLeaf{c.LedgerIndex, leaf}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(IndexedLeaf{}, err)
		}
	}
}

// mergeSources merges the sources, each in ledger order, into the one
// stream of leaves the log holds; records that name no index come last.
func mergeSources(ctx context.Context, srcs []Source) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		type head struct {
			next func() (IndexedLeaf, error, bool)
			cur  IndexedLeaf
			ok   bool
		}
		heads := make([]*head, len(srcs))
		for i, src := range srcs {
			next, stop := iter.Pull2(src.Leaves)
			defer stop()
			h := &head{next: next}
			var err error
			if h.cur, err, h.ok = next(); err != nil {
				yield(nil, err)
				return
			}
			heads[i] = h
		}
		order := func(i int64) uint64 { return uint64(i) } // -1 sorts last
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			var best *head
			for _, h := range heads {
				if h.ok && (best == nil || order(h.cur.Index) < order(best.cur.Index)) {
					best = h
				}
			}
			if best == nil {
				return
			}
			if !yield(best.cur.Leaf, nil) {
				return
			}
			var err error
			if best.cur, err, best.ok = best.next(); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}
