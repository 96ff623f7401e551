package customs

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// BatchResult is what became of one message of IntakeBatch: its result,
// or the error that refused it (as Intake would have).
type BatchResult struct {
	Result *IntakeResult
	Err    error
}

// IntakeBatch takes messages as Intake does, each with the same checks,
// but parses and validates them on every core first and then processes
// them all in one transaction: one commit, one ledger append and one
// lookup of the tables for the batch (the path of `tracegate customs
// import`). Messages are processed in the order given, so a document sees
// the partners sent before it. When any message is refused inside the
// transaction, nothing of the batch is kept and each message is then taken
// alone, so that every message is stored or refused exactly as Intake would
// have done it, and none is half-stored. A result is only returned once its
// transaction has committed. out[i] answers bodies[i].
func (s *Service) IntakeBatch(ctx context.Context, from Sender, bodies [][]byte) []BatchResult {
	out := make([]BatchResult, len(bodies))
	msgs := make([]Message, len(bodies))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(bodies)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(bodies); i = int(next.Add(1) - 1) {
				msgs[i], out[i].Err = s.check(from, bodies[i])
			}
		})
	}
	wg.Wait()
	var todo []int
	for i := range bodies {
		if out[i].Err == nil {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return out
	}
	err := s.store.CustomsUpdate(ctx, func(tx StoreTx) error {
		deps, err := s.screeningDeps(ctx, tx)
		if err != nil {
			return err
		}
		for _, i := range todo {
			if out[i].Result, err = s.apply(ctx, tx, deps, from, msgs[i], bodies[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(todo) == 1 {
		if err != nil {
			out[todo[0]] = BatchResult{Err: s.refusal(msgs[todo[0]], err)}
		}
		return out
	}
	// Something was refused (or the commit failed): nothing was kept; take
	// each message in its own transaction.
	for _, i := range todo {
		res, err := s.intakeChecked(ctx, from, msgs[i], bodies[i])
		out[i] = BatchResult{Result: res, Err: err}
	}
	return out
}
