package customs

import "context"

// CreditThrough is a CreditLevels that maps customs codes to the
// enterprises holding them (whose level a code has) with a lookup the
// caller gives, instead of a store of its own: screening gives its own
// transaction, which holds the ledger's lock, so no lookup waits for a
// connection of the pool that other intakes hold (credit.Levels implements
// it).
type CreditThrough interface {
	CreditLevels
	// Through returns the levels answering codes by owner (the USCC holding
	// a code confirmed, "" for none). The result's Err, when it has one,
	// reports the first failed lookup.
	Through(owner func(code string) (uscc string, err error)) CreditLevels
}

// creditThrough binds deps' credit levels to tx's lookups of code holders.
func creditThrough(ctx context.Context, tx StoreTx, deps ScreeningDeps) ScreeningDeps {
	if t, ok := deps.Credit.(CreditThrough); ok {
		deps.Credit = t.Through(func(code string) (string, error) { return tx.CodeOwner(ctx, code) })
	}
	return deps
}

// creditErr returns the first failed lookup of deps' credit levels made
// through the transaction: a decision screened without it would grade a
// known enterprise as unknown, so the transaction fails instead.
func creditErr(deps ScreeningDeps) error {
	if e, ok := deps.Credit.(interface{ Err() error }); ok {
		return e.Err()
	}
	return nil
}
