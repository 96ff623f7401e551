package risk

import (
	"context"
	"time"
)

// SignalFilter selects signals: those scored on Subject (zero: any), of
// Kind ("" any), newest first below the cursor BeforeID (0: from the newest).
type SignalFilter struct {
	Subject  Subject
	Kind     Kind
	AuthorID int64 // only this author's; 0 for any
	BeforeID int64
	Limit    int
}

// WarningFilter selects warnings, newest first.
type WarningFilter struct {
	Status   WarningStatus // "" any
	Subject  Subject       // zero: any
	BeforeID int64
	Limit    int
}

// Store is what risk reads and writes; both stores implement it through
// store/internal/risksql and pass store/storetest's Risk suite.
type Store interface {
	LabStore
	// AddRiskSignals stores sigs (validated) in one transaction, dated by
	// it: each is scored on its subjects (Subjects, from its selector and
	// the filings of its GTIN, set on it), the subjects' aggregates updated
	// under cfg, and a warning opened or raised (a ledger leaf each, signed
	// by monitor) for every subject rising into notice or above. It returns
	// the subjects moved. It fails as a whole: ECONFLICT for a signal whose
	// author already stated its Ref.
	AddRiskSignals(ctx context.Context, sigs []*Signal, cfg *Config, monitor string) ([]Change, error)
	// RiskSignal returns the signal id with its attachments' metadata, or
	// ENOTFOUND.
	RiskSignal(ctx context.Context, id int64) (*Signal, error)
	// RiskSignals lists signals by f, with subjects, without attachment data.
	RiskSignals(ctx context.Context, f SignalFilter) ([]Signal, error)
	// RiskAttachment returns an attachment with its data and the signal it
	// belongs to, or ENOTFOUND.
	RiskAttachment(ctx context.Context, id int64) (*Attachment, int64, error)
	// RiskAggregate returns the aggregate of s with its limit heaviest
	// contributions, or ENOTFOUND when no signal scores it.
	RiskAggregate(ctx context.Context, s Subject, limit int) (*Aggregate, error)
	// RiskAggregates returns the limit heaviest subjects of kind ("" any),
	// each with its perSubject heaviest contributions.
	RiskAggregates(ctx context.Context, kind SubjectKind, limit, perSubject int) ([]Aggregate, error)
	// RiskHeavy returns the log sums of the subjects of kind whose log sum
	// is at least min (customs' lookups).
	RiskHeavy(ctx context.Context, kind SubjectKind, min float64) (map[string]float64, error)
	// RescoreRisk recomputes every contribution and aggregate under cfg
	// and stores cfg as the configuration in force, in one transaction.
	RescoreRisk(ctx context.Context, cfg *Config) error
	// RiskConfig returns the stored configuration, nil when none was ever
	// stored (the default applies).
	RiskConfig(ctx context.Context) ([]byte, error)
	// RiskWarning returns warning id with its history, or ENOTFOUND.
	RiskWarning(ctx context.Context, id int64) (*Warning, error)
	// RiskWarnings lists warnings by f (without history).
	RiskWarnings(ctx context.Context, f WarningFilter) ([]Warning, error)
	// DecideRiskWarning closes the open warning id as status (confirmed or
	// dismissed) with reason and measure, by the regulator by, with its
	// ledger leaf. It fails with ENOTFOUND, or ECONFLICT when it is not open.
	DecideRiskWarning(ctx context.Context, id int64, status WarningStatus, reason, measure, by string) (*Warning, error)
	// RiskWarningLedgerRecords yields every warning step in ledger order.
	RiskWarningLedgerRecords(ctx context.Context, fn func(e *WarningEvent) error) error
	// RiskFilings returns the filings of gtin (14 digits).
	RiskFilings(ctx context.Context, gtin string) ([]GoodsFiling, error)
	// RiskStock answers the stock search.
	RiskStock(ctx context.Context, f StockFilter) (*Stock, error)
	// PendingComplaintSignals returns up to limit scan-page complaints not
	// yet made signals, oldest first, as complaint signals (Ref
	// complaint:ID, Source the consumer's network).
	PendingComplaintSignals(ctx context.Context, limit int) ([]*Signal, error)
	// RiskOverview gathers the overview since.
	RiskOverview(ctx context.Context, since, now time.Time, cfg *Config) (*Overview, error)
}

// LabOrderFilter selects lab orders, newest first.
type LabOrderFilter struct {
	// Party, when not 0, keeps the orders the enterprise placed or is the
	// lab of.
	Party    int64
	Status   LabStatus // "" any
	GTIN     string    // "" any
	Batch    string    // with GTIN; "" any
	BeforeID int64
	Limit    int
}

// LabStore keeps lab orders, their results and the platforms' pre-listing
// setting; part of Store.
type LabStore interface {
	// AddRiskLabOrder stores o (validated; LabID unset), setting ID, LabID,
	// Status and CreatedAt. It fails with EINVALID at /lab when o.Lab is
	// not an enterprise of role lab.
	AddRiskLabOrder(ctx context.Context, o *LabOrder) error
	// RiskLabOrder returns order id with its results (reports without
	// data), or ENOTFOUND.
	RiskLabOrder(ctx context.Context, id int64) (*LabOrder, error)
	// RiskLabOrders lists orders by f, without results.
	RiskLabOrders(ctx context.Context, f LabOrderFilter) ([]LabOrder, error)
	// RecordRiskLabResults stores the results rs (checked) of order o in
	// one transaction dated by it: each result with its report and ledger
	// leaf (LabResultLeaf), the lab_test signal of each failed one
	// (LabSignal, scored and warned as AddRiskSignals does under cfg and
	// monitor), and the order's status once every test has a result. It
	// returns the subjects moved; ECONFLICT when a test was reported
	// meanwhile.
	RecordRiskLabResults(ctx context.Context, o *LabOrder, rs []*LabResult, cfg *Config, monitor string) ([]Change, error)
	// RiskLabReport returns the report attachment id of a result of order,
	// with its data, or ENOTFOUND.
	RiskLabReport(ctx context.Context, order, id int64) (*Attachment, error)
	// RiskLabResultLedgerRecords yields every result in ledger order with
	// its order's GTIN and batch.
	RiskLabResultLedgerRecords(ctx context.Context, fn func(r *LabResult, gtin, batch string) error) error
	// SetRiskPreListing stores whether the platform enterprise requires a
	// passed pre-listing inspection before dispatch.
	SetRiskPreListing(ctx context.Context, enterprise int64, required bool) error
	// RiskPreListing returns the platform's setting (false when never set).
	RiskPreListing(ctx context.Context, enterprise int64) (bool, error)
	// RiskPreListingByCode returns the USCC of the enterprise whose
	// confirmed customs code is code and its setting; "" and false when no
	// enterprise has it confirmed.
	RiskPreListingByCode(ctx context.Context, code string) (string, bool, error)
	// RiskLotInspection returns the status of the latest pre-listing order
	// of the batch that has been reported (passed or failed), "" when none.
	RiskLotInspection(ctx context.Context, gtin, batch string) (LabStatus, error)
}
