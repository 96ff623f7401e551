package customs

import (
	"sync"
	"time"

	"tracegate"
)

// DefaultMatchTimeout is how long the three-document match waits for a
// partner document after the first one arrived.
const DefaultMatchTimeout = 24 * time.Hour

// ServiceConfig configures NewService.
type ServiceConfig struct {
	// Secret keys BuyerKey; at least 32 random bytes kept out of the
	// database (the data directory's customs.secret).
	Secret []byte
	// MatchTimeout is the three-document wait; 0 means DefaultMatchTimeout.
	MatchTimeout time.Duration
	// Credit gives enterprises' credit levels; nil until the credit work
	// provides them, which skips the credit rule (no level is faked).
	Credit CreditLevels
	// Barcodes and HSRisk, when set, are asked beside the loaded
	// barcode-risk and hs-risk tables (the risk package's assessment
	// implements both); their tags add to the tables'.
	Barcodes BarcodeRisk
	HSRisk   HSRisk
	// Clock dates the refusal receipts of messages refused before their
	// transaction; nil means tracegate.SystemClock. Everything written is
	// dated by the store's transaction.
	Clock tracegate.Clock
	// Signatures, when set, verifies every ds:Signature (SM2-SM3) and
	// refuses a message whose signature does not verify; nil takes
	// signatures as they are, and every answer says "unverified".
	Signatures *Signatures
}

// Service is the customs intake: it stores messages, runs the
// three-document match and the screening, keeps the buyers' quota and
// commits every decision to the ledger, all in one transaction per
// message. It is safe for concurrent use.
type Service struct {
	store   Store
	secret  []byte
	timeout time.Duration
	credit  CreditLevels
	barcode BarcodeRisk
	hsRisk  HSRisk
	clock   tracegate.Clock
	sigs    *Signatures

	mu     sync.Mutex
	tabIDs map[string]int64
	deps   ScreeningDeps
}

// NewService returns the intake over s. It fails with EINVALID when the
// secret is shorter than 32 bytes.
func NewService(cfg ServiceConfig, s Store) (*Service, error) {
	if len(cfg.Secret) < 32 {
		return nil, tracegate.Invalidf("/secret", "customs: the buyer-key secret must be at least 32 bytes")
	}
	if cfg.MatchTimeout <= 0 {
		cfg.MatchTimeout = DefaultMatchTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = tracegate.SystemClock{}
	}
	return &Service{store: s, secret: cfg.Secret, timeout: cfg.MatchTimeout, credit: cfg.Credit, barcode: cfg.Barcodes, hsRisk: cfg.HSRisk, clock: cfg.Clock, sigs: cfg.Signatures}, nil
}

// Sender is who submits a message. Role "" is the operator's own import
// (any message type). USCC signs the ledger leaf of decisions whose ebcCode
// is not itself a valid USCC. Codes are the sender's confirmed customs
// codes (tracegate.ConfirmedCodes), looked up once per request or import:
// an enterprise sends only under codes it holds (checkParties).
type Sender struct {
	EnterpriseID int64
	USCC         string
	Role         tracegate.Role
	Codes        []string
}

// senderRoles says which roles may send which message types; a regulator
// and the operator's import may send anything.
var senderRoles = map[string][]tracegate.Role{
	"CEB311Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB621Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB623Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB625Message": {tracegate.RolePlatform, tracegate.RoleEcommerce},
	"CEB411Message": {tracegate.RolePayment},
	"CEB511Message": {tracegate.RoleLogistics},
	"CEB513Message": {tracegate.RoleLogistics},
	"CEB711Message": {tracegate.RoleWarehouse},
}

// IntakeResult is the answer to one message.
type IntakeResult struct {
	GUID string `json:"guid"`
	Type string `json:"type"`
	// Signature is SignatureVerified when the message's ds:Signature
	// verified under a configured certificate, SignatureUnverified
	// otherwise (none configured, or the message is unsigned).
	Signature string           `json:"signature"`
	Documents []DocumentResult `json:"documents"`
}

// DocumentResult is what became of one document of a message.
type DocumentResult struct {
	Kind    string `json:"kind"`
	EbpCode string `json:"ebpCode,omitempty"`
	OrderNo string `json:"orderNo,omitempty"`
	// LogisticsNo is the waybill of a first-line (CEB711) decision.
	LogisticsNo string    `json:"logisticsNo,omitempty"`
	Missing     []DocKind `json:"missing,omitempty"`
	// Decision is set when the declaration's inventory is there.
	Decision *Decision `json:"decision,omitempty"`
	// LedgerIndex is the decision's leaf.
	LedgerIndex *int64 `json:"ledgerIndex,omitempty"`
	// QuotaRestored is the amount a refund or a cancel gave back, in yuan.
	QuotaRestored string `json:"quotaRestored,omitempty"`
	// Note says why nothing was done, when so.
	Note string `json:"note,omitempty"`
	// Receipt is the document's receipt, as XML: CEB312, 412 or 512 for an
	// order, payment or waybill taken (120 海关入库); CEB622 for an
	// inventory decision; CEB624 for a cancel (399 done, 100 refused).
	Receipt string `json:"receipt,omitempty"`
	// DecisionReceipt is the CEB622 of the inventory decision that an
	// order, payment or waybill arriving after the inventory re-ran.
	DecisionReceipt string `json:"decisionReceipt,omitempty"`
}
