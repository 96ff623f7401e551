package label

import (
	"context"
	"time"

	"tracegate/epcis"
	"tracegate/ledger"
)

// Request is one label request: Count codes issued to an enterprise.
type Request struct {
	ID           int64     `json:"id"`
	EnterpriseID int64     `json:"enterpriseId"`
	Count        int       `json:"count"`
	Caption      string    `json:"caption"`
	LedgerIndex  int64     `json:"ledgerIndex"` // the first issuance leaf; -1 without a ledger
	CreatedAt    time.Time `json:"createdAt"`
}

// Issued is what the store keeps of one new label: never the code.
type Issued struct {
	Hash [32]byte // Code.Hash under the deployment's label key: the lookup key
	Seq  int      // its position in its request
}

// BindKind is what a Binding does.
type BindKind string

// The bindings: intake (入仓理货) binds labels to a product, dispatch (出仓)
// to an order and its waybill; each can be undone with a reason.
const (
	BindIntake     BindKind = "intake"
	BindDispatch   BindKind = "dispatch"
	UnbindIntake   BindKind = "unbind-intake"
	UnbindDispatch BindKind = "unbind-dispatch"
)

// Binding is one bulk binding by one enterprise, as the store applies it.
type Binding struct {
	Kind         BindKind
	EnterpriseID int64
	// Handles are the clients whose labels the binder may bind besides its
	// own (tracegate.Handling).
	Handles  []int64
	Hashes   [][32]byte // the labels, in request order (pointers /codes/i)
	EventIDs []string   // per label, the EPCIS event that records its binding
	At       time.Time  // when it happened (the events' time), as the caller says
	Now      time.Time  // when it is recorded: holds in force now refuse it

	// Intake.
	ProductID      int64
	GTIN           string
	Batch          string
	ProductionDate string // YYYY-MM-DD or ""
	ExpiryDate     string // YYYY-MM-DD or ""
	Warehouse      string // the bonded warehouse's name
	WarehouseID    int64  // its enterprise, when it is a tenant
	// Location is the intake warehouse's location identifier, canonical as
	// a selector's warehouse (tracegate.CanonicalLocation); "" when not
	// given.
	Location string

	// Refuse, when set, is asked by CheckBinding of every label that passes
	// the other checks (intake and dispatch only), with the label's state
	// and the GTIN and batch it is or is being bound to: a non-empty answer
	// refuses the label with that reason (the measure in force over it).
	Refuse func(st *State, gtin, batch string) string

	// Dispatch.
	EBPCode       string // the platform (电商平台) code of the order
	OrderNo       string
	LogisticsCode string
	WaybillNo     string
	// The order's consignee, from its declaration (for the recall scope).
	Consignee, ConsigneePhone, ConsigneeAddress string

	// Unbinding.
	Reason string
}

// State is what the store keeps of one label.
type State struct {
	Hash         [32]byte
	RequestID    int64
	Seq          int64 // position in its request
	IssuedTo     int64
	IssuedAt     time.Time
	IssuanceLeaf int64 // the ledger index of its issuance leaf; -1 when none

	ProductID      int64 // 0 while not bound at intake
	GTIN           string
	Batch          string
	ProductionDate string
	ExpiryDate     string
	Warehouse      string
	WarehouseID    int64
	Location       string // the intake warehouse's location identifier
	IntakeAt       time.Time
	IntakeEvent    string

	EBPCode       string
	OrderNo       string
	LogisticsCode string
	WaybillNo     string
	DispatchAt    time.Time // zero while not dispatched
	DispatchEvent string
}

// IssuanceLeafIndex is the ledger index of the issuance leaf of the label
// at position seq of a request whose first leaf is first (-1: none): one
// leaf per ledger.MaxItems labels, in request order.
func IssuanceLeafIndex(first, seq int64) int64 {
	if first < 0 {
		return -1
	}
	return first + seq/ledger.MaxItems
}

// Hold is a recall, stop-sale or risk notice on a product (GTIN), or on one
// of its batches. Recalls and stop-sales refuse binding; every hold shows on
// the scan page.
type Hold struct {
	ID        int64      `json:"id"`
	Kind      NoticeKind `json:"kind"`
	GTIN      string     `json:"gtin"`
	Batch     string     `json:"batch,omitempty"` // "" for every batch
	Text      string     `json:"text"`
	TextEN    string     `json:"textEn"`
	Since     time.Time  `json:"since"`
	Until     *time.Time `json:"until,omitempty"`
	CreatedBy int64      `json:"createdBy,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
}

// Blocks reports whether h refuses the binding of an item of batch at t.
func (h *Hold) Blocks(batch string, t time.Time) bool {
	return h.Kind != NoticeRiskNotice && h.Covers(batch, t)
}

// Covers reports whether h is in force for an item of batch at t.
func (h *Hold) Covers(batch string, t time.Time) bool {
	return (h.Batch == "" || h.Batch == batch) && !t.Before(h.Since) && (h.Until == nil || t.Before(*h.Until))
}

// ScanRecord is one scan to store.
type ScanRecord struct {
	Hash [32]byte
	Scan Scan
}

// Complaint is a consumer's report from a scan page: a risk signal.
type Complaint struct {
	ID        int64     `json:"id"`
	Hash      *[32]byte `json:"-"` // the label, when the page was a genuine label's
	GTIN      string    `json:"gtin,omitempty"`
	Batch     string    `json:"batch,omitempty"`
	Category  string    `json:"category"`
	Text      string    `json:"text"`
	Contact   string    `json:"contact,omitempty"`
	Photo     []byte    `json:"-"`
	PhotoType string    `json:"photoType,omitempty"`
	IPPrefix  string    `json:"-"`
	Device    string    `json:"device"`
	CreatedAt time.Time `json:"createdAt"`

	// Reference is given to the consumer once, when the complaint is filed
	// (NewComplaintReference); the store keeps only RefHash.
	Reference string   `json:"reference,omitempty"`
	RefHash   [32]byte `json:"-"`
	// OwnerID is the enterprise whose product it is (the filer of the
	// label's product); 0 when the code is not genuine or not bound.
	OwnerID   int64            `json:"ownerId,omitempty"`
	Status    ComplaintStatus  `json:"status"`
	PhotoSize int64            `json:"photoSize,omitempty"`
	UpdatedAt time.Time        `json:"updatedAt"`
	Replies   []ComplaintReply `json:"replies,omitempty"` // FindComplaint only
}

// IssuanceChunk is the part of one request that one issuance leaf commits
// to: up to ledger.MaxItems labels, in request order.
type IssuanceChunk struct {
	Request     *Request
	USCC        string
	Index       int // the chunk's position in its request
	LedgerIndex int64
	Commitments [][32]byte
}

// Store keeps labels, their bindings, holds, scans and complaints.
type Store interface {
	// IssueLabels stores req (setting its ID and LedgerIndex), its labels
	// (sorted by hash, so that a large request fills the key's B-tree in
	// order), the commitments of each chunk (32 bytes a label, in request
	// order) and appends leaves (one per chunk, or none without a ledger),
	// all in one transaction under the ledger's sequencer. It fails with
	// ECONFLICT when a hash is stored already (a repeated code).
	IssueLabels(ctx context.Context, req *Request, labels []Issued, chunks [][]byte, leaves [][]byte) error
	// LabelUpdate runs fn in one write transaction, committed when fn
	// returns nil and rolled back otherwise: Service binds labels in it.
	LabelUpdate(ctx context.Context, fn func(tx Tx) error) error
	// FindLabel returns the state of the label with hash, or ENOTFOUND.
	FindLabel(ctx context.Context, hash [32]byte) (*State, error)
	// RecordScans stores scans in one transaction.
	RecordScans(ctx context.Context, scans []ScanRecord) error
	// LabelScans returns the first limit scans of a label, oldest first, and
	// how many there are in all.
	LabelScans(ctx context.Context, hash [32]byte, limit int) ([]Scan, int, error)
	// CreateHold stores h, setting its ID and CreatedAt.
	CreateHold(ctx context.Context, h *Hold) error
	// Holds returns the holds on gtin (any batch), in force or not, oldest
	// first; every hold when gtin is "".
	Holds(ctx context.Context, gtin string) ([]Hold, error)
	// CreateComplaint stores c, setting its ID and CreatedAt.
	CreateComplaint(ctx context.Context, c *Complaint) error
	// Complaints returns the latest complaints, newest first.
	Complaints(ctx context.Context, limit int) ([]Complaint, error)
	// IssuanceChunks yields every issuance leaf's chunk in ledger order, for
	// the audit.
	IssuanceChunks(ctx context.Context, fn func(c *IssuanceChunk) error) error
}

// Tx is a write transaction of the label store: only SQL. The binding
// use-case (which labels may be bound, what refuses them) is Service's.
type Tx interface {
	// Labels returns the state of each label of hashes (nil for a hash
	// never issued), held until the transaction ends.
	Labels(ctx context.Context, hashes [][32]byte) ([]*State, error)
	// Holds returns the holds on gtin (any batch), oldest first.
	Holds(ctx context.Context, gtin string) ([]Hold, error)
	// ApplyBinding writes b (checked already) over the labels' states.
	ApplyBinding(ctx context.Context, b *Binding, states []*State) error
	// CaptureEvents writes events as one capture job of enterpriseID,
	// finished at once, with their ledger leaves when leaf is set.
	CaptureEvents(ctx context.Context, enterpriseID int64, leaf epcis.LeafFunc, events []*epcis.Record) error
}
