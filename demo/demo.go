// Package demo fills a fresh store with realistic demo data for `tracegate
// demo`: the enterprises of a bonded-zone import chain in Guangzhou
// (platforms, sellers, logistics, a bonded warehouse, payment, an importer,
// a lab and the customs office) with one API key each. Each later capability
// (products, labels, events, declarations) adds its part here.
//
// The enterprises are fictional; their unified social credit codes are made
// with valid GB 32100 check characters but belong to no real company.
package demo

import (
	"context"
	"fmt"

	"tracegate"
	"tracegate/epcis"
)

// Key is a demo API key, kept in clear so the demo can print it.
type Key struct {
	Role       tracegate.Role
	Enterprise *tracegate.Enterprise
	Secret     string
}

// Data is what Seed created.
type Data struct {
	Enterprises []*tracegate.Enterprise
	Keys        []Key
	Products    []*tracegate.Product
	Events      int // EPCIS events captured
}

// Store is what the demo data goes into.
type Store interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	tracegate.PartyStore
	epcis.Store
}

// Key returns the secret of the first key with role, or "".
func (d *Data) Key(role tracegate.Role) string {
	for _, k := range d.Keys {
		if k.Role == role {
			return k.Secret
		}
	}
	return ""
}

// enterprise is one demo enterprise: the first 17 characters of its USCC
// (the check character is computed), names and roles.
type enterprise struct {
	body   string
	name   string
	nameEN string
	roles  []tracegate.Role
}

// enterprises: registration-authority 9 (market regulation) and 1 (public
// bodies), type 1 (company / agency), division codes of the real cities.
var enterprises = []enterprise{
	{"11440000MB2C41075", "中华人民共和国南沙海关（演示）", "Nansha Customs (demo)", []tracegate.Role{tracegate.RoleRegulator}},
	{"91330100MA27XK3Q0", "海购优选国际电子商务平台有限公司", "HaiGou Global Marketplace Co., Ltd.", []tracegate.Role{tracegate.RolePlatform}},
	{"91110105MA01R7WD6", "京品全球购科技有限公司", "JingPin Worldwide Technology Co., Ltd.", []tracegate.Role{tracegate.RolePlatform, tracegate.RoleEcommerce}},
	{"91440101MA59U8LH2", "广州悦澳跨境贸易有限公司", "Guangzhou YueAo Cross-border Trade Co., Ltd.", []tracegate.Role{tracegate.RoleEcommerce, tracegate.RoleImporter}},
	{"91440115MA5CKW8T4", "广州南沙保税港区优链仓储有限公司", "Nansha Bonded Port YouLian Warehousing Co., Ltd.", []tracegate.Role{tracegate.RoleWarehouse}},
	{"91330106MA2GL0N68", "速链国际物流有限公司", "SuLian International Logistics Co., Ltd.", []tracegate.Role{tracegate.RoleLogistics}},
	{"91310115MA1K3P9R3", "汇通跨境支付服务有限公司", "HuiTong Cross-border Payment Services Co., Ltd.", []tracegate.Role{tracegate.RolePayment}},
	{"91440300MA5F2JY70", "深圳前海澳新进口代理有限公司", "Shenzhen Qianhai AusNZ Import Agency Co., Ltd.", []tracegate.Role{tracegate.RoleImporter}},
	{"91440101MA9W6E1B5", "广州营养家乳业有限公司（境内品牌方）", "Guangzhou NutriHome Dairy Co., Ltd. (brand owner)", []tracegate.Role{tracegate.RoleManufacturer}},
	{"12440000MB1D5660X", "广州海关技术中心（演示）", "Guangzhou Customs Technology Center (demo)", []tracegate.Role{tracegate.RoleLab}},
}

// Seed creates the demo enterprises with one key each (acting in its first
// role), their customs codes and client relations (seedParties), their
// product filings, and the EPCIS events of items travelling
// from the overseas factory through the port, inspection, the bonded
// warehouse, release and dispatch to delivery, captured through the ledger
// when leafFor is given. It fails when the store refuses a write (for
// example when it is not empty).
func Seed(ctx context.Context, s Store, leafFor func(uscc string) epcis.LeafFunc) (*Data, error) {
	d := &Data{}
	for _, de := range enterprises {
		c, err := tracegate.USCCCheckChar(de.body)
		if err != nil {
			return nil, fmt.Errorf("demo enterprise %s: %w", de.name, err)
		}
		e := &tracegate.Enterprise{USCC: de.body + string(c), Name: de.name, NameEN: de.nameEN, Roles: de.roles}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			return nil, fmt.Errorf("demo enterprise %s: %w", de.name, err)
		}
		_, secret, err := tracegate.IssueAPIKey(ctx, s, e, de.roles[0], "demo")
		if err != nil {
			return nil, fmt.Errorf("demo key for %s: %w", de.name, err)
		}
		d.Enterprises = append(d.Enterprises, e)
		d.Keys = append(d.Keys, Key{Role: de.roles[0], Enterprise: e, Secret: secret})
	}
	if err := seedParties(ctx, s, d); err != nil {
		return nil, err
	}
	for _, p := range products {
		f, err := p.filing(d.enterpriseWith(tracegate.Role(p.ownerRoleName)).ID)
		if err != nil {
			return nil, fmt.Errorf("demo product %s: %w", p.name, err)
		}
		d.Products = append(d.Products, f)
	}
	if _, err := s.SaveProducts(ctx, d.Products); err != nil {
		return nil, fmt.Errorf("demo products: %w", err)
	}
	if err := photographFilings(ctx, s, d.Products); err != nil {
		return nil, err
	}
	if err := approveFilings(ctx, s, d.enterpriseWith(tracegate.RoleRegulator).ID, d.Products); err != nil {
		return nil, err
	}
	var err error
	if d.Events, err = seedEvents(ctx, s, d, leafFor); err != nil {
		return nil, err
	}
	return d, nil
}

// approveFilings has the demo's customs office approve each filing with the
// number it proposed (or one in the office's series), as officers do.
func approveFilings(ctx context.Context, s tracegate.ProductStore, regulatorID int64, ps []*tracegate.Product) error {
	for i, p := range ps {
		r := tracegate.ProductReview{Status: tracegate.FilingApproved, By: regulatorID}
		if p.FilingNumber == "" {
			r.FilingNumber = fmt.Sprintf("GZ2026-%06d", 900000+i)
		}
		got, err := s.ReviewProduct(ctx, p.ID, r)
		if err != nil {
			return fmt.Errorf("demo: approve filing of %s: %w", p.GTIN, err)
		}
		*p = *got
	}
	return nil
}
