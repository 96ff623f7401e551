package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"tracegate"
	"tracegate/customs"
)

// CustomsDeclarations is how many declarations SeedCustoms generates: a
// small day of a bonded warehouse.
const CustomsDeclarations = 120

// CustomsStore is what the customs demo data goes into.
type CustomsStore interface {
	Store
	customs.Store
}

// CustomsData is what SeedCustoms created.
type CustomsData struct {
	Declarations int                     // generated
	Outcomes     map[customs.Outcome]int // decisions by status
	Reviews      int                     // in the regulator's queue
}

// SeedCustoms loads the demo customs tables (customs.DemoTables) through
// cs, files the products they name under the demo e-commerce enterprise,
// and takes a day of declarations (customs.GenerateDay, about a third
// failing one rule each) through the intake as that enterprise, so the
// regulator sees pass, review, refuse and waiting decisions, the review
// queue and their ledger leaves. Every 40th declaration lacks its waybill
// (waiting). Credit is absent (nil), so the credit fault passes. date picks
// the day. It fails when a table, filing or message is refused, which would
// be a bug in the demo data.
func SeedCustoms(ctx context.Context, s CustomsStore, cs *customs.Service, d *Data, date time.Time) (*CustomsData, error) {
	tables := customs.DemoTables()
	for _, t := range []struct{ kind, csv string }{
		{customs.TablePositiveList, tables.PositiveListCSV}, {customs.TableTariff, tables.TariffCSV},
		{customs.TableProhibited, tables.ProhibitedCSV}, {customs.TableBarcodeRisk, tables.Barcodes.CSV()},
	} {
		if _, err := cs.LoadTable(ctx, t.kind, []byte(t.csv)); err != nil {
			return nil, fmt.Errorf("demo customs table %s: %w", t.kind, err)
		}
	}
	seller := d.enterpriseWith(tracegate.RoleEcommerce)
	var ps []*tracegate.Product
	for key := range tables.Filings {
		if len(key) != 13 || strings.Trim(key, "0123456789") != "" {
			continue // an item record number; the GTIN files the product
		}
		p := &tracegate.Product{GTIN: key, OwnerID: seller.ID, Name: "Demo import " + key, NameZH: "演示进口商品 " + key,
			Brand: "Demo", Specification: "—", HSCode: "3304990099", OriginCountry: "JP", Manufacturer: "Demo Manufacturer"}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("demo customs product %s: %w", key, err)
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].GTIN < ps[j].GTIN })
	if _, err := s.SaveProducts(ctx, ps); err != nil {
		return nil, fmt.Errorf("demo customs products: %w", err)
	}
	if err := approveFilings(ctx, s, d.enterpriseWith(tracegate.RoleRegulator).ID, ps); err != nil {
		return nil, err
	}
	from := customs.Sender{EnterpriseID: seller.ID, USCC: seller.USCC}
	out := &CustomsData{Outcomes: map[customs.Outcome]int{}}
	day := customs.GenerateDay(20261123, CustomsDeclarations, date)
	for i := range day {
		decl := &day[i]
		if decl.QuotaUsed > 0 { // the limit.annual fault: a buyer who used most of the year's quota
			h := decl.Inventory.Inventories[0].Head
			if err := cs.AddEarlierQuota(ctx, h.BuyerIDType, h.BuyerIDNumber, date, decl.QuotaUsed); err != nil {
				return nil, err
			}
		}
		msgs := []customs.Message{decl.Order, decl.Payment, decl.Waybill, decl.Inventory}
		if i%40 == 39 {
			msgs = []customs.Message{decl.Order, decl.Payment, decl.Inventory}
		}
		var last *customs.IntakeResult
		for _, m := range msgs {
			body, err := customs.Marshal(m)
			if err != nil {
				return nil, err
			}
			if last, err = cs.Intake(ctx, from, body); err != nil {
				return nil, fmt.Errorf("demo declaration %d (%s): %w", i, m.MessageType(), err)
			}
		}
		if dec := last.Documents[0].Decision; dec != nil {
			out.Outcomes[dec.Status]++
		}
		out.Declarations++
	}
	rs, err := cs.Reviews(ctx, 1000)
	if err != nil {
		return nil, err
	}
	out.Reviews = len(rs)
	return out, nil
}
