// The entity types below follow fields-202205.txt element by element, in XSD
// sequence order (which is also the order Marshal writes). A pointer field is
// an optional element ([0..1] in the fields file).

package customs

// InventoryHead is the 进口清单表头实体 (InventoryHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InventoryHead struct {
	GUID             string  `xml:"guid"`             // 企业系统生成36位唯一序号（英文字母大写）
	AppType          string  `xml:"appType"`          // 企业报送类型
	AppTime          string  `xml:"appTime"`          // 企业报送时间
	AppStatus        string  `xml:"appStatus"`        // 业务状态:1-暂存,2-申报,默认为1
	OrderNo          string  `xml:"orderNo"`          // 交易平台的订单编号
	EbpCode          string  `xml:"ebpCode"`          // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbpName          string  `xml:"ebpName"`          // 电商平台的海关注册登记名称；电商平台未在海关注册登记
	EbcCode          string  `xml:"ebcCode"`          // 电商企业的海关注册登记编号
	EbcName          string  `xml:"ebcName"`          // 电商企业的海关注册登记名称
	LogisticsNo      string  `xml:"logisticsNo"`      // 物流企业的运单包裹面单号
	LogisticsCode    string  `xml:"logisticsCode"`    // 物流企业的海关注册登记编号
	LogisticsName    string  `xml:"logisticsName"`    // 物流企业在海关注册登记的名称
	CopNo            *string `xml:"copNo"`            // 企业内部标识单证的编号
	PreNo            *string `xml:"preNo"`            // 电子口岸标识单证的编号
	AssureCode       string  `xml:"assureCode"`       // 担保扣税的企业海关注册登记编号
	EmsNo            *string `xml:"emsNo"`            // 保税模式必填
	InvtNo           *string `xml:"invtNo"`           // 海关接受申报生成的清单编号
	IeFlag           string  `xml:"ieFlag"`           // I-进口,E-出口
	DeclTime         string  `xml:"declTime"`         // 申报日期
	CustomsCode      string  `xml:"customsCode"`      // 接受清单申报的海关关区代码
	PortCode         string  `xml:"portCode"`         // 商品实际进出我国关境口岸海关的关区代码
	IeDate           *string `xml:"ieDate"`           // 运载所申报商品的运输工具申报进境的日期
	BuyerIDType      string  `xml:"buyerIdType"`      // 1-身份证,2-其它
	BuyerIDNumber    string  `xml:"buyerIdNumber"`    // 订购人的身份证件号码
	BuyerName        string  `xml:"buyerName"`        // 订购人的真实姓名
	BuyerTelephone   string  `xml:"buyerTelephone"`   // 订购人电话
	ConsigneeAddress string  `xml:"consigneeAddress"` // 收件地址
	AgentCode        string  `xml:"agentCode"`        // 申报单位的海关注册登记编号
	AgentName        string  `xml:"agentName"`        // 申报单位在海关注册登记的名称
	AreaCode         *string `xml:"areaCode"`         // 保税模式必填
	AreaName         *string `xml:"areaName"`         // 保税模式必填
	TradeMode        string  `xml:"tradeMode"`        // 直购进口填写“9610”
	TrafMode         string  `xml:"trafMode"`         // 填写海关标准的参数代码
	TrafNo           *string `xml:"trafNo"`           // 直购进口必填
	VoyageNo         *string `xml:"voyageNo"`         // 直购进口必填
	BillNo           *string `xml:"billNo"`           // 直购进口必填
	LoctNo           *string `xml:"loctNo"`           // 针对同一申报地海关下有多个跨境电子商务的监管场所,需要填写区分
	LicenseNo        *string `xml:"licenseNo"`        // 商务主管部门及其授权发证机关签发的进出口货物许可证件的编号
	Country          string  `xml:"country"`          // 直购进口填写起始发出国家（地区）代码
	Freight          string  `xml:"freight"`          // 物流企业实际收取的运输费用
	InsuredFee       string  `xml:"insuredFee"`       // 物流企业实际收取的商品保价费用
	Currency         string  `xml:"currency"`         // 限定为人民币
	WrapType         *string `xml:"wrapType"`         // 海关对进出口货物实际采用的外部包装方式的标识代码
	PackNo           string  `xml:"packNo"`           // 件数为包裹数量
	GrossWeight      string  `xml:"grossWeight"`      // 货物及其包装材料的重量之和
	NetWeight        string  `xml:"netWeight"`        // 货物的毛重减去外包装材料后的重量
	Note             *string `xml:"note"`             // 备注
}

// InventoryList is the 进口清单表体实体 (InventoryList). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InventoryList struct {
	Gnum         string  `xml:"gnum"`         // 从1开始连续序号
	ItemRecordNo *string `xml:"itemRecordNo"` // 账册备案料号 保税模式必填
	ItemNo       *string `xml:"itemNo"`       // 电商企业自定义的商品货号（SKU）
	ItemName     *string `xml:"itemName"`     // 交易平台销售商品的中文名称
	Gcode        string  `xml:"gcode"`        // 按商品分类编码规则确定的进出口商品的商品编号
	Gname        string  `xml:"gname"`        // 商品名称应据实填报
	Gmodel       string  `xml:"gmodel"`       // 满足海关归类、审价以及监管的要求为准
	BarCode      *string `xml:"barCode"`      // 商品条码一般由前缀部分、制造厂商代码、商品代码和校验码组成
	Country      string  `xml:"country"`      // 原产国（地区）
	TradeCountry *string `xml:"tradeCountry"` // 贸易国
	Currency     string  `xml:"currency"`     // 限定为人民币
	Qty          string  `xml:"qty"`          // 数量
	Unit         string  `xml:"unit"`         // 计量单位
	Qty1         string  `xml:"qty1"`         // 法定数量
	Unit1        string  `xml:"unit1"`        // 法定i计量单位,海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单…
	Qty2         *string `xml:"qty2"`         // 第二数量
	Unit2        *string `xml:"unit2"`        // 第二计量单位,海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位…
	Price        string  `xml:"price"`        // 成交单价
	TotalPrice   string  `xml:"totalPrice"`   // 成交总价
	Note         *string `xml:"note"`         // 备注
}

// InvtCancel is the 撤销申请单实体 (InvtCancel). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InvtCancel struct {
	GUID           string  `xml:"guid"`           // 企业系统生成36位唯一序号（英文字母大写）
	AppType        string  `xml:"appType"`        // 企业报送类型
	AppTime        string  `xml:"appTime"`        // 企业报送时间
	AppStatus      string  `xml:"appStatus"`      // 业务状态:1-暂存,2-申报,默认为1
	CustomsCode    string  `xml:"customsCode"`    // 接受申报的海关关区代码
	OrderNo        string  `xml:"orderNo"`        // 交易平台的订单编号
	EbpCode        string  `xml:"ebpCode"`        // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbpName        string  `xml:"ebpName"`        // 电商平台的海关注册登记名称；电商平台未在海关注册登记
	EbcCode        string  `xml:"ebcCode"`        // 电商企业的海关注册登记编号
	EbcName        string  `xml:"ebcName"`        // 电商企业的海关注册登记名称
	LogisticsNo    string  `xml:"logisticsNo"`    // 物流企业的运单包裹面单号
	LogisticsCode  string  `xml:"logisticsCode"`  // 物流企业的海关注册登记编号
	LogisticsName  string  `xml:"logisticsName"`  // 物流企业在海关注册登记的名称
	CopNo          *string `xml:"copNo"`          // 企业内部标识单证的编号
	PreNo          *string `xml:"preNo"`          // 电子口岸标识单证的编号
	InvtNo         string  `xml:"invtNo"`         // 申请撤销的原始清单编号
	BuyerIDType    string  `xml:"buyerIdType"`    // 1-身份证,2-其它
	BuyerIDNumber  string  `xml:"buyerIdNumber"`  // 订购人的身份证件号码
	BuyerName      string  `xml:"buyerName"`      // 订购人的真实姓名
	BuyerTelephone string  `xml:"buyerTelephone"` // 订购人电话
	AgentCode      string  `xml:"agentCode"`      // 申报单位的海关注册登记编号
	AgentName      string  `xml:"agentName"`      // 申报单位在海关注册登记的名称
	Reason         string  `xml:"reason"`         // 撤单原因
	Note           *string `xml:"note"`           // 备注
}

// InvtRefundHead is the 退货申请单表头实体 (InvtRefundHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InvtRefundHead struct {
	GUID           string  `xml:"guid"`           // 企业系统生成36位唯一序号（英文字母大写）
	AppType        string  `xml:"appType"`        // 企业报送类型
	AppTime        string  `xml:"appTime"`        // 企业报送时间
	AppStatus      string  `xml:"appStatus"`      // 业务状态:1-暂存,2-申报,默认为1
	CustomsCode    string  `xml:"customsCode"`    // 接受申报的海关关区代码
	OrderNo        string  `xml:"orderNo"`        // 交易平台的订单编号
	EbpCode        string  `xml:"ebpCode"`        // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbpName        string  `xml:"ebpName"`        // 电商平台的海关注册登记名称；电商平台未在海关注册登记
	EbcCode        string  `xml:"ebcCode"`        // 电商企业的海关注册登记编号
	EbcName        string  `xml:"ebcName"`        // 电商企业的海关注册登记名称
	LogisticsNo    string  `xml:"logisticsNo"`    // 物流企业的运单包裹面单号
	LogisticsCode  string  `xml:"logisticsCode"`  // 物流企业的海关注册登记编号
	LogisticsName  string  `xml:"logisticsName"`  // 物流企业在海关注册登记的名称
	CopNo          *string `xml:"copNo"`          // 企业内部标识单证的编号
	PreNo          *string `xml:"preNo"`          // 电子口岸标识单证的编号
	InvtNo         string  `xml:"invtNo"`         // 申请退货的原始清单编号
	BuyerIDType    string  `xml:"buyerIdType"`    // 订购人证件类型
	BuyerIDNumber  string  `xml:"buyerIdNumber"`  // 订购人证件号码
	BuyerName      string  `xml:"buyerName"`      // 订购人姓名
	BuyerTelephone string  `xml:"buyerTelephone"` // 订购人电话
	AgentCode      string  `xml:"agentCode"`      // 申报单位的海关注册登记编号
	AgentName      string  `xml:"agentName"`      // 申报单位在海关注册登记的名称
	Reason         string  `xml:"reason"`         // 退货原因
	Note           *string `xml:"note"`           // 备注
}

// InvtRefundList is the 退货申请单表体实体 (InvtRefundList). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InvtRefundList struct {
	Gnum  string  `xml:"gnum"`  // 对应原清单表体序号（退货项序号）
	Gcode string  `xml:"gcode"` // 按商品分类编码规则确定的进出口商品的商品编号
	Gname string  `xml:"gname"` // 商品名称应据实填报
	Qty   string  `xml:"qty"`   // 申请退货的数量
	Unit  string  `xml:"unit"`  // 海关标准的参数代码  《JGS-20 海关业务代码集》- 计量单位代码
	Note  *string `xml:"note"`  // 备注
}

// DeliveryHead is the 入库明细单表头实体 (DeliveryHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type DeliveryHead struct {
	GUID           string  `xml:"guid"`           // 企业系统生成36位唯一序号（英文字母大写）
	AppType        string  `xml:"appType"`        // 企业报送类型
	AppTime        string  `xml:"appTime"`        // 企业报送时间
	AppStatus      string  `xml:"appStatus"`      // 业务状态:1-暂存,2-申报,默认为1
	CustomsCode    string  `xml:"customsCode"`    // 接受申报的海关关区代码
	CopNo          *string `xml:"copNo"`          // 企业内部标识单证的编号
	PreNo          *string `xml:"preNo"`          // 电子口岸标识单证的编号
	RkdNo          *string `xml:"rkdNo"`          // 海关接受申报生成的入库单编号
	OperatorCode   string  `xml:"operatorCode"`   // 监管场所经营人在海关注册登记的编号
	OperatorName   string  `xml:"operatorName"`   // 监管场所经营人在海关注册登记的名称
	IeFlag         string  `xml:"ieFlag"`         // I进口/E出口
	TrafMode       string  `xml:"trafMode"`       // 填写海关标准的参数代码
	TrafNo         string  `xml:"trafNo"`         // 货物进出境的运输工具的名称或运输工具编号
	VoyageNo       string  `xml:"voyageNo"`       // 货物进出境的运输工具的航次编号
	BillNo         string  `xml:"billNo"`         // 货物提单或运单的海运提单、空运总单或汽车载货清单
	LogisticsCode  string  `xml:"logisticsCode"`  // 物流企业的海关注册登记编号
	LogisticsName  string  `xml:"logisticsName"`  // 物流企业的海关注册登记名称
	UnloadLocation *string `xml:"unloadLocation"` // 货物卸货的仓储存放位置
	Note           *string `xml:"note"`           // 备注
}

// DeliveryList is the 入库明细单表体实体 (DeliveryList). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type DeliveryList struct {
	Gnum        string  `xml:"gnum"`        // 从1开始的递增序号
	LogisticsNo string  `xml:"logisticsNo"` // 物流企业的运单包裹面单号
	Note        *string `xml:"note"`        // 备注
}

// TaxHeadRd is the 电子税单表头实体 (TaxHeadRd). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type TaxHeadRd struct {
	GUID           string  `xml:"guid"`           // 36位系统唯一序号（英文字母大写）
	ReturnTime     string  `xml:"returnTime"`     // 回执时间,格式:YYYYMMDDhhmmssSSS
	InvtNo         string  `xml:"invtNo"`         // 进境清单编号
	TaxNo          string  `xml:"taxNo"`          // 电子税单编号
	CustomsTax     string  `xml:"customsTax"`     // 应征关税
	ValueAddedTax  string  `xml:"valueAddedTax"`  // 应征增值税
	ConsumptionTax string  `xml:"consumptionTax"` // 应征消费税
	Status         string  `xml:"status"`         // 税单状态（(1-已生成
	EntDutyNo      *string `xml:"entDutyNo"`      // 缴款书编号
	Note           *string `xml:"note"`           // 备注
	AssureCode     *string `xml:"assureCode"`     // 担保企业代码
	EbcCode        *string `xml:"ebcCode"`        // 电商企业代码
	LogisticsCode  *string `xml:"logisticsCode"`  // 物流企业代码
	AgentCode      *string `xml:"agentCode"`      // 申报单位代码,10位海关代码或者18位信用代码
	CustomsCode    *string `xml:"customsCode"`    // 申报口岸
}

// TaxListRd is the 电子税单表体实体 (TaxListRd). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type TaxListRd struct {
	Gnum           string `xml:"gnum"`           // 商品项号,从1开始连续序号
	Gcode          string `xml:"gcode"`          // 海关商品编码（10位）
	TaxPrice       string `xml:"taxPrice"`       // 完税总价格
	CustomsTax     string `xml:"customsTax"`     // 应征关税
	ValueAddedTax  string `xml:"valueAddedTax"`  // 应征增值税
	ConsumptionTax string `xml:"consumptionTax"` // 应征消费税
}
