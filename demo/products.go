package demo

import (
	"tracegate"
	"tracegate/gs1"
)

// product is one demo product filing: a GTIN body (the check digit is
// computed), its names and facts.
type product struct {
	body          string // GTIN-13 without its check digit
	name, nameZH  string
	brand, spec   string
	hs, origin    string
	manufacturer  string
	filingNumber  string
	ownerRoleName string // which demo enterprise files it: "ecommerce" or "platform"
}

// products are imports typical of the bonded zones in the seeds: infant
// formula, health supplements, cosmetics, honey, diapers. The GTINs use the
// GS1 prefixes of the origin countries' member organisations but are made
// up; the brands are real, the filings are not.
var products = []product{
	{"942190296003", "a2 Platinum Premium Infant Formula Stage 1", "a2 白金版婴儿配方奶粉 1段", "a2 Milk", "900g/罐", "1901101000", "NZ", "Synlait Milk Ltd", "GZNS2026-0001", "ecommerce"},
	{"931023011234", "Swisse Ultiboost Vitamin C 1000mg", "Swisse 维生素C片 1000mg", "Swisse", "150片/瓶", "2106909090", "AU", "Swisse Wellness Pty Ltd", "GZNS2026-0002", "ecommerce"},
	{"490190102345", "Shiseido Benefiance Wrinkle Smoothing Cream", "资生堂 盼丽风姿抗皱面霜", "Shiseido", "50ml/瓶", "3304990099", "JP", "Shiseido Co., Ltd.", "GZNS2026-0003", "platform"},
	{"942100802211", "Comvita Manuka Honey UMF 10+", "康维他 麦卢卡蜂蜜 UMF 10+", "Comvita", "250g/罐", "0409000000", "NZ", "Comvita NZ Ltd", "GZNS2026-0004", "ecommerce"},
	{"490190167890", "Merries Baby Diapers Size M", "花王 妙而舒 纸尿裤 M码", "Merries (Kao)", "64片/包", "9619001100", "JP", "Kao Corporation", "GZNS2026-0005", "platform"},
	{"931023098765", "Blackmores Odourless Fish Oil 1000mg", "澳佳宝 无腥味深海鱼油 1000mg", "Blackmores", "400粒/瓶", "2106909090", "AU", "Blackmores Ltd", "GZNS2026-0006", "ecommerce"},
}

// gtin returns the product's GTIN-14.
func (p product) gtin() (string, error) {
	c, err := gs1.CheckDigit(p.body)
	if err != nil {
		return "", err
	}
	return gs1.NormalizeGTIN(p.body + string(c))
}

func (p product) filing(ownerID int64) (*tracegate.Product, error) {
	g, err := p.gtin()
	if err != nil {
		return nil, err
	}
	f := &tracegate.Product{GTIN: g, OwnerID: ownerID, Name: p.name, NameZH: p.nameZH, Brand: p.brand, Specification: p.spec,
		HSCode: p.hs, OriginCountry: p.origin, Manufacturer: p.manufacturer, FilingNumber: p.filingNumber}
	return f, f.Validate()
}
