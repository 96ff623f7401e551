package label

import (
	"strings"
	"unicode/utf8"

	"tracegate"
)

// ViewerKind is who looks at a scan page.
type ViewerKind int

// The three kinds of viewer (Nansha's tiered display).
const (
	ViewerAnonymous  ViewerKind = iota // a consumer, without a key
	ViewerEnterprise                   // an enterprise key
	ViewerRegulator                    // customs or inspection
)

// Viewer is who looks at a scan page: a kind and, for an enterprise, its ID.
type Viewer struct {
	Kind         ViewerKind
	EnterpriseID int64
}

// Anonymous is the viewer without a key: a consumer.
func Anonymous() Viewer { return Viewer{Kind: ViewerAnonymous} }

// Enterprise is the viewer holding a key of enterprise id.
func Enterprise(id int64) Viewer { return Viewer{Kind: ViewerEnterprise, EnterpriseID: id} }

// Regulator is a customs or inspection officer's viewer.
func Regulator() Viewer { return Viewer{Kind: ViewerRegulator} }

// ViewerFrom maps a request's principal to a viewer: nil is Anonymous, the
// regulator role is Regulator, any other role Enterprise of its enterprise.
// It never fails.
func ViewerFrom(p *tracegate.Principal) Viewer {
	switch {
	case p == nil:
		return Anonymous()
	case p.Role == tracegate.RoleRegulator:
		return Regulator()
	}
	return Enterprise(p.EnterpriseID)
}

// Field names a piece of order or personal data whose visibility depends on
// the viewer. Everything else on the page (the product, its route, the
// companies involved) is public.
type Field string

// The tiered fields.
const (
	FieldWaybillNo    Field = "waybillNo"
	FieldInventoryNo  Field = "inventoryNo"
	FieldOrderNo      Field = "orderNo"
	FieldBuyerName    Field = "buyerName"
	FieldBuyerIDNo    Field = "buyerIdNumber"
	FieldBuyerPhone   Field = "buyerPhone"
	FieldBuyerAddress Field = "buyerAddress"
)

// Visibility is how much of a field a viewer sees.
type Visibility int

// Hidden fields are left out, masked ones keep a few characters.
const (
	Hidden Visibility = iota
	Masked
	Full
)

// relation is a viewer's standing towards one item.
type relation int

const (
	relPublic    relation = iota // anonymous, or an enterprise with no part in the item
	relParty                     // an enterprise that owns or handled the item
	relRegulator                 // a regulator
)

// rule is one row of the tiering table: the visibility of a field to each
// relation, and which characters a mask keeps.
type rule struct {
	vis         [3]Visibility // by relation
	first, last int           // characters a mask keeps
}

// access returns the visibility of f to a viewer in relation r, and the mask
// to apply. This table is the whole tiering policy:
//
//	field          public  party   regulator  mask keeps
//	waybillNo      masked  full    full       first 2, last 4
//	inventoryNo    masked  full    full       first 2, last 4
//	orderNo        hidden  full    full
//	buyerName      hidden  full    full
//	buyerPhone     hidden  full    full
//	buyerAddress   hidden  full    full
//	buyerIdNumber  hidden  masked  full       first 1, last 1
//
// The buyer's ID number is for customs: even the parties see it masked.
// An unknown field is hidden from all but the regulator.
func access(f Field, r relation) (Visibility, rule) {
	table := map[Field]rule{
		FieldWaybillNo:    {vis: [3]Visibility{Masked, Full, Full}, first: 2, last: 4},
		FieldInventoryNo:  {vis: [3]Visibility{Masked, Full, Full}, first: 2, last: 4},
		FieldOrderNo:      {vis: [3]Visibility{Hidden, Full, Full}},
		FieldBuyerName:    {vis: [3]Visibility{Hidden, Full, Full}},
		FieldBuyerPhone:   {vis: [3]Visibility{Hidden, Full, Full}},
		FieldBuyerAddress: {vis: [3]Visibility{Hidden, Full, Full}},
		FieldBuyerIDNo:    {vis: [3]Visibility{Hidden, Masked, Full}, first: 1, last: 1},
	}
	ru, ok := table[f]
	if !ok {
		ru = rule{vis: [3]Visibility{Hidden, Hidden, Full}}
	}
	return ru.vis[r], ru
}

// relationOf places viewer v towards the item of in. An enterprise is a
// party when it owns the product filing, requested the label, or is the
// warehouse, logistics firm, platform, e-commerce enterprise or importer
// named on the item.
func relationOf(v Viewer, in *ScanInput) relation {
	switch v.Kind {
	case ViewerRegulator:
		return relRegulator
	case ViewerEnterprise:
		if in.IsParty(v.EnterpriseID) {
			return relParty
		}
	}
	return relPublic
}

// IsParty reports whether enterprise id owns or handled the item: the
// filing's owner, the label's requester, or the warehouse, logistics firm,
// platform, e-commerce enterprise or importer recorded for it. Zero is
// never a party.
func (in *ScanInput) IsParty(id int64) bool {
	if id == 0 {
		return false
	}
	ids := []int64{in.Label.IssuedTo}
	if in.Product != nil {
		ids = append(ids, in.Product.OwnerID)
	}
	if in.Intake != nil {
		ids = append(ids, in.Intake.Warehouse.ID)
	}
	if d := in.Dispatch; d != nil {
		ids = append(ids, d.Logistics.ID, d.Platform.ID, d.Ecommerce.ID, d.Importer.ID)
	}
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Access returns how much of field f viewer v may see of the item of in,
// by the table of access; the store can use it to skip loading what a
// viewer will not see. It never fails: an unknown field is Hidden from all
// but the regulator.
func (in *ScanInput) Access(v Viewer, f Field) Visibility {
	vis, _ := access(f, relationOf(v, in))
	return vis
}

// reveal returns what of value the relation r may see of f, and false when
// nothing (hidden, or no value).
func reveal(f Field, r relation, value string) (string, bool) {
	if value == "" {
		return "", false
	}
	vis, ru := access(f, r)
	switch vis {
	case Full:
		return value, true
	case Masked:
		return mask(value, ru.first, ru.last), true
	}
	return "", false
}

// mask keeps the first and last characters of s and stars the rest. When
// that would keep half of s or more, it keeps only the first character.
func mask(s string, first, last int) string {
	n := utf8.RuneCountInString(s)
	if first+last >= (n+1)/2+1 || first+last >= n {
		first, last = min(1, n-1), 0
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i < first || i >= n-last {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// Restricted holds the order and personal data a viewer may see beyond the
// public page, already masked as the tiering table says. It is absent from
// an anonymous view.
type Restricted struct {
	OrderNo      string `json:"orderNo,omitempty"`
	WaybillNo    string `json:"waybillNo,omitempty"`
	InventoryNo  string `json:"inventoryNo,omitempty"`
	BuyerName    string `json:"buyerName,omitempty"`
	BuyerIDNo    string `json:"buyerIdNumber,omitempty"`
	BuyerPhone   string `json:"buyerPhone,omitempty"`
	BuyerAddress string `json:"buyerAddress,omitempty"`
}

// restricted builds the Restricted part for relation r; nil for the public
// or when nothing is recorded.
func restricted(in *ScanInput, r relation) *Restricted {
	d := in.Dispatch
	if r == relPublic || d == nil {
		return nil
	}
	var out Restricted
	for _, f := range []struct {
		field Field
		value string
		dst   *string
	}{
		{FieldOrderNo, d.OrderNo, &out.OrderNo},
		{FieldWaybillNo, d.WaybillNo, &out.WaybillNo},
		{FieldInventoryNo, d.InventoryNo, &out.InventoryNo},
		{FieldBuyerName, d.Buyer.Name, &out.BuyerName},
		{FieldBuyerIDNo, d.Buyer.IDNumber, &out.BuyerIDNo},
		{FieldBuyerPhone, d.Buyer.Phone, &out.BuyerPhone},
		{FieldBuyerAddress, d.Buyer.Address, &out.BuyerAddress},
	} {
		*f.dst, _ = reveal(f.field, r, f.value)
	}
	if out == (Restricted{}) {
		return nil
	}
	return &out
}
