package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/epcis"
	"tracegate/gs1"
	"tracegate/label"
)

// LabelStore is what the label demo data goes into.
type LabelStore interface {
	CustomsStore
	label.Store
}

// LabelItem is one labelled demo item whose scan page is worth showing.
type LabelItem struct {
	Code    label.Code
	Product *tracegate.Product
	Story   string // what its page shows, for people
}

// LabelData is what SeedLabels created.
type LabelData struct {
	Labels int         // issued
	Items  []LabelItem // a few telling ones
}

// labelledProducts are the demo products (indexes into products) that get
// labels, with the customs catalogue line their declarations are made from
// (same HS code, so the demo tables screen them as pass).
var labelledProducts = []struct {
	product int
	hs      string
}{{0, "1901101000"}, {2, "3304990099"}, {4, "9619001100"}, {1, "2106909090"}}

// labelsPerProduct is how many labels each labelled product gets.
const labelsPerProduct = 6

// DemoCode is the code of the i-th demo label: reproducible, so the README
// can link a scan page of `tracegate demo`. Real labels come from
// crypto/rand (label.Generate).
func DemoCode(i int) label.Code {
	sum := sha256.Sum256(fmt.Appendf(nil, "tracegate demo label %d", i))
	return label.CodeFromBytes([16]byte(sum[:16]))
}

// SeedLabels gives the labelled demo products a lot-level journey (factory,
// departure, arrival at Nansha, inspection, bonded warehouse), has the
// warehouse request labels and bind them at intake, declares half of them
// through the customs intake (order, payment, waybill and inventory of one
// item each), records their release, dispatch and, for some, delivery; one
// item has scans from two far-apart cities (a suspected copy) and one batch
// a risk notice. Ledger leaves are written when leafFor is given. now is the
// demo's present: the journeys end in the days before it.
func SeedLabels(ctx context.Context, s LabelStore, svc *label.Service, cs *customs.Service, d *Data, leafFor func(uscc string) epcis.LeafFunc, now time.Time) (*LabelData, error) {
	cst := time.FixedZone("+08:00", 8*3600)
	now = now.In(cst).Truncate(time.Minute)
	leaf := func(e *tracegate.Enterprise) epcis.LeafFunc {
		if leafFor == nil {
			return nil
		}
		return leafFor(e.USCC)
	}
	header := demoMasterData() // sent with the first capture
	capture := func(role tracegate.Role, events ...string) error {
		_, err := captureEvents(ctx, s, d.enterpriseWith(role), leafFor, now.Format(time.RFC3339), header, events)
		header = ""
		return err
	}
	wh := d.enterpriseWith(tracegate.RoleWarehouse)
	whP := &tracegate.Principal{EnterpriseID: wh.ID, USCC: wh.USCC, Enterprise: wh, Role: tracegate.RoleWarehouse}
	seller := d.enterpriseWith(tracegate.RoleEcommerce)
	out := &LabelData{}
	day := customs.GenerateDayWith(20261202, 400, now.AddDate(0, 0, -4), nil)
	used := map[int]bool{}
	for li, lp := range labelledProducts {
		p := d.Products[lp.product]
		src := products[lp.product]
		lot := fmt.Sprintf("L%s26%02d", src.origin, 9+li)
		made := now.AddDate(0, 0, -45+li)
		expiry := expiryOf(src.hs, lot, made)
		class, badLot := gs1.BuildURI(gs1.DefaultStem, []gs1.AIValue{{AI: "01", Value: p.GTIN}, {AI: "10", Value: lot}})
		if badLot != nil {
			return nil, fmt.Errorf("demo lot of %s: %w", p.NameZH, badLot)
		}
		lotEvent := func(at time.Time, step, disp, place string, extra string) string {
			return fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","quantityList":[{"epcClass":"%s","quantity":2400,"uom":"H87"}],"action":"%s","bizStep":"%s","disposition":"%s","readPoint":{"id":"%s"},"bizLocation":{"id":"%s"}%s}`,
				at.Format(time.RFC3339), class, map[bool]string{true: "ADD", false: "OBSERVE"}[step == "commissioning"], step, disp, place, place, extra)
		}
		origin := places[src.origin]
		steps := []struct {
			role tracegate.Role
			ev   string
		}{
			{tracegate.RoleManufacturer, lotEvent(made, "commissioning", "active", origin,
				fmt.Sprintf(`,"ilmd":{"cbvmda:lotNumber":"%s","cbvmda:itemExpirationDate":"%s"}`, lot, expiry.Format(time.DateOnly)))},
			{tracegate.RoleLogistics, lotEvent(made.AddDate(0, 0, 8), "departing", "in_transit", origin, "")},
			{tracegate.RoleLogistics, lotEvent(made.AddDate(0, 0, 21), "arriving", "in_progress", portNansha, "")},
			{tracegate.RoleRegulator, lotEvent(made.AddDate(0, 0, 22), "inspecting", "conformant", portNansha, "")},
			{tracegate.RoleWarehouse, lotEvent(made.AddDate(0, 0, 23), "receiving", "sellable_not_accessible", bondedWarehouse, "")},
		}
		for _, st := range steps {
			if err := capture(st.role, st.ev); err != nil {
				return nil, fmt.Errorf("demo lot events of %s: %w", p.NameZH, err)
			}
		}
		codes := make([]label.Code, labelsPerProduct)
		for i := range codes {
			codes[i] = DemoCode(li*labelsPerProduct + i)
		}
		// The seller requests the labels of its goods and the warehouse,
		// which it authorised (seedParties), binds them; a platform's own
		// goods are labelled by the warehouse.
		issuer := whP
		if owner := d.enterpriseByID(p.OwnerID); owner != nil && owner.HasRole(tracegate.RoleEcommerce) {
			issuer = &tracegate.Principal{EnterpriseID: owner.ID, USCC: owner.USCC, Enterprise: owner, Role: tracegate.RoleEcommerce}
		}
		if _, err := svc.IssueCodes(ctx, issuer, codes, p.Brand, leafFor != nil); err != nil {
			return nil, fmt.Errorf("demo labels of %s: %w", p.NameZH, err)
		}
		out.Labels += len(codes)
		all := make([]string, len(codes))
		for i, c := range codes {
			all[i] = c.String()
		}
		_, err := svc.Intake(ctx, whP, &label.IntakeRequest{Codes: all, GTIN: p.GTIN, Batch: lot,
			ProductionDate: made.Format(time.DateOnly), ExpiryDate: expiry.Format(time.DateOnly),
			Warehouse: wh.Name, Location: bondedWarehouse, At: made.AddDate(0, 0, 24)}, leaf(wh))
		if err != nil {
			return nil, fmt.Errorf("demo intake of %s: %w", p.NameZH, err)
		}
		// Half the items are sold: one declaration each, released,
		// dispatched, and (but the last) delivered.
		for i := range labelsPerProduct / 2 {
			decl, err := demoDeclaration(day, used, lp.hs, p)
			if err != nil {
				return nil, err
			}
			var res *customs.IntakeResult
			for _, m := range []customs.Message{decl.Order, decl.Payment, decl.Waybill, decl.Inventory} {
				body, err := customs.Marshal(m)
				if err != nil {
					return nil, err
				}
				if res, err = cs.Intake(ctx, customs.Sender{EnterpriseID: seller.ID, USCC: seller.USCC}, body); err != nil {
					return nil, fmt.Errorf("demo declaration of %s: %w", p.NameZH, err)
				}
			}
			if dec := res.Documents[0].Decision; dec == nil || dec.Status != customs.OutcomePass {
				return nil, fmt.Errorf("demo declaration of %s was not passed: %+v", p.NameZH, dec)
			}
			h := decl.Inventory.Inventories[0].Head
			sold := now.AddDate(0, 0, -3+i).Add(time.Duration(li) * time.Hour)
			epc := label.EPC(svc.Hash(codes[i]))
			bizTx := fmt.Sprintf(`,"bizTransactionList":[{"type":"po","bizTransaction":"%s"},{"type":"bol","bizTransaction":"%s"}]`,
				label.OrderURI(h.EbpCode, h.OrderNo), label.WaybillURI(h.LogisticsCode, h.LogisticsNo))
			release := fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","epcList":["%s"],"action":"OBSERVE","bizStep":"%s","disposition":"sellable_accessible","readPoint":{"id":"%s"}%s}`,
				sold.Add(time.Hour).Format(time.RFC3339), epc, releaseStep, bondedWarehouse, bizTx)
			if err := capture(tracegate.RoleRegulator, release); err != nil {
				return nil, fmt.Errorf("demo release of %s: %w", p.NameZH, err)
			}
			_, err = svc.Dispatch(ctx, whP, &label.DispatchRequest{Codes: []string{codes[i].String()}, EBPCode: h.EbpCode, OrderNo: h.OrderNo,
				LogisticsCode: h.LogisticsCode, WaybillNo: h.LogisticsNo, Location: bondedWarehouse, At: sold.Add(3 * time.Hour)}, leaf(wh))
			if err != nil {
				return nil, fmt.Errorf("demo dispatch of %s: %w", p.NameZH, err)
			}
			story := "已出仓，在途 / dispatched, in transit"
			if i < labelsPerProduct/2-1 {
				delivered := fmt.Sprintf(`{"type":"ObjectEvent","eventTime":"%s","eventTimeZoneOffset":"+08:00","epcList":["%s"],"action":"OBSERVE","bizStep":"receiving","disposition":"completeness_verified","readPoint":{"id":"%s"}%s}`,
					sold.Add(30*time.Hour).Format(time.RFC3339), epc, deliveryHub, bizTx)
				if err := capture(tracegate.RoleLogistics, delivered); err != nil {
					return nil, fmt.Errorf("demo delivery of %s: %w", p.NameZH, err)
				}
				story = "已签收 / delivered"
			}
			if li == 0 && i == 0 {
				// A copied code: scanned in Guangzhou, 20 minutes later in
				// Ürümqi, then a dozen times in six cities from six networks
				// over two days. Far-apart positions alone never convict (they
				// come from the client); with many scans from many networks
				// they do (label.Assess).
				first := sold.Add(31 * time.Hour)
				cities := []struct {
					lat, lon  float64
					net, name string
				}{{23.1, 113.3, "113.108.0.0/24", "广州"}, {43.8, 87.6, "124.117.0.0/24", "乌鲁木齐"}, {31.2, 121.5, "101.80.0.0/24", "上海"},
					{30.6, 104.1, "118.113.0.0/24", "成都"}, {39.9, 116.4, "123.112.0.0/24", "北京"}, {22.5, 114.1, "183.14.0.0/24", "深圳"}}
				var scans []label.ScanRecord
				for k := range 12 {
					c := cities[k%len(cities)]
					at := first.Add(time.Duration(k) * 4 * time.Hour)
					if k == 1 {
						at = first.Add(20 * time.Minute)
					}
					scans = append(scans, label.ScanRecord{Hash: svc.Hash(codes[i]), Scan: label.Scan{At: at, HasPosition: true,
						Lat: c.lat, Lon: c.lon, IPPrefix: c.net, Place: c.name, Device: label.DevicePhone}})
				}
				if err := s.RecordScans(ctx, scans); err != nil {
					return nil, err
				}
				story = "疑似复制（两地扫码）/ suspected copy"
			}
			if i < 2 {
				out.Items = append(out.Items, LabelItem{Code: codes[i], Product: p, Story: story})
			}
		}
		if li == 3 {
			h := &label.Hold{Kind: label.NoticeRiskNotice, GTIN: p.GTIN, Batch: lot, Since: now.AddDate(0, 0, -1),
				Text:   "批次 " + lot + " 抽检发现标签中文说明不规范，已责令整改，不影响食用安全。",
				TextEN: "Spot check of batch " + lot + " found a non-conforming Chinese label; corrected, no safety concern."}
			if err := s.CreateHold(ctx, h); err != nil {
				return nil, err
			}
		}
		if li == 2 {
			// The brand owner recalls a batch: the regulator records it, and
			// every item of the lot shows it first, delivered or not.
			h := &label.Hold{Kind: label.NoticeRecall, GTIN: p.GTIN, Batch: lot, Since: now.AddDate(0, 0, -2),
				Text:   "因部分批次 " + lot + " 产品密封不严可能受潮，品牌方主动召回该批次全部商品。",
				TextEN: "The brand owner is recalling every item of batch " + lot + ": some seals may be loose and let in moisture."}
			if err := s.CreateHold(ctx, h); err != nil {
				return nil, err
			}
		}
		out.Items = append(out.Items, LabelItem{Code: codes[labelsPerProduct-1], Product: p, Story: "在保税仓 / in the bonded warehouse"})
		if li == 2 {
			for i := len(out.Items) - 3; i < len(out.Items); i++ {
				out.Items[i].Story += "，召回 / recalled"
			}
		}
		if li == 3 {
			for i := len(out.Items) - 3; i < len(out.Items); i++ {
				out.Items[i].Story += "，风险提示 / risk notice"
			}
		}
	}
	return out, nil
}

// placeNames are the master-data names of the demo's locations.
var placeNames = map[string]string{
	places["NZ"]:    "新西兰奥克兰港（Port of Auckland, NZ）",
	places["AU"]:    "澳大利亚墨尔本港（Port of Melbourne, AU）",
	places["JP"]:    "日本横滨港（Port of Yokohama, JP）",
	portNansha:      "广州南沙港（Nansha Port）",
	bondedWarehouse: "南沙保税港区优链仓（Nansha bonded warehouse）",
	deliveryHub:     "广州天河配送站（Guangzhou delivery station）",
}

// demoMasterData is an EPCIS header naming the demo's locations
// (BusinessLocation vocabulary, CBV name attribute), ending in a comma.
func demoMasterData() string {
	var els []string
	for _, id := range slices.Sorted(maps.Keys(placeNames)) {
		els = append(els, fmt.Sprintf(`{"id":"%s","attributes":[{"id":"urn:epcglobal:cbv:mda#name","attribute":"%s"}]}`, id, placeNames[id]))
	}
	return `"epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[` +
		strings.Join(els, ",") + `]}]}},`
}

// demoDeclaration takes the next clean one-line declaration of day whose
// goods have HS code hs and makes it a sale of one piece of product p.
func demoDeclaration(day []customs.Declaration, used map[int]bool, hs string, p *tracegate.Product) (*customs.Declaration, error) {
	for i := range day {
		d := &day[i]
		inv := &d.Inventory.Inventories[0]
		ord := &d.Order.Orders[0]
		if used[i] || len(inv.Lines) != 1 || inv.Lines[0].Gcode != hs || inv.Lines[0].Qty != "1" {
			continue
		}
		used[i] = true
		gtin13 := strings.TrimPrefix(p.GTIN, "0")
		name := p.NameZH
		if len([]rune(name)) > 50 {
			name = string([]rune(name)[:50])
		}
		inv.Lines[0].Gname, inv.Lines[0].Gmodel, inv.Lines[0].BarCode = name, p.Specification, &gtin13
		inv.Lines[0].ItemName = &name
		ord.Lines[0].ItemName, ord.Lines[0].Gmodel, ord.Lines[0].BarCode = name, p.Specification, &gtin13
		return d, nil
	}
	return nil, fmt.Errorf("demo: no clean one-piece declaration of HS %s left", hs)
}
