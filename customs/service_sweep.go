package customs

import (
	"context"
	"errors"
	"time"
)

// Sweep re-screens the waiting declarations whose match timed out at now,
// so that they are refused (three_docs.timeout) and the refusal is in the
// ledger. It returns how many it re-screened; a declaration that fails is
// skipped and its error joined to the others returned.
func (s *Service) Sweep(ctx context.Context, now time.Time, from Sender) (int, error) {
	recs, err := s.store.CustomsWaiting(ctx, now.Add(-s.timeout), 1000)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, r := range recs {
		err := s.store.CustomsUpdate(ctx, func(tx StoreTx) error {
			rec, err := tx.FindDeclaration(ctx, r.State.keyOf())
			if err != nil {
				return err
			}
			if rec.Inventory == nil || rec.Decision == nil || rec.Decision.Status != OutcomeWaiting || !rec.State.TimedOut(tx.Now(), s.timeout) {
				return nil
			}
			deps, err := s.screeningDeps(ctx, tx)
			if err != nil {
				return err
			}
			if err := s.decide(ctx, tx, deps, rec, from.USCC); err != nil {
				return err
			}
			n++
			return tx.SaveDeclaration(ctx, rec)
		})
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

func (s *MatchState) keyOf() MatchKey {
	return MatchKey{EbpCode: s.EbpCode, OrderNo: s.OrderNo, LogisticsCode: s.LogisticsCode, LogisticsNo: s.LogisticsNo}
}
