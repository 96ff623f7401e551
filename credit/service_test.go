package credit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tracegate"
)

// batchStore is a Store of n ungraded enterprises each with one recall,
// recording how changes are saved; batchErr fails SaveCreditChanges.
type batchStore struct {
	Store
	n        int
	batchErr error
	batches  []int
	singles  int
}

func (s *batchStore) CreditRecords(_ context.Context, _ time.Time, _ int, fn func(*Record) error) error {
	for i := range s.n {
		rec := &Record{EnterpriseID: int64(i + 1), USCC: fmt.Sprintf("U%d", i), Facts: []Fact{{Kind: KindGoodsHold, At: now, Ref: "hold:1"}}}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func (s *batchStore) SaveCreditChanges(_ context.Context, chs []*Change) error {
	if s.batchErr != nil {
		return s.batchErr
	}
	s.batches = append(s.batches, len(chs))
	return nil
}

func (s *batchStore) SaveCreditGrade(context.Context, string, float64, *Change) error {
	s.singles++
	return nil
}

type fixedClock struct{}

func (fixedClock) Now() time.Time { return now }

// TestRecomputeAllBatches: RecomputeAll stores the changes changeBatch at a
// time, the rest in a last batch; a batch refused as stale is stored one
// change at a time; another failure stops the run.
func TestRecomputeAllBatches(t *testing.T) {
	ctx := context.Background()
	s := &batchStore{n: 2*changeBatch + 7}
	n, err := NewService(s, nil, nil, fixedClock{}, nil).RecomputeAll(ctx)
	if err != nil || n != s.n || fmt.Sprint(s.batches) != fmt.Sprint([]int{changeBatch, changeBatch, 7}) || s.singles != 0 {
		t.Fatalf("RecomputeAll() = %d, %v; batches %v, singles %d", n, err, s.batches, s.singles)
	}
	s = &batchStore{n: 5, batchErr: tracegate.Errorf(tracegate.ECONFLICT, "stale")}
	if n, err := NewService(s, nil, nil, fixedClock{}, nil).RecomputeAll(ctx); err != nil || n != 5 || s.singles != 5 {
		t.Fatalf("RecomputeAll(stale batch) = %d, %v; singles %d, want 5 stored one by one", n, err, s.singles)
	}
	s = &batchStore{n: 5, batchErr: fmt.Errorf("disk full")}
	if _, err := NewService(s, nil, nil, fixedClock{}, nil).RecomputeAll(ctx); err == nil || s.singles != 0 {
		t.Fatalf("RecomputeAll(failing store) = %v; singles %d, want the error", err, s.singles)
	}
}
