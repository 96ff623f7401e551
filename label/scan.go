package label

import (
	"time"

	"tracegate"
	"tracegate/epcis"
)

// ScanInput is everything a Resolver gathers for one scanned code, as
// plain data; BuildScanView decides what of it a viewer sees. A nil pointer or a
// zero field means "not recorded", and the view says so rather than guess.
type ScanInput struct {
	Code  Code
	Label LabelRecord
	// Product is the filing the label was bound to at intake; nil while the
	// label is not bound.
	Product  *tracegate.Product
	Intake   *Intake
	Dispatch *Dispatch
	// Events are the EPCIS events of the item, its batch and its shipment,
	// in any order (upstream commissioning and departure, arrival,
	// inspection, warehouse, release, shipping, delivery). Events that
	// carry an error declaration are ignored.
	Events []epcis.Event
	// EventsBy names the recorder of each of Events (index-aligned), which
	// the timeline shows; PublicEvents gives both.
	EventsBy []string
	// Places names the EPCIS locations (readPoint and bizLocation IDs) that
	// Events use; a location without a name is shown without a place.
	Places  map[string]Place
	Notices []Notice
	// Scans is the scan history of the code, the current scan included, in
	// any order.
	Scans []Scan
	// Proof summarises the ledger entry of the label's issuance; nil when
	// the ledger has none.
	Proof *Proof
	// Policy tunes clone detection; the zero value is DefaultClonePolicy.
	Policy ClonePolicy
}

// LabelRecord is the store's record of one issued label.
type LabelRecord struct {
	IssuedTo int64     // the enterprise that requested the label
	IssuedAt time.Time // when it was generated
	BoundAt  time.Time // when intake bound it to a product; zero while unbound
}

// Party is an enterprise named on an item: ID is its tenant ID when it has
// one here (0 otherwise) and is what makes it an owner of the item's data.
type Party struct {
	ID     int64
	Name   string
	NameEN string // the English name, when the enterprise registered one
}

// name is the party's name in the page's language: the English one on an
// English page when there is one.
func (p Party) name(en bool) string {
	if en && p.NameEN != "" {
		return p.NameEN
	}
	return p.Name
}

// Intake is the binding made in the bonded warehouse (入仓理货).
type Intake struct {
	Batch          string
	ProductionDate time.Time
	ExpiryDate     time.Time
	Warehouse      Party     // the bonded warehouse (监管场所) and its operator
	At             time.Time // when the label was stuck on and bound
	// InspectionResult is the pre-listing inspection (入仓检) result as
	// text, used for item 19 when no inspection event says more.
	InspectionResult string
}

// Dispatch is the outbound binding of the label to one order and waybill,
// with the declaration (清单) it went out under. Buyer holds personal data.
type Dispatch struct {
	OrderNo     string
	WaybillNo   string
	Logistics   Party // 物流企业
	Platform    Party // 电商平台
	Ecommerce   Party // 电商企业
	Importer    Party // 境内代理人
	DeclaredAt  time.Time
	InventoryNo string // 清单编号
	// Declared shipment facts; events fill in what these leave empty.
	DepartureCountry string // ISO 3166-1 alpha-2
	DeparturePort    string
	// TransportMode is the customs trafMode code (2 sea, 3 rail, 4 road, 5
	// air, 6 post, …) or text. A code of a supervised area (Y 保税港区, W
	// 物流中心, …), which some bonded inventories declare, is shown with the
	// bonded warehouse (item 20), not as the transport mode (item 16).
	TransportMode string
	// TradeMode is the declaration's customs trade mode: 1210 (or 1239)
	// bonded, whose trafMode is the mode of the exit from the bonded zone
	// (二线出区), or 9610 direct mail, whose trafMode is the mode of the
	// cross-border leg; "" when not declared.
	TradeMode    string
	PortOfEntry  string
	ReleasedAt   time.Time // customs release (放行)
	DispatchedAt time.Time // left the bonded warehouse (出区)
	Buyer        Buyer
}

// Buyer is the consignee of an order: personal data that no anonymous
// viewer ever sees (see tier.go).
type Buyer struct {
	Name     string
	IDNumber string
	Phone    string
	Address  string
}

// Place is the display name of an EPCIS location.
type Place struct {
	Name   string // Chinese, or the local name
	NameEN string
}

// NoticeKind is the kind of a measure shown on the scan page.
type NoticeKind string

// The notices a scan page shows, mildest last.
const (
	NoticeRecall     NoticeKind = "recall"      // 召回
	NoticeStopSale   NoticeKind = "stop_sale"   // 停止销售
	NoticeRiskNotice NoticeKind = "risk_notice" // 风险提示
)

// Notice is a recall, stop-sale or risk notice that covers the item.
type Notice struct {
	Kind   NoticeKind
	Text   string // Chinese
	TextEN string // English; Text is shown when empty
	Since  time.Time
}

// ProofStatus says where the label's issuance stands in the ledger.
type ProofStatus string

// Ledger proof states.
const (
	ProofIncluded ProofStatus = "included" // in a signed checkpoint
	ProofPending  ProofStatus = "pending"  // queued, not yet in a checkpoint
	ProofNone     ProofStatus = "none"     // no ledger entry
)

// Proof summarises the ledger entry that commits to the label's code.
type Proof struct {
	Status     ProofStatus `json:"status"`
	LogOrigin  string      `json:"logOrigin,omitempty"`  // the checkpoint origin line
	LeafIndex  uint64      `json:"leafIndex,omitempty"`  // the issuance's entry
	TreeSize   uint64      `json:"treeSize,omitempty"`   // the checkpoint the proof is to
	Commitment string      `json:"commitment,omitempty"` // hex of Code.Commitment
}

// Scan is one recorded scan of a code. Its position is coarse (see
// CoarsenPosition) and its IP address is kept as a prefix only (IPPrefix).
type Scan struct {
	At          time.Time
	HasPosition bool    // Lat and Lon are known (client position or IP geolocation)
	Lat, Lon    float64 // coarse, degrees
	IPPrefix    string
	Place       string // a coarse place name for people, e.g. "广州"; may be empty
	Device      DeviceClass
	// Staff marks a scan made with an enterprise or regulator key (intake,
	// dispatch, inspection): it is not a consumer scan.
	Staff bool
}
