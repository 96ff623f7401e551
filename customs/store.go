package customs

import (
	"context"
	"time"
)

// Store keeps what the customs intake needs between messages: the messages
// received, one record per declaration (its match state, documents and
// latest decision), the decisions committed to the ledger, the buyers'
// quota uses by BuyerKey, the regulator's tables and the review queue.
// store/sqlite and store/postgres implement it; store/storetest holds its
// conformance tests.
type Store interface {
	// CustomsUpdate runs fn in one write transaction and commits when fn
	// returns nil; nothing fn wrote is kept otherwise. The transaction holds
	// the ledger's sequencer (SQLite's single writer, PostgreSQL's advisory
	// lock), so the leaves of AppendLeaf are appended in commit order.
	CustomsUpdate(ctx context.Context, fn func(tx StoreTx) error) error
	// SaveCustomsTable stores a new version of a table; the latest version
	// of each kind is the one in force.
	SaveCustomsTable(ctx context.Context, t *TableVersion) error
	// CustomsTables returns the latest version of each kind, CSV included.
	CustomsTables(ctx context.Context) ([]*TableVersion, error)
	// FindCustomsDeclaration returns the declaration of (ebpCode, orderNo),
	// or ENOTFOUND.
	FindCustomsDeclaration(ctx context.Context, ebpCode, orderNo string) (*DeclarationRecord, error)
	// CustomsReviews returns the declarations whose review is open, oldest
	// decision first, at most limit (0 means 100).
	CustomsReviews(ctx context.Context, limit int) ([]*DeclarationRecord, error)
	// CustomsWaiting returns declarations whose latest decision is waiting
	// and whose first document arrived before before (timeout sweep).
	CustomsWaiting(ctx context.Context, before time.Time, limit int) ([]*DeclarationRecord, error)
	// CustomsLedgerRecords calls fn with every stored decision in ledger
	// order: what an audit re-derives the customs leaves from (DecisionLeaf).
	CustomsLedgerRecords(ctx context.Context, fn func(d *DecisionRecord) error) error
	// AddQuotaUses stores quota uses in one transaction with a prepared
	// statement (the bulk path of imports and benchmarks).
	AddQuotaUses(ctx context.Context, uses []QuotaRecord) error
}

// StoreTx is the customs part of one write transaction.
type StoreTx interface {
	// Now is the time of the write.
	Now() time.Time
	// SaveMessage stores a received message; ECONFLICT when a message of
	// its type with its GUID is stored already.
	SaveMessage(ctx context.Context, m *StoredMessage) error
	// FindDeclaration returns the declaration a document with key belongs
	// to: by (EbpCode, OrderNo) — a record still without platform matches
	// too — or, for a waybill (no EbpCode), by OrderNo and LogisticsNo.
	// It fails with ENOTFOUND when there is none.
	FindDeclaration(ctx context.Context, key MatchKey) (*DeclarationRecord, error)
	// DeclarationByID returns the declaration with id, or ENOTFOUND.
	DeclarationByID(ctx context.Context, id int64) (*DeclarationRecord, error)
	// SaveDeclaration inserts d (ID 0, set on return) or updates it.
	SaveDeclaration(ctx context.Context, d *DeclarationRecord) error
	// SaveDecision adds a decision to the history of its declaration.
	SaveDecision(ctx context.Context, d *DecisionRecord) error
	// SaveDeclaredLines replaces the declared lines of a declaration (the
	// projection barcode analytics scans), seq being the ledger index of
	// the decision they come with and uscc the declaring enterprise.
	SaveDeclaredLines(ctx context.Context, declarationID, seq int64, uscc string, lines []DeclaredLine) error
	// FindByWaybill returns the declaration of a waybill (LogisticsNo, and
	// LogisticsCode when given), or ENOTFOUND.
	FindByWaybill(ctx context.Context, logisticsCode, logisticsNo string) (*DeclarationRecord, error)
	// QuotaUsed sums the quota uses and refunds of buyerKey in year,
	// those of declaration exceptID excluded; never below 0.
	QuotaUsed(ctx context.Context, buyerKey string, year int, exceptID int64) (Money, error)
	// QuotaUses returns the uses and refunds recorded for a declaration.
	QuotaUses(ctx context.Context, declarationID int64) ([]QuotaRecord, error)
	// SetQuotaUse replaces the use (not the refunds) of u.DeclarationID by
	// u, its Value raised to what the declaration's refunds gave back so
	// that the declaration never counts below zero (a refused declaration,
	// Value 0, then counts exactly 0); a resulting zero removes the use.
	SetQuotaUse(ctx context.Context, u QuotaRecord) error
	// AddQuotaRefund adds a refund (a negative Value).
	AddQuotaRefund(ctx context.Context, u QuotaRecord) error
	// Filed reports, for each item, whether an approved product filing exists whose
	// GTIN (items[i].GTIN, 14 digits) or item record number is the item's
	// and non-empty; the other fields are not compared.
	Filed(ctx context.Context, items []FilingKey) ([]bool, error)
	// TableIDs returns the ID of the latest version of each table kind.
	TableIDs(ctx context.Context) (map[string]int64, error)
	// AppendLeaf adds an encoded ledger leaf and returns its index; the
	// tree's hashes are written before the commit.
	AppendLeaf(ctx context.Context, leaf []byte) (int64, error)
}

// StoredMessage is one received CEB message, kept as received.
type StoredMessage struct {
	GUID       string
	Type       string // "CEB621Message"
	SenderID   int64  // the enterprise that sent it; 0 for an import
	SenderUSCC string // the sender's USCC (the import's --uscc), for its ledger leaf
	ReceivedAt time.Time
	Body       []byte // the XML as received (DXP envelope unwrapped or not)
}

// DeclarationRecord is the stored state of one declaration (one order):
// which documents arrived (State), the documents themselves (as the JSON
// of their types), and the latest decision.
type DeclarationRecord struct {
	ID    int64
	State MatchState
	// GUIDs of the messages that brought each document.
	OrderGUID, PaymentGUID, WaybillGUID, InventoryGUID string
	// Documents as JSON of Order, PaymentHead, LogisticsHead, Inventory;
	// nil when not arrived.
	Order, Payment, Waybill, Inventory []byte
	BuyerKey                           string // BuyerKey of the inventory's buyer; "" before it
	QuotaYear                          int    // the calendar year the declaration counts in
	// Decision is the latest decision, nil before the inventory arrived.
	Decision    *Decision
	DecidedAt   time.Time
	ContentHash string // of the latest decision (ledger leaf hash line)
	LedgerIndex int64  // of the latest decision's leaf, -1 for none
	// USCC is the enterprise the declaration's ledger leaves name: its
	// ebcCode when that is a USCC, else the first sender's.
	USCC string
	// Senders are the enterprises that sent the declaration's documents.
	Senders []int64
	// Review is "open" while a review decision waits for an officer.
	Review    string
	UpdatedAt time.Time

	// decoded holds documents this process already has as values (the one
	// just received), so that documents need not decode their JSON again.
	decoded Documents
}

// DecisionRecord is one decision in the history (and the ledger): the
// first-line screening of goods entering the zone, or a second-line
// screening of the declaration.
type DecisionRecord struct {
	DeclarationID int64
	Line          Checkpoint
	Decision      Decision
	// ContentHash is DecisionContentHash(Decision, GUIDs).
	ContentHash string
	GUIDs       []string
	USCC        string // of the ledger leaf
	LedgerIndex int64
	DecidedAt   time.Time
}

// Review states.
const (
	ReviewOpen = "open"
)

// QuotaRecord is one use (positive) or refund (negative) of a buyer's
// annual quota, attached to a declaration.
type QuotaRecord struct {
	BuyerKey      string
	Year          int
	DeclarationID int64
	Value         Money
	At            time.Time
}

// Table kinds the regulator loads.
const (
	TablePositiveList = "positive-list"
	TableTariff       = "tariff"
	TableProhibited   = "prohibited"
	TableBarcodeRisk  = "barcode-risk"
	TableHSRisk       = "hs-risk"
)

// TableKinds lists the table kinds in the order they are shown.
var TableKinds = []string{TablePositiveList, TableTariff, TableProhibited, TableBarcodeRisk, TableHSRisk}

// TableVersion is one load of a table: the CSV as loaded, checked.
type TableVersion struct {
	ID       int64     `json:"id"`
	Kind     string    `json:"kind"`
	Rows     int       `json:"rows"`
	LoadedAt time.Time `json:"loadedAt"`
	CSV      string    `json:"-"`
}
