package risk

import (
	"context"
	"time"

	"tracegate/customs"
)

// AnalyticsStore is what barcode analytics reads and writes.
// store/sqlite and store/postgres implement it; store/storetest holds its
// conformance tests.
type AnalyticsStore interface {
	// ScanDeclaredLines calls fn with every declared line in GTIN order
	// (one sequential read, no query per GTIN), or with the lines of gtins
	// only when gtins is not nil. fn's *Line is reused between calls.
	ScanDeclaredLines(ctx context.Context, gtins []int64, fn func(*Line) error) error
	// DeclaredLineStats returns how many lines are stored and the largest
	// seq (ledger index of the decision that wrote a line), -1 for none.
	DeclaredLineStats(ctx context.Context) (lines, maxSeq int64, err error)
	// TouchedGTINs returns the GTINs of the lines written after seq
	// position and of the product filings changed since since, and the
	// largest seq among those lines (position when none).
	TouchedGTINs(ctx context.Context, position int64, since time.Time) ([]int64, int64, error)
	// ApprovedFilings returns the approved product filings by GTIN (of
	// gtins only when not nil).
	ApprovedFilings(ctx context.Context, gtins []int64) (map[string][]Filing, error)
	// DeclarationHeads returns the (ebpCode, orderNo) of declarations.
	DeclarationHeads(ctx context.Context, ids []int64) (map[int64][2]string, error)
	// SpecTexts returns the gmodel texts of spec hashes.
	SpecTexts(ctx context.Context, hashes []int64) (map[int64]string, error)
	// AnalyticsState returns the position and time of the last run (-1 and
	// the zero time before the first).
	AnalyticsState(ctx context.Context) (position int64, ranAt time.Time, err error)
	// SaveFindings stores the findings of a run in one transaction: every
	// finding replaced when u.Full, else those of u.GTINs; a finding keeps
	// its ID (and the credit entries their ref) while its Key is found
	// again. It stores u.Position and u.At as the state.
	SaveFindings(ctx context.Context, u FindingsUpdate) error
	// Findings lists stored findings (FindingFilter), in ID order.
	Findings(ctx context.Context, f FindingFilter) ([]Finding, error)
	// CustomsTables returns the customs tables in force (the tariff gives
	// the shortfall's rates).
	CustomsTables(ctx context.Context) ([]*customs.TableVersion, error)
}

// FindingsUpdate is what one run stores.
type FindingsUpdate struct {
	Full     bool
	GTINs    []int64 // the GTINs recomputed, when not Full
	Findings []Finding
	Position int64
	At       time.Time
}

// FindingFilter selects findings: of Kind and GTIN when set; Party > 0
// keeps those whose parties include that enterprise; after an ID; at most
// Limit (0 means 100).
type FindingFilter struct {
	Kind  FindingKind
	GTIN  string
	Party int64
	After int64
	Limit int
}
