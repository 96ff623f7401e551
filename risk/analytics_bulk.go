package risk

import (
	"context"
	"time"

	"tracegate"
)

// GeneratedDeclaration is a declaration head that a benchmark generator
// (tracegate gen declarations) writes straight into the store.
type GeneratedDeclaration struct {
	ID               int64
	EbpCode, OrderNo string
	USCC             string
	DeclaredAt       time.Time
}

// BulkLoader loads generated benchmark data straight into the store,
// bypassing the intake: declaration heads without documents, decisions or
// ledger leaves, their declared lines, and approved filings without their
// ledgered states. For benchmark stores only: an
// audit of such a store reports the declarations it cannot re-derive.
type BulkLoader interface {
	// LoadGeneratedLines calls fill with a writer; rows are written in
	// batches (fastest when the lines come in GTIN order), the indexes
	// rebuilt at the end. It fails with the store's errors; the batches
	// written before stay.
	LoadGeneratedLines(ctx context.Context, fill func(w BulkWriter) error) error
}

// BulkWriter takes generated rows.
type BulkWriter interface {
	// FirstDeclarationID is the first declaration ID not taken.
	FirstDeclarationID() int64
	Declaration(d GeneratedDeclaration) error
	// Line takes a line (Line.DeclarationID set) with its gnum.
	Line(l Line, gnum int) error
	Spec(hash int64, gmodel string) error
	// Filing takes an approved product filing (p.Status approved, its
	// filing number set), written without its ledgered state.
	Filing(p *tracegate.Product) error
}
