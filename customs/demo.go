package customs

import (
	"strings"
	"sync"
)

// DemoData are the tables that GenerateDay's declarations are screened
// against: a small positive list, tariff and prohibited table as the CSV
// the regulator would load, and the barcode library, product filings and
// credit levels of the demo enterprises. The rates and list lines are
// plausible demo values, not the official tariff or list.
type DemoData struct {
	PositiveListCSV string
	TariffCSV       string
	ProhibitedCSV   string
	Barcodes        BarcodeRiskTable
	Filings         FilingSet
	Credit          CreditMap
}

const demoPositiveCSV = `
	hs8,name,modes,note,effective_from
	33049900,其他美容品或化妆品及护肤品,1210|9610,,2022-03-01
	19011010,供婴幼儿食用的零售包装配方奶粉,1210|9610,,2022-03-01
	96190011,婴儿尿布,1210|9610,,2022-03-01
	21069090,其他编号未列名的食品,1210|9610,仅限网购保税进口,2022-03-01
	85098000,其他家用电动器具,1210|9610,,2022-03-01
	22042100,小包装的鲜葡萄酿造的酒,1210|9610,,2022-03-01
	91021100,机械指示式的其他手表,1210|9610,,2022-03-01
	04109010,燕窝,1210,,2022-03-01
	33051000,洗发剂（香波）,1210|9610,,2022-03-01
`

const demoTariffCSV = `
	hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit
	33049900,0.01,0.13,0.15,10,CNY/ml
	19011010,0.15,0.13,,,
	96190011,0.02,0.13,,,
	21069090,0.2,0.13,,,
	85098000,0.08,0.13,,,
	22042100,0.14,0.13,0.1,,
	91021100,0.08,0.13,0.2,10000,CNY/piece
	04109010,0.25,0.09,,,
	33051000,0.03,0.13,,,
	06031100,0.1,0.09,,,
`

const demoProhibitedCSV = `
	hs_prefix,category,reason
	04109010,未获检疫准入的动物源性食品,燕窝未获检疫准入
	2844,放射性物品,
	3602,危险化学品,炸药
	6309,旧品及废品,旧衣物
`

type demoProduct struct {
	name, model, gcode, gtin, recordNo, itemNo, country string
	price                                               Money
	kg                                                  float64
	ctPerUnit                                           int // quantity in the CT threshold unit per piece, 0 if none
}

// gtin13 appends the GS1 check digit to 12 digits.
func gtin13(s string) string {
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

var demoCatalogue = []demoProduct{
	{"保湿面霜", "50ml/瓶", "3304990099", gtin13("490123456001"), "R1001", "SKU-1001", "116", 38000, 0.12, 50},
	{"精华液", "30ml/瓶", "3304990099", gtin13("300123456002"), "R1002", "SKU-1002", "305", 89000, 0.1, 30},
	{"婴儿配方奶粉", "900g/罐 1段", "1901101000", gtin13("930123456003"), "R1003", "SKU-1003", "601", 26800, 0.9, 0},
	{"婴儿纸尿裤", "L码 54片", "9619001100", gtin13("490123456004"), "R1004", "SKU-1004", "116", 12900, 1.2, 0},
	{"鱼油软胶囊", "1000mg×200粒", "2106909090", gtin13("000123456005"), "R1005", "SKU-1005", "502", 19900, 0.3, 0},
	{"电动牙刷", "充电式", "8509800000", gtin13("400123456006"), "R1006", "SKU-1006", "304", 45900, 0.5, 0},
	{"红葡萄酒", "750ml 13.5%vol", "2204210000", gtin13("300123456007"), "R1007", "SKU-1007", "305", 16800, 1.3, 0},
	{"机械手表", "自动上链 钢表壳", "9102110000", gtin13("760123456008"), "R1008", "SKU-1008", "331", 280000, 0.2, 1},
	{"鲜切玫瑰", "20枝/束", "0603110000", gtin13("870123456009"), "R1009", "SKU-1009", "309", 9900, 0.8, 0},
	{"即食燕窝", "70g×6瓶", "0410901000", gtin13("955123456010"), "R1010", "SKU-1010", "122", 68800, 0.6, 0},
	{"维生素软糖", "60粒", "2106909090", gtin13("000123456011"), "R1011", "SKU-1011", "502", 15900, 0.2, 0},
	{"洗发水", "500ml", "3305100000", gtin13("880123456012"), "R1012", "SKU-1012", "133", 8900, 0.55, 0},
}

// Indexes into demoCatalogue.
const (
	demoWatch      = 7
	demoNotListed  = 8
	demoProhibited = 9
	demoRisky      = 10
	demoUnfiled    = 11
)

var demoClean = []int{0, 1, 2, 3, 4, 5, 6}

type demoEnterprise struct{ code, name, ebp, ebpName string }

var demoEnterprises = []demoEnterprise{
	{"4401960001", "广州优选跨境贸易有限公司", "4401980001", "跨境优选平台"},
	{"3301960002", "杭州海淘商贸有限公司", "3301980002", "海淘全球购"},
	{"1101960003", "北京环球好物电子商务有限公司", "4401980001", "跨境优选平台"},
	{"4403960004", "深圳速达跨境电商有限公司", "3301980002", "海淘全球购"}, // level 4
}

const (
	demoLogistics     = "4401980100"
	demoLogisticsName = "南沙跨境速运有限公司"
	demoPay           = "3101980200"
	demoPayName       = "环宇支付有限公司"
	demoWarehouse     = "4401630300"
	demoWarehouseName = "南沙保税物流中心仓库"
)

// DemoTables returns the tables of the demo and of GenerateDay. It never
// fails; each call returns fresh maps.
func DemoTables() DemoData {
	d := DemoData{
		PositiveListCSV: trimCSV(demoPositiveCSV),
		TariffCSV:       trimCSV(demoTariffCSV),
		ProhibitedCSV:   trimCSV(demoProhibitedCSV),
		Barcodes: BarcodeRiskTable{demoCatalogue[demoRisky].gtin: {
			{Tag: "misclassified", Severity: SeverityWarning, Note: "同一条码以3个不同税号申报"},
		}},
		Filings: FilingSet{},
		Credit:  CreditMap{},
	}
	for i, p := range demoCatalogue {
		if i != demoUnfiled {
			d.Filings[p.gtin], d.Filings[p.recordNo] = true, true
		}
	}
	for i, e := range demoEnterprises {
		d.Credit[e.code] = CreditLevel(i + 1)
	}
	return d
}

// Deps parses d's tables and returns the screening dependencies of the demo
// (default limits and credit policy). It fails with EINVALID if a table
// does not parse, which would be a bug in the demo data.
func (d DemoData) Deps() (ScreeningDeps, error) {
	es, err := ParsePositiveList(strings.NewReader(d.PositiveListCSV))
	if err != nil {
		return ScreeningDeps{}, err
	}
	pl, err := NewPositiveList(es)
	if err != nil {
		return ScreeningDeps{}, err
	}
	rates, err := ParseTariffCSV(strings.NewReader(d.TariffCSV))
	if err != nil {
		return ScreeningDeps{}, err
	}
	tariff, err := NewTariff(rates)
	if err != nil {
		return ScreeningDeps{}, err
	}
	prohibited, err := ParseProhibitedCSV(strings.NewReader(d.ProhibitedCSV))
	if err != nil {
		return ScreeningDeps{}, err
	}
	return ScreeningDeps{PositiveList: pl, Prohibited: prohibited, Tariff: tariff,
		Barcodes: d.Barcodes, HSRisk: HSRiskTable{}, Filings: d.Filings, Credit: d.Credit}, nil
}

// demoTariff is the parsed demo tariff the generator computes the withheld
// tax with; it is built on first use.
var demoTariffOnce = sync.OnceValue(func() *Tariff {
	rates, err := ParseTariffCSV(strings.NewReader(trimCSV(demoTariffCSV)))
	if err != nil {
		panic("customs: demo tariff: " + err.Error())
	}
	t, err := NewTariff(rates)
	if err != nil {
		panic("customs: demo tariff: " + err.Error())
	}
	return t
})
