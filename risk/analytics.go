package risk

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tracegate/customs"
)

// FindingKind is a kind of barcode-analytics finding.
type FindingKind string

// The kinds of finding (Qianjiang customs' barcode analytics, issue 14).
const (
	// FindingSameGTINHS: one GTIN declared under different HS codes
	// (misclassification). The declarations listed are those under an HS
	// code other than the reference (the filed HS code, else the one most
	// declared).
	FindingSameGTINHS FindingKind = "same_gtin_hs"
	// FindingSameGTINPrice: declared unit prices far from the GTIN's
	// median (beyond K median absolute deviations); under-declared lines
	// carry the estimated tax shortfall at the retail rates of their HS.
	FindingSameGTINPrice FindingKind = "same_gtin_price"
	// FindingSameGTINSpec: one GTIN declared with different specifications
	// (gmodel) or units.
	FindingSameGTINSpec FindingKind = "same_gtin_spec"
	// FindingNotFiled: a GTIN declared with no approved product filing.
	FindingNotFiled FindingKind = "not_filed"
	// FindingFiledByOther: a GTIN filed (approved) by one enterprise and
	// declared by another, one finding per declaring enterprise.
	FindingFiledByOther FindingKind = "filed_by_other"
	// FindingPrefixOrigin: the GS1 member organisation of the GTIN's
	// company prefix is of another country than the declared origin. A
	// WEAK signal: a GS1 prefix says which GS1 office issued the number,
	// not where the goods were made (gs1.IssuingOrganisation); it never
	// counts against an enterprise's credit.
	FindingPrefixOrigin FindingKind = "prefix_origin"
)

// FindingKinds lists the kinds in a stable order.
var FindingKinds = []FindingKind{FindingSameGTINHS, FindingSameGTINPrice, FindingSameGTINSpec, FindingNotFiled, FindingFiledByOther, FindingPrefixOrigin}

// Valid reports whether k is one of FindingKinds.
func (k FindingKind) Valid() bool {
	for _, x := range FindingKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Misdeclaration reports whether a finding of kind k holds its culprits
// (the declarants of the lines it lists) to have misdeclared: every kind
// but the weak prefix_origin.
func (k FindingKind) Misdeclaration() bool { return k.Valid() && k != FindingPrefixOrigin }

// Line is one declared line as the analytics scans it (the projection
// written at intake, customs.DeclaredLine): compact integers only.
type Line struct {
	GTIN          int64 // GTIN-14 as a number
	DeclarationID int64
	HS            int64 // the 10-digit gcode as a number; 0 when it was none
	Price         int64 // unit price, fen
	Total         int64 // line total, fen
	Spec          int64 // SpecHash of the gmodel
	Unit          int64 // unit code as a number, -1 when it was none
	Origin        int64 // customs country code as a number, -1 when none
	Declarant     int64 // enterprise ID, 0 when the declaring enterprise is unknown
	DeclaredAt    int64 // Unix seconds
}

// Filing is an approved product filing as the analytics needs it.
type Filing struct {
	OwnerID int64
	HS      string
	Origin  string // customs country code
}

// DeclarationRef is one declaration a finding lists.
type DeclarationRef struct {
	DeclarationID int64     `json:"-"`
	Declarant     int64     `json:"-"`
	EbpCode       string    `json:"ebpCode"`
	OrderNo       string    `json:"orderNo"`
	HSCode        string    `json:"hsCode"`
	Price         string    `json:"price"` // unit price in yuan, two decimals
	DeclaredAt    time.Time `json:"declaredAt"`
}

// Finding is one barcode-analytics finding: its kind, GTIN, what was found
// (Detail), the declarations involved (at most MaxListed; Lines counts
// them all), and who it concerns: Culprits are the declarants held to have
// misdeclared, Parties everyone who may see it (the culprits, the
// declarants of the listed lines and the GTIN's filing owners).
type Finding struct {
	ID           int64            `json:"id"`
	Key          string           `json:"key"` // stable: kind/gtin[/declarant]
	Kind         FindingKind      `json:"kind"`
	GTIN         string           `json:"gtin"`
	Detail       string           `json:"detail"`
	Weak         bool             `json:"weak,omitempty"`
	Lines        int              `json:"lines"`
	Declarations []DeclarationRef `json:"declarations"`
	TaxShortfall *customs.Money   `json:"taxShortfall,omitempty"`
	At           time.Time        `json:"at"` // the latest declaration involved
	UpdatedAt    time.Time        `json:"updatedAt"`
	Culprits     []int64          `json:"-"`
	Parties      []int64          `json:"-"`

	specs, units []counted // same_gtin_spec, for its Detail once the texts are read
}

// MaxListed is the most declarations a finding lists.
const MaxListed = 100

// SpecHash is the key of a specification (gmodel): its text folded to
// lower case and half width with spaces removed, hashed (FNV-1a, 63 bits),
// so "50ml/瓶" and "50 ML／瓶" are one specification.
func SpecHash(gmodel string) int64 {
	h := fnv.New64a()
	var buf [4]byte
	for _, r := range gmodel {
		if r >= 0xFF01 && r <= 0xFF5E { // full width ASCII
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || r == 0x3000 {
			continue
		}
		r = unicode.ToLower(r)
		n := utf8.EncodeRune(buf[:], r)
		h.Write(buf[:n])
	}
	return int64(h.Sum64() >> 1)
}

// CodeNumber is a numeric code (HS, unit, country) as stored in a Line:
// its number, or def when s is empty or not all digits.
func CodeNumber(s string, def int64) int64 {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 18 {
		return def
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// GTINString is the 14-digit form of a stored GTIN.
func GTINString(g int64) string { return pad(g, 14) }

// HSString is the 10-digit form of a stored HS code ("" for none).
func HSString(hs int64) string {
	if hs <= 0 {
		return ""
	}
	return pad(hs, 10)
}

// CodeString is the 3-digit form of a stored unit or country code.
func CodeString(c int64) string {
	if c < 0 {
		return ""
	}
	return pad(c, 3)
}

func pad(n int64, width int) string {
	b := make([]byte, 0, 20)
	for n > 0 {
		b = append(b, byte('0'+n%10))
		n /= 10
	}
	for len(b) < width {
		b = append(b, '0')
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// EncodeLine appends the stored record of l to b: its fields as varints
// (binary.AppendVarint) in the order GTIN, DeclarationID, HS, Price,
// Total, Spec, Unit, Origin, Declarant, DeclaredAt. One column per line
// keeps the scan to one value per row.
func EncodeLine(b []byte, l *Line) []byte {
	for _, v := range [...]int64{l.GTIN, l.DeclarationID, l.HS, l.Price, l.Total, l.Spec, l.Unit, l.Origin, l.Declarant, l.DeclaredAt} {
		b = binary.AppendVarint(b, v)
	}
	return b
}

// DecodeLine sets l from a record of EncodeLine; it fails when b is not
// one.
func DecodeLine(b []byte, l *Line) error {
	for _, p := range [...]*int64{&l.GTIN, &l.DeclarationID, &l.HS, &l.Price, &l.Total, &l.Spec, &l.Unit, &l.Origin, &l.Declarant, &l.DeclaredAt} {
		v, n := binary.Varint(b)
		if n <= 0 {
			return errors.New("risk: truncated declared-line record")
		}
		*p, b = v, b[n:]
	}
	if len(b) != 0 {
		return errors.New("risk: declared-line record too long")
	}
	return nil
}
