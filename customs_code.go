package tracegate

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CodeKind is the capacity in which an enterprise acts under a customs
// code: the element of the CEB messages that carries it.
type CodeKind string

// The code kinds, after the CEB elements that carry them.
const (
	CodeEbp       CodeKind = "ebp"       // ebpCode: e-commerce platform (电商平台)
	CodeEbc       CodeKind = "ebc"       // ebcCode: e-commerce enterprise (电商企业)
	CodeLogistics CodeKind = "logistics" // logisticsCode: logistics firm (物流企业)
	CodePay       CodeKind = "pay"       // payCode: payment company (支付企业)
	CodeAgent     CodeKind = "agent"     // agentCode: declarant, domestic agent (申报单位)
	CodeAssure    CodeKind = "assure"    // assureCode: tax guarantor (担保企业)
	CodeArea      CodeKind = "area"      // areaCode, operatorCode: bonded warehouse operator (监管场所)
)

// CodeKinds lists the kinds in the order they are shown.
var CodeKinds = []CodeKind{CodeEbp, CodeEbc, CodeLogistics, CodePay, CodeAgent, CodeAssure, CodeArea}

// CodeStatus is whether a regulator confirmed a code.
type CodeStatus string

// Code statuses. Only confirmed codes count: a claimed code grants nothing.
const (
	CodeClaimed   CodeStatus = "claimed"
	CodeConfirmed CodeStatus = "confirmed"
)

// CustomsCode is a customs registration code (海关注册编码) an enterprise
// acts under. A code belongs to one enterprise.
type CustomsCode struct {
	Code         string     `json:"code"`
	Kind         CodeKind   `json:"kind"`
	EnterpriseID int64      `json:"enterpriseId"`
	Status       CodeStatus `json:"status"`
	CreatedAt    time.Time  `json:"createdAt"`
	ConfirmedAt  *time.Time `json:"confirmedAt,omitempty"`
}

// ValidateCustomsCode trims code and checks it is a 10-character customs
// registration code: characters 1–4 are the digits of the registering
// region (省 and 市), 5 the economic zone, 6 the type of enterprise and 7–10
// a sequence; 5–10 are digits or capital letters A–Z (customs assigns
// letters, e.g. to cross-border e-commerce registrations). Nothing is
// upper-cased for the caller: a lower-case letter is refused. It fails with
// EINVALID pointing at /code.
func ValidateCustomsCode(code string) (string, error) {
	code = strings.TrimSpace(code)
	if len(code) != 10 {
		return "", Invalidf("/code", "a customs code is 10 characters, not %d", len(code))
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		digit, upper := c >= '0' && c <= '9', c >= 'A' && c <= 'Z'
		if i < 4 && !digit || !digit && !upper {
			return "", Invalidf("/code", "customs code %q: characters 1-4 are digits, 5-10 digits or capital letters A-Z", code)
		}
	}
	return code, nil
}

// Validate normalises and checks c: a valid code, a known kind, a known
// status (claimed when empty). It fails with EINVALID naming the field.
func (c *CustomsCode) Validate() error {
	code, err := ValidateCustomsCode(c.Code)
	if err != nil {
		return err
	}
	c.Code = code
	if !slices.Contains(CodeKinds, c.Kind) {
		return Invalidf("/kind", "kind must be one of %v", CodeKinds)
	}
	if c.Status == "" {
		c.Status = CodeClaimed
	}
	if c.Status != CodeClaimed && c.Status != CodeConfirmed {
		return Invalidf("/status", `status must be "claimed" or "confirmed"`)
	}
	return nil
}

// Handling is a client relation: the client (the filer, an e-commerce
// enterprise) authorises the handler (a bonded warehouse, a logistics firm,
// another e-commerce enterprise) to handle its goods: bind its labels at
// intake and dispatch, and bind at intake to its filings.
type Handling struct {
	ClientID  int64     `json:"clientId"`
	HandlerID int64     `json:"handlerId"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy int64     `json:"createdBy"` // the enterprise (client or regulator) that granted it
}

// PartyStore keeps the parties' customs codes and client relations.
// store/sqlite and store/postgres implement it; store/storetest tests it.
type PartyStore interface {
	// SaveCustomsCode stores c for its enterprise (setting CreatedAt, and
	// ConfirmedAt when confirmed). Saving a code the enterprise holds
	// already changes its kind and, when c is confirmed, confirms it; a
	// claim never unconfirms. It fails with ECONFLICT when another
	// enterprise holds the code, ENOTFOUND when the enterprise does not
	// exist, EINVALID for a bad code.
	SaveCustomsCode(ctx context.Context, c *CustomsCode) error
	// ConfirmCustomsCode confirms code; ENOTFOUND when nobody claimed it.
	ConfirmCustomsCode(ctx context.Context, code string) (*CustomsCode, error)
	// DeleteCustomsCode removes code of enterprise id; ENOTFOUND when the
	// enterprise does not hold it.
	DeleteCustomsCode(ctx context.Context, id int64, code string) error
	// CustomsCodes returns the codes of enterprise id, claimed and
	// confirmed, by code.
	CustomsCodes(ctx context.Context, id int64) ([]CustomsCode, error)
	// CodeOwners returns, for each of codes that is confirmed, the
	// enterprise that holds it; codes unknown or only claimed are absent.
	CodeOwners(ctx context.Context, codes []string) (map[string]int64, error)
	// GrantHandling stores h (setting CreatedAt); granting it again keeps
	// the first. It fails with ENOTFOUND when an enterprise does not exist
	// and EINVALID when client and handler are the same.
	GrantHandling(ctx context.Context, h *Handling) error
	// RevokeHandling removes the relation; ENOTFOUND when there is none.
	RevokeHandling(ctx context.Context, clientID, handlerID int64) error
	// Handlings returns the relations enterprise id is client or handler
	// of, by client then handler.
	Handlings(ctx context.Context, id int64) ([]Handling, error)
}

// ConfirmedCodes returns the confirmed codes among cs.
func ConfirmedCodes(cs []CustomsCode) []string {
	var out []string
	for _, c := range cs {
		if c.Status == CodeConfirmed {
			out = append(out, c.Code)
		}
	}
	return out
}

// ClientsOf returns the clients whose goods handler may handle, by the
// relations hs.
func ClientsOf(hs []Handling, handler int64) []int64 {
	var out []int64
	for _, h := range hs {
		if h.HandlerID == handler && !slices.Contains(out, h.ClientID) {
			out = append(out, h.ClientID)
		}
	}
	return out
}

// DeclarationParties is what the label service checks of a customs
// declaration before it binds labels to its order (dispatch): whether it
// was released and who its parties are, by customs code.
type DeclarationParties struct {
	// Released is true when the latest decision passed (放行).
	Released bool
	// Status is the latest decision's status ("" before the inventory).
	Status string
	// Codes are every party's code: platform, e-commerce enterprise,
	// declarant, logistics firm, payment company, warehouse, guarantor.
	Codes []string
	// Declarant are the inventory's ebcCode and agentCode.
	Declarant []string
	// LogisticsCode and LogisticsNo are the declared waybill.
	LogisticsCode, LogisticsNo string
	// Consignee, ConsigneePhone and ConsigneeAddress are the order's
	// consignee (personal data: the recall scope shows them to the
	// regulator and the owner only); "" before the order arrived.
	Consignee, ConsigneePhone, ConsigneeAddress string
}
