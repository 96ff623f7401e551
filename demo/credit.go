package demo

import (
	"context"
	"fmt"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/epcis"
	"tracegate/gs1"
	"tracegate/label"
)

// CreditData is what SeedCredit made.
type CreditData struct {
	Levels   map[int]int // level → enterprises at it
	Editions int64       // the latest blacklist edition
	Listed   int         // enterprises on it
	Removed  int
}

// CreditStore is what the credit demo writes into.
type CreditStore interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	epcis.Store
	CreateHold(ctx context.Context, h *label.Hold) error
}

// creditEnterprise is one demo enterprise of the credit record, with what
// its record holds: rejected filings and recalls or stop-sales on its
// goods, a level another agency recognised, and an appeal upheld.
type creditEnterprise struct {
	body, name, nameEN string
	rejected           int                // product filings the customs office rejected
	inspections        int                // failed port inspections of its goods
	holds              []label.NoticeKind // recalls and stop-sales on its other products
	recognised         int                // a level another agency recognised (0: none)
	agency, source     string
	appealUpheld       bool // an appeal against its first hold, upheld after the first edition
}

var creditEnterprises = []creditEnterprise{
	{body: "91330206MA2H7Q5C1", name: "宁波保税优品供应链有限公司", nameEN: "Ningbo Bonded YouPin Supply Chain Co., Ltd.",
		recognised: 1, agency: "海关总署", source: "海关高级认证企业（AEO）证书 CN-AEO-2025-3302061"},
	{body: "91350200MA8RJ2K43", name: "厦门海峡跨境商贸有限公司", nameEN: "Xiamen Strait Cross-border Trading Co., Ltd.",
		rejected: 1, holds: []label.NoticeKind{label.NoticeStopSale}},
	{body: "91510100MA6CP8W57", name: "成都天府跨境优选电子商务有限公司", nameEN: "Chengdu Tianfu Cross-border Select E-commerce Co., Ltd.",
		rejected: 1, inspections: 1, holds: []label.NoticeKind{label.NoticeRecall, label.NoticeStopSale}},
	{body: "91440300MA5HX3N29", name: "深圳速达跨境电商有限公司", nameEN: "Shenzhen SuDa Cross-border E-commerce Co., Ltd.",
		rejected: 2, holds: []label.NoticeKind{label.NoticeRecall, label.NoticeRecall, label.NoticeStopSale},
		recognised: 4, agency: "国家市场监督管理总局", source: "严重违法失信名单 国市监信〔2026〕118号"},
	{body: "91120116MA07D4L61", name: "天津滨海进口母婴用品有限公司", nameEN: "Tianjin Binhai Imported Mother & Baby Products Co., Ltd.",
		holds: []label.NoticeKind{label.NoticeRecall, label.NoticeRecall, label.NoticeRecall, label.NoticeRecall, label.NoticeRecall}, appealUpheld: true},
}

// SeedCredit gives the credit record real entries (rejected filings by the
// regulator, recalls and stop-sales on the enterprises' goods, recognised
// levels), grades every enterprise, publishes an edition of the blacklist,
// upholds an appeal that takes one enterprise off it and publishes the
// next edition, so the page lists enterprises and a removal. regulator
// names the editions, decides the filings and records the failed
// inspections (through the ledger when leafFor gives a leaf function).
func SeedCredit(ctx context.Context, s CreditStore, svc *credit.Service, regulator *tracegate.Enterprise, leafFor func(uscc string) epcis.LeafFunc, now time.Time) (*CreditData, error) {
	gtin := 0
	var appeals []string
	for i, ce := range creditEnterprises {
		c, err := tracegate.USCCCheckChar(ce.body)
		if err != nil {
			return nil, err
		}
		e := &tracegate.Enterprise{USCC: ce.body + string(c), Name: ce.name, NameEN: ce.nameEN, Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			return nil, fmt.Errorf("credit enterprise %s: %w", e.USCC, err)
		}
		var ps []*tracegate.Product
		for range ce.rejected + len(ce.holds) {
			gtin++
			body := fmt.Sprintf("069506000%04d", 8000+gtin)
			d, _ := gs1.CheckDigit(body)
			ps = append(ps, &tracegate.Product{GTIN: body + string(d), OwnerID: e.ID, Name: "Infant Formula Stage 2", NameZH: fmt.Sprintf("较大婴儿配方奶粉 2段（%d）", gtin),
				Brand: "Kiwi Meadow", Specification: "800g/罐", HSCode: "1901101000", OriginCountry: "NZ", Manufacturer: "Kiwi Meadow Dairy Ltd"})
		}
		if len(ps) > 0 {
			if _, err := s.SaveProducts(ctx, ps); err != nil {
				return nil, fmt.Errorf("credit products of %s: %w", e.USCC, err)
			}
		}
		for j := range ce.rejected {
			r := tracegate.ProductReview{Status: tracegate.FilingRejected, Reason: "中文标签所示配方与备案资料不符", By: regulator.ID}
			if _, err := s.ReviewProduct(ctx, ps[j].ID, r); err != nil {
				return nil, fmt.Errorf("reject demo filing: %w", err)
			}
		}
		for j, k := range ce.holds {
			p := ps[ce.rejected+j]
			h := &label.Hold{Kind: k, GTIN: p.GTIN, Text: "经抽检，该批次产品蛋白质含量不符合食品安全国家标准，请停止食用并联系商家退货。",
				TextEN: "Tests found the protein content below the national food safety standard: stop using it and contact the seller for a refund.",
				Since:  now.Add(-time.Duration(7*(j+1)+i) * 24 * time.Hour), CreatedBy: regulator.ID}
			if err := s.CreateHold(ctx, h); err != nil {
				return nil, fmt.Errorf("demo hold: %w", err)
			}
			if ce.appealUpheld && j == 0 {
				appeals = append(appeals, e.USCC, fmt.Sprintf("hold:%d", h.ID))
			}
		}
		for j := range ce.inspections {
			if err := failInspection(ctx, s, regulator, leafFor, ps[len(ps)-1].GTIN, now.Add(-time.Duration(20+j)*24*time.Hour)); err != nil {
				return nil, err
			}
		}
		if ce.recognised > 0 {
			if _, err := svc.Recognise(ctx, credit.Recognition{USCC: e.USCC, Agency: ce.agency, Level: ce.recognised,
				At: now.Add(-60 * 24 * time.Hour), Source: ce.source}); err != nil {
				return nil, fmt.Errorf("demo recognition: %w", err)
			}
		}
	}
	if _, err := svc.RecomputeAll(ctx); err != nil {
		return nil, err
	}
	if _, err := svc.Publish(ctx, regulator.USCC); err != nil {
		return nil, err
	}
	for i := 0; i < len(appeals); i += 2 {
		a, err := svc.FileAppeal(ctx, appeals[i], appeals[i+1], "该批次系他人冒用我司标签的仿冒品，已向公安机关报案（附报案回执）。")
		if err != nil {
			return nil, err
		}
		if _, err := svc.ResolveAppeal(ctx, a.ID, credit.AppealUpheld, "经核查，召回批次非该企业进口，该记录不计入信用。"); err != nil {
			return nil, err
		}
	}
	ed, err := svc.Publish(ctx, regulator.USCC)
	if err != nil {
		return nil, err
	}
	last, err := svc.Edition(ctx, ed.Edition)
	if err != nil {
		return nil, err
	}
	o, _, err := svc.Overview(ctx, 0)
	if err != nil {
		return nil, err
	}
	return &CreditData{Levels: o.Distribution, Editions: last.Edition, Listed: len(last.Entries), Removed: len(last.Removals)}, nil
}

// failInspection records, as the regulator, a port inspection that found a
// lot of gtin non-conformant at at (an entry of its filer's record),
// through the ledger when leafFor gives a leaf function.
func failInspection(ctx context.Context, s CreditStore, regulator *tracegate.Enterprise, leafFor func(uscc string) epcis.LeafFunc, gtin string, at time.Time) error {
	t := at.Format(time.RFC3339)
	job, err := captureEvents(ctx, s, regulator, leafFor, t, "", []string{`{"type":"ObjectEvent","eventTime":"` + t + `","eventTimeZoneOffset":"+08:00",
"epcList":[],"quantityList":[{"epcClass":"https://id.gs1.org/01/` + gtin + `/10/NZ2609","quantity":12}],"action":"OBSERVE",
"bizStep":"inspecting","disposition":"non_conformant","readPoint":{"id":"urn:epc:id:sgln:6901234.00010.0"}}`})
	if err != nil {
		return fmt.Errorf("demo inspection: %w", err)
	}
	if job.Captured != 1 {
		return fmt.Errorf("demo inspection: %d events captured, errors %v", job.Captured, job.Errors)
	}
	return nil
}
