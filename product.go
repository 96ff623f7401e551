package tracegate

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate/gs1"
)

// Product is a product filing (商品备案): what an enterprise imports under
// one GTIN. Several enterprises may file the same GTIN (parallel imports),
// so a filing is identified by its owner and GTIN.
type Product struct {
	ID            int64  `json:"id"`
	GTIN          string `json:"gtin"`          // 14 digits, check digit verified
	OwnerID       int64  `json:"ownerId"`       // the filing enterprise
	OwnerUSCC     string `json:"ownerUscc"`     // filled by the store on reads
	Name          string `json:"name"`          // original-language name
	NameZH        string `json:"nameZh"`        // Chinese name (商品名称)
	Brand         string `json:"brand"`         // 品牌
	Specification string `json:"specification"` // 规格型号
	HSCode        string `json:"hsCode"`        // 商品编码: 8 or 10 digits
	OriginCountry string `json:"originCountry"` // ISO 3166-1 alpha-2, e.g. AU
	Manufacturer  string `json:"manufacturer"`  // 生产企业
	// FilingNumber is the 商品备案号: the regulator's once the filing is
	// approved, until then only the number the enterprise proposes.
	FilingNumber string `json:"filingNumber,omitempty"`
	ItemRecordNo string `json:"itemRecordNo,omitempty"` // 账册备案料号 used on declarations
	// PhotoSHA256 is the hex SHA-256 of the filing's product photo (served
	// at /photos/{sha256}); empty without one. Set by SetProductPhoto.
	PhotoSHA256 string `json:"photoSha256,omitempty"`
	// Status is set by the store (submitted on every change of a filed fact)
	// and by reviews; what a caller sends is ignored.
	Status       FilingStatus `json:"status"`
	StatusReason string       `json:"statusReason,omitempty"` // why it was rejected
	ReviewedBy   int64        `json:"reviewedBy,omitempty"`   // the enterprise that decided last
	ReviewedAt   *time.Time   `json:"reviewedAt,omitempty"`
	CreatedAt    time.Time    `json:"createdAt"`
	UpdatedAt    time.Time    `json:"updatedAt"`
}

// Approved reports whether p is an approved filing, the only kind that
// counts for customs and shows its filing number to consumers.
func (p *Product) Approved() bool { return p.Status == FilingApproved }

// Validate normalises p and checks it: its GTIN-8/12/13/14 becomes the
// 14-digit form (gs1.NormalizeGTIN, check digit checked). It fails with
// EINVALID pointing at the field.
func (p *Product) Validate() error {
	g, err := gs1.NormalizeGTIN(strings.TrimSpace(p.GTIN))
	if err != nil {
		return Invalidf("/gtin", "gtin %q: %v", p.GTIN, err)
	}
	p.GTIN = g
	for _, f := range []struct {
		ptr string
		v   *string
		req bool
		max int
	}{
		{"/name", &p.Name, true, 250}, {"/nameZh", &p.NameZH, true, 250}, {"/brand", &p.Brand, true, 100},
		{"/specification", &p.Specification, true, 250}, {"/manufacturer", &p.Manufacturer, true, 250},
		{"/filingNumber", &p.FilingNumber, false, 64}, {"/itemRecordNo", &p.ItemRecordNo, false, 64},
	} {
		*f.v = strings.TrimSpace(*f.v)
		if f.req && *f.v == "" {
			return Invalidf(f.ptr, "%s is required", f.ptr[1:])
		}
		if utf8.RuneCountInString(*f.v) > f.max {
			return Invalidf(f.ptr, "%s is limited to %d characters", f.ptr[1:], f.max)
		}
	}
	p.HSCode = strings.ReplaceAll(strings.TrimSpace(p.HSCode), ".", "")
	if (len(p.HSCode) != 8 && len(p.HSCode) != 10) || strings.Trim(p.HSCode, "0123456789") != "" {
		return Invalidf("/hsCode", "hsCode %q must be 8 or 10 digits (China customs tariff code)", p.HSCode)
	}
	p.OriginCountry = strings.ToUpper(strings.TrimSpace(p.OriginCountry))
	if !isCountryCode(p.OriginCountry) {
		return Invalidf("/originCountry", "originCountry %q must be an ISO 3166-1 alpha-2 code such as AU or JP", p.OriginCountry)
	}
	return nil
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// ProductFilter selects product filings in a listing. Zero fields match all.
type ProductFilter struct {
	OwnerID int64
	GTIN    string
	Status  FilingStatus
	Limit   int // 0 means 1000
	Offset  int
}

// ProductStore keeps product filings.
type ProductStore interface {
	// SaveProducts creates or updates (by owner and GTIN) every product in
	// one transaction: all are stored or none. It sets IDs, timestamps and
	// the status: a new filing is submitted, and so is one whose filed facts
	// (names, brand, specification, HS code, origin, manufacturer, proposed
	// filing number) change unless it is rejected and they stay the same; an
	// approved filing saved unchanged keeps its status and the regulator's
	// filing number. It reports how many were created and fails with
	// ENOTFOUND for an unknown owner and ECONFLICT for a filing number
	// another approved filing holds.
	SaveProducts(ctx context.Context, ps []*Product) (created int, err error)
	// ReviewProduct applies r to the filing with id (see CheckReview) and
	// returns the filing as it now is. It fails with ENOTFOUND for an unknown
	// filing, ECONFLICT for a decision out of order, a filing changed since
	// r.Version or a filing number another approved filing holds, and
	// EINVALID for an approval without a number.
	ReviewProduct(ctx context.Context, id int64, r ProductReview) (*Product, error)
	// FindProductByID returns the filing with id, or ENOTFOUND.
	FindProductByID(ctx context.Context, id int64) (*Product, error)
	// SetProductPhoto stores photo (of media type typ, image/jpeg or
	// image/png, checked by the caller) as the photo of filing id and
	// returns the filing as it now is: a new photo is a change of a filed
	// fact, so an approved, rejected or withdrawn filing is submitted again.
	// It fails with ENOTFOUND for an unknown filing.
	SetProductPhoto(ctx context.Context, id int64, typ string, photo []byte) (*Product, error)
	// ProductPhoto returns the photo whose hex SHA-256 is sum and its media
	// type, or ENOTFOUND.
	ProductPhoto(ctx context.Context, sum string) (typ string, photo []byte, err error)
	// FindProduct returns owner's filing of gtin, or ENOTFOUND.
	FindProduct(ctx context.Context, ownerID int64, gtin string) (*Product, error)
	// ListProducts returns the filings that match f, by GTIN then owner.
	ListProducts(ctx context.Context, f ProductFilter) ([]*Product, error)
}
