package customs

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"time"
)

// Declaration is one generated declaration: the four messages of one order
// (订单, 支付单, 运单, 清单) with what the screening needs beside them. The
// inventory carries a placeholder ds:Signature, because the CEB621 XSD
// requires one; it signs nothing and says so (see placeholderSignature).
type Declaration struct {
	Order     *CEB311Message
	Payment   *CEB411Message
	Waybill   *CEB511Message
	Inventory *CEB621Message
	// QuotaUsed is the buyer's earlier use of the annual limit this year.
	QuotaUsed Money
	// CTQty is each line's quantity in its consumption-tax threshold unit.
	CTQty map[int]string
	// Fault is the rule this declaration was generated to fail, "" for a
	// clean one.
	Fault string
}

// Documents returns the documents of d for CheckThreeDocs or Screen.
func (d *Declaration) Documents() Documents {
	return Documents{Order: &d.Order.Orders[0], Payment: &d.Payment.Payments[0].Head,
		Waybill: &d.Waybill.Logistics[0].Head, Inventory: &d.Inventory.Inventories[0]}
}

// ScreeningInput returns the second-line screening input of d.
func (d *Declaration) ScreeningInput() ScreeningInput {
	return ScreeningInput{Line: SecondLine, Documents: d.Documents(), QuotaUsed: d.QuotaUsed, CTQty: d.CTQty}
}

// The faults GenerateDay can inject, one per declaration at most.
var generatorFaults = []string{
	RuleAmount, RuleConsignee, RulePayer, RuleLines, RuleLimitSingle, RuleLimitAnnual,
	RulePositiveList, RuleProhibited, RuleBarcodeRisk, RuleFiling, RuleCredit,
}

// DefaultFaultRates makes 3% of declarations fail each rule GenerateDay can
// break (so about a third of a day fails something).
var DefaultFaultRates = func() map[string]float64 {
	m := map[string]float64{}
	for _, f := range generatorFaults {
		m[f] = 0.03
	}
	return m
}()

// GenerateDay returns n declarations dated on date's calendar day (China
// Standard Time), reproducible from seed, with the fault rates of
// DefaultFaultRates. See GenerateDayWith.
func GenerateDay(seed int64, n int, date time.Time) []Declaration {
	return GenerateDayWith(seed, n, date, DefaultFaultRates)
}

// GenerateDayWith returns n declarations dated on date's calendar day (China
// Standard Time), reproducible from seed. Each is a consistent set of
// order, payment, waybill and bonded (1210) inventory that passes Validate
// (Version202205) and, with the tables of DemoTables, screens as pass;
// except that a fraction faults[rule] of them is made to fail that rule:
// three_docs.amount (amountPaid off by 1.00), three_docs.consignee
// (waybill telephone), three_docs.payer (another payer), three_docs.lines
// (inventory qty), limit.single (several items over 5,000), limit.annual
// (quota nearly used up), positive_list, prohibited, barcode_risk,
// filing_missing (a product of that kind) and credit (a level-4
// enterprise). Fractions are clamped so that they sum to at most 1; unknown
// rules are ignored. It never fails; n ≤ 0 gives nil.
func GenerateDayWith(seed int64, n int, date time.Time, faults map[string]float64) []Declaration {
	if n <= 0 {
		return nil
	}
	g := &generator{rnd: rand.New(rand.NewSource(seed)), day: dayOf(date)}
	out := make([]Declaration, n)
	for i := range out {
		r, fault, acc := g.rnd.Float64(), "", 0.0
		for _, f := range generatorFaults {
			acc += faults[f]
			if r < acc {
				fault = f
				break
			}
		}
		out[i] = g.declaration(i+1, fault)
	}
	return out
}

type generator struct {
	rnd *rand.Rand
	day time.Time
}

func (g *generator) pick(n int) int { return g.rnd.Intn(n) }

func (g *generator) guid() string {
	r := g.rnd
	return fmt.Sprintf("%08X-%04X-%04X-%04X-%012X", r.Uint32(), r.Intn(1<<16), 0x4000|r.Intn(1<<12), 0x8000|r.Intn(1<<14), r.Int63n(1<<48))
}

// idNumber returns an 18-character resident ID number with a valid GB 11643
// check character.
func (g *generator) idNumber(birth time.Time) string {
	areas := []string{"110101", "310104", "440106", "330106", "510107", "420102"}
	s := areas[g.pick(len(areas))] + birth.Format("20060102") + fmt.Sprintf("%03d", g.pick(1000))
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

var (
	surnames   = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "林"}
	givenNames = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "婷", "杰", "丽", "强", "欣怡", "子涵", "浩然", "雨桐", "思远"}
	addresses  = []string{"广东省广州市南沙区进港大道", "北京市海淀区中关村大街", "上海市浦东新区世纪大道", "浙江省杭州市西湖区文三路",
		"四川省成都市高新区天府大道", "湖北省武汉市江汉区解放大道"}
)

func (g *generator) person() (name, phone string) {
	return surnames[g.pick(len(surnames))] + givenNames[g.pick(len(givenNames))],
		fmt.Sprintf("1%d%09d", 3+g.pick(7), g.pick(1_000_000_000))
}

func (g *generator) declaration(seq int, fault string) Declaration {
	at := g.day.Add(time.Duration(8*3600+g.pick(14*3600)) * time.Second)
	appTime := at.Format("20060102150405")
	ent := demoEnterprises[g.pick(3)]
	if fault == RuleCredit {
		ent = demoEnterprises[3]
	}
	buyer, buyerPhone := g.person()
	buyerID := g.idNumber(time.Date(1960+g.pick(45), time.Month(1+g.pick(12)), 1+g.pick(28), 0, 0, 0, 0, time.UTC))
	consignee, phone := buyer, buyerPhone
	if g.pick(4) == 0 {
		consignee, phone = g.person()
	}
	address := addresses[g.pick(len(addresses))] + strconv.Itoa(1+g.pick(999)) + "号"

	// Goods: 1 to 3 clean products, then the fault's product.
	type item struct {
		p   *demoProduct
		qty int
	}
	var items []item
	switch fault {
	case RuleLimitSingle:
		items = []item{{&demoCatalogue[demoWatch], 2}}
	default:
		for k := 1 + g.pick(3); k > 0; k-- {
			items = append(items, item{&demoCatalogue[demoClean[g.pick(len(demoClean))]], 1 + g.pick(3)})
		}
		var special int = -1
		switch fault {
		case RulePositiveList:
			special = demoNotListed
		case RuleProhibited:
			special = demoProhibited
		case RuleBarcodeRisk:
			special = demoRisky
		case RuleFiling:
			special = demoUnfiled
		}
		if special >= 0 {
			items = append(items, item{&demoCatalogue[special], 1})
		}
		// Keep clean orders within the single limit.
		for {
			var sum Money
			for _, it := range items {
				sum += it.p.price * Money(it.qty)
			}
			if sum <= Yuan(4800) || len(items) == 1 {
				break
			}
			items = items[1:]
		}
	}

	orderNo := fmt.Sprintf("T%s%06d", g.day.Format("20060102"), seq)
	logisticsNo := fmt.Sprintf("SF%s%07d", g.day.Format("060102"), seq)
	var goodsValue Money
	var oLines []OrderList
	var iLines []InventoryList
	ctQty := map[int]string{}
	var weight float64
	for i, it := range items {
		gnum := strconv.Itoa(i + 1)
		total := it.p.price * Money(it.qty)
		goodsValue += total
		qty := strconv.Itoa(it.qty)
		itemNo := it.p.itemNo
		oLines = append(oLines, OrderList{Gnum: gnum, ItemNo: &itemNo, ItemName: it.p.name, Gmodel: it.p.model,
			BarCode: optional(it.p.gtin), Unit: "007", Qty: qty, Price: it.p.price.String(), TotalPrice: total.String(),
			Currency: "142", Country: it.p.country})
		iLines = append(iLines, InventoryList{Gnum: gnum, ItemRecordNo: optional(it.p.recordNo), ItemNo: optional(itemNo),
			ItemName: optional(it.p.name), Gcode: it.p.gcode, Gname: it.p.name, Gmodel: it.p.model, BarCode: optional(it.p.gtin),
			Country: it.p.country, Currency: "142", Qty: qty, Unit: "007",
			Qty1: strconv.FormatFloat(it.p.kg*float64(it.qty), 'f', 3, 64), Unit1: "035",
			Price: it.p.price.String(), TotalPrice: total.String()})
		weight += it.p.kg * float64(it.qty)
		if it.p.ctPerUnit != 0 {
			ctQty[i+1] = strconv.Itoa(it.p.ctPerUnit * it.qty)
		}
	}
	freight := Yuan(int64(g.pick(3) * 5))
	var discount Money
	if g.pick(5) == 0 {
		discount = Yuan(5)
	}
	inv := Inventory{Head: InventoryHead{
		GUID: g.guid(), AppType: "1", AppTime: appTime, AppStatus: "2", OrderNo: orderNo,
		EbpCode: ent.ebp, EbpName: ent.ebpName, EbcCode: ent.code, EbcName: ent.name,
		LogisticsNo: logisticsNo, LogisticsCode: demoLogistics, LogisticsName: demoLogisticsName,
		CopNo: optional(fmt.Sprintf("C%s%06d", g.day.Format("20060102"), seq)), AssureCode: ent.code,
		EmsNo: optional("T5165W000001"), IeFlag: "I", DeclTime: g.day.Format("20060102"),
		CustomsCode: "5165", PortCode: "5165", BuyerIDType: "1", BuyerIDNumber: buyerID, BuyerName: buyer,
		BuyerTelephone: buyerPhone, ConsigneeAddress: address, AgentCode: ent.code, AgentName: ent.name,
		AreaCode: optional(demoWarehouse), AreaName: optional(demoWarehouseName), TradeMode: TradeModeBonded, TrafMode: "4", // 保税进口: 二线出区物流运输方式, by road
		Country: "142", Freight: freight.String(), InsuredFee: "0", Currency: "142", PackNo: "1",
		GrossWeight: strconv.FormatFloat(weight+0.2, 'f', 3, 64), NetWeight: strconv.FormatFloat(weight, 'f', 3, 64),
	}, Lines: iLines}
	// taxTotal is the retail tax the platform withholds.
	var taxTotal Money
	if ti, err := TaxInputFromInventory(&inv, TaxRetail); err == nil {
		for i := range ti.Lines {
			ti.Lines[i].CTQty = ctQty[ti.Lines[i].Gnum]
		}
		if res, err := ComputeTax(ti, demoTariffOnce()); err == nil {
			taxTotal = res.Total()
		}
	}
	paid := goodsValue + freight + taxTotal - discount
	payTx := fmt.Sprintf("P%s%08d", at.Format("20060102150405"), g.pick(100_000_000))
	order := Order{Head: OrderHead{
		GUID: g.guid(), AppType: "1", AppTime: appTime, AppStatus: "2", OrderType: "I", OrderNo: orderNo,
		EbpCode: ent.ebp, EbpName: ent.ebpName, EbcCode: ent.code, EbcName: ent.name,
		GoodsValue: goodsValue.String(), Freight: freight.String(), Discount: discount.String(), TaxTotal: taxTotal.String(),
		ActuralPaid: paid.String(), Currency: "142", BuyerRegNo: fmt.Sprintf("u%08d", g.pick(100_000_000)),
		BuyerName: buyer, BuyerTelephone: buyerPhone, BuyerIDType: "1", BuyerIDNumber: buyerID,
		PayCode: optional(demoPay), PayName: optional(demoPayName), PayTransactionID: optional(payTx),
		Consignee: consignee, ConsigneeTelephone: phone, ConsigneeAddress: address,
	}, Lines: oLines}
	pay := PaymentHead{GUID: g.guid(), AppType: "1", AppTime: appTime, AppStatus: "2", PayCode: demoPay, PayName: demoPayName,
		PayTransactionID: payTx, OrderNo: orderNo, EbpCode: ent.ebp, EbpName: ent.ebpName,
		PayerIDType: "1", PayerIDNumber: buyerID, PayerName: buyer, Telephone: optional(buyerPhone),
		AmountPaid: paid.String(), Currency: "142", PayTime: appTime}
	way := LogisticsHead{GUID: g.guid(), AppType: "1", AppTime: appTime, AppStatus: "2",
		LogisticsCode: demoLogistics, LogisticsName: demoLogisticsName, LogisticsNo: logisticsNo, OrderNo: orderNo,
		Freight: optional(freight.String()), InsuredFee: optional("0"), Currency: "142",
		Weight: strconv.FormatFloat(weight+0.2, 'f', 3, 64), PackNo: "1",
		Consignee: consignee, ConsigneeAddress: address, ConsigneeTelephone: phone}

	d := Declaration{CTQty: ctQty, Fault: fault}
	switch fault {
	case RuleAmount:
		pay.AmountPaid = (paid + Yuan(1)).String()
	case RuleConsignee:
		_, way.ConsigneeTelephone = g.person()
	case RulePayer:
		other, _ := g.person()
		pay.PayerName = other
		pay.PayerIDNumber = g.idNumber(time.Date(1970, 5, 5, 0, 0, 0, 0, time.UTC))
	case RuleLines:
		q, _ := strconv.Atoi(inv.Lines[0].Qty)
		inv.Lines[0].Qty = strconv.Itoa(q + 1)
	case RuleLimitAnnual:
		d.QuotaUsed = DefaultLimits.Annual - Yuan(50)
	}
	transfer := func(code, name string) Transfer {
		return Transfer{BaseTransfer: BaseTransfer{CopCode: code, CopName: name, DxpMode: "DXP", DxpID: "DXPENT0000" + code[len(code)-6:]}}
	}
	d.Order = &CEB311Message{Envelope: Envelope{GUID: order.Head.GUID, Version: "1.0"}, Orders: []Order{order}, Transfer: transfer(ent.ebp, ent.ebpName)}
	d.Payment = &CEB411Message{Envelope: Envelope{GUID: pay.GUID, Version: "1.0"}, Payments: []Payment{{Head: pay}}, Transfer: transfer(demoPay, demoPayName)}
	d.Waybill = &CEB511Message{Envelope: Envelope{GUID: way.GUID, Version: "1.0"}, Logistics: []Logistics{{Head: way}}, Transfer: transfer(demoLogistics, demoLogisticsName)}
	d.Inventory = &CEB621Message{Envelope: Envelope{GUID: inv.Head.GUID, Version: "1.0"}, Inventories: []Inventory{inv}, Transfer: transfer(ent.code, ent.name)}
	d.Inventory.Signature = &Signature{Prefix: "ds", Inner: []byte(placeholderSignature)}
	return d
}

// placeholderSignature is the content of the generated inventories'
// ds:Signature: not a signature, and recognisably so.
const placeholderSignature = `<ds:SignatureValue>UNSIGNED-DEMO-DATA</ds:SignatureValue>`

// trimCSV drops the indentation of a table written in the source.
func trimCSV(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString(strings.TrimSpace(l))
		b.WriteByte('\n')
	}
	return b.String()
}
