// The entity types below follow fields-202205.txt element by element, in XSD
// sequence order (which is also the order Marshal writes). A pointer field is
// an optional element ([0..1] in the fields file).

package customs

// OrderHead is the 电子订单表头实体 (OrderHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type OrderHead struct {
	GUID               string  `xml:"guid"`               // 企业系统生成36位唯一序号（英文字母大写）
	AppType            string  `xml:"appType"`            // 企业报送类型
	AppTime            string  `xml:"appTime"`            // 企业报送时间
	AppStatus          string  `xml:"appStatus"`          // 业务状态:1-暂存,2-申报,默认为2
	OrderType          string  `xml:"orderType"`          // 电子订单类型：I进口
	OrderNo            string  `xml:"orderNo"`            // 交易平台的订单编号
	EbpCode            string  `xml:"ebpCode"`            // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbpName            string  `xml:"ebpName"`            // 电商平台的海关注册登记名称；电商平台未在海关注册登记
	EbcCode            string  `xml:"ebcCode"`            // 电商企业的海关注册登记编号
	EbcName            string  `xml:"ebcName"`            // 电商企业的海关注册登记名称
	GoodsValue         string  `xml:"goodsValue"`         // 商品实际成交价
	Freight            string  `xml:"freight"`            // 不包含在商品价格中的运杂费
	Discount           string  `xml:"discount"`           // 使用积分、虚拟货币、代金券等非现金支付金额
	TaxTotal           string  `xml:"taxTotal"`           // 企业预先代扣的税款金额
	ActuralPaid        string  `xml:"acturalPaid"`        // 商品价格+运杂费+代扣税款-非现金抵扣金额
	Currency           string  `xml:"currency"`           // 限定为人民币
	BuyerRegNo         string  `xml:"buyerRegNo"`         // 订购人的交易平台注册号
	BuyerName          string  `xml:"buyerName"`          // 订购人的真实姓名
	BuyerTelephone     string  `xml:"buyerTelephone"`     // 订购人电话
	BuyerIDType        string  `xml:"buyerIdType"`        // 1-身份证,2-其它
	BuyerIDNumber      string  `xml:"buyerIdNumber"`      // 订购人的身份证件号码
	PayCode            *string `xml:"payCode"`            // 支付企业的海关注册登记编号
	PayName            *string `xml:"payName"`            // 支付企业在海关注册登记的企业名称
	PayTransactionID   *string `xml:"payTransactionId"`   // 支付企业唯一的支付流水号
	BatchNumbers       *string `xml:"batchNumbers"`       // 商品批次号
	Consignee          string  `xml:"consignee"`          // 收货人姓名
	ConsigneeTelephone string  `xml:"consigneeTelephone"` // 收货人联系电话
	ConsigneeAddress   string  `xml:"consigneeAddress"`   // 收货地址
	ConsigneeDistrict  *string `xml:"consigneeDistrict"`  // 参照国家统计局公布的国家行政区划标准填制
	Note               *string `xml:"note"`               // 订单备注
}

// OrderList is the 电子订单商品实体 (OrderList). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type OrderList struct {
	Gnum         string  `xml:"gnum"`         // 从1开始的递增序号
	ItemNo       *string `xml:"itemNo"`       // 电商企业自定义的商品货号（SKU）
	ItemName     string  `xml:"itemName"`     // 交易平台销售商品的中文名称
	Gmodel       string  `xml:"gmodel"`       // 满足海关归类、审价以及监管的要求为准
	ItemDescribe *string `xml:"itemDescribe"` // 交易平台销售商品的描述信息
	BarCode      *string `xml:"barCode"`      // 国际通用的商品条形码
	Unit         string  `xml:"unit"`         // 填写海关标准的参数代码
	Qty          string  `xml:"qty"`          // 商品实际数量
	Price        string  `xml:"price"`        // 商品单价
	TotalPrice   string  `xml:"totalPrice"`   // 商品总价
	Currency     string  `xml:"currency"`     // 限定为人民币
	Country      string  `xml:"country"`      // 填写海关标准的参数代码
	Note         *string `xml:"note"`         // 促销活动
}

// PaymentHead is the 支付凭证数据实体 (PaymentHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type PaymentHead struct {
	GUID             string  `xml:"guid"`             // 企业系统生成36位唯一序号（英文字母大写）
	AppType          string  `xml:"appType"`          // 企业报送类型
	AppTime          string  `xml:"appTime"`          // 企业报送时间
	AppStatus        string  `xml:"appStatus"`        // 业务状态:1-暂存,2-申报,默认为2
	PayCode          string  `xml:"payCode"`          // 支付企业的海关注册登记编号
	PayName          string  `xml:"payName"`          // 支付企业在海关注册登记的名称
	PayTransactionID string  `xml:"payTransactionId"` // 支付企业唯一的支付流水号
	OrderNo          string  `xml:"orderNo"`          // 交易平台的订单编号
	EbpCode          string  `xml:"ebpCode"`          // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbpName          string  `xml:"ebpName"`          // 电商平台的海关注册登记名称；电商平台未在海关注册登记
	PayerIDType      string  `xml:"payerIdType"`      // 1-身份证,2-其它
	PayerIDNumber    string  `xml:"payerIdNumber"`    // 支付人证件号码
	PayerName        string  `xml:"payerName"`        // 支付人的身份证件号码
	Telephone        *string `xml:"telephone"`        // 支付人电话
	AmountPaid       string  `xml:"amountPaid"`       // 支付金额
	Currency         string  `xml:"currency"`         // 限定为人民币
	PayTime          string  `xml:"payTime"`          // 支付时间
	Note             *string `xml:"note"`             // 备注
}

// LogisticsHead is the 物流运单数据实体 (LogisticsHead). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type LogisticsHead struct {
	GUID               string  `xml:"guid"`               // 企业系统生成36位唯一序号（英文字母大写）
	AppType            string  `xml:"appType"`            // 企业报送类型
	AppTime            string  `xml:"appTime"`            // 企业报送时间
	AppStatus          string  `xml:"appStatus"`          // 业务状态:1-暂存,2-申报,默认为2
	LogisticsCode      string  `xml:"logisticsCode"`      // 物流企业的海关注册登记编号
	LogisticsName      string  `xml:"logisticsName"`      // 物流企业在海关注册登记的名称
	LogisticsNo        string  `xml:"logisticsNo"`        // 物流企业的运单包裹面单号
	BillNo             *string `xml:"billNo"`             // 直购进口为海运提单、空运总单或汽车载货清单
	OrderNo            string  `xml:"orderNo"`            // 交易平台的订单编号
	Freight            *string `xml:"freight"`            // 商品运输费用
	InsuredFee         *string `xml:"insuredFee"`         // 商品保险费用
	Currency           string  `xml:"currency"`           // 限定为人民币
	Weight             string  `xml:"weight"`             // 毛重,单位为千克
	PackNo             string  `xml:"packNo"`             // 单个运单下包裹数
	GoodsInfo          *string `xml:"goodsInfo"`          // 配送的商品信息
	Consignee          string  `xml:"consignee"`          // 收货人姓名
	ConsigneeAddress   string  `xml:"consigneeAddress"`   // 收货地址
	ConsigneeTelephone string  `xml:"consigneeTelephone"` // 收货人电话号码
	Note               *string `xml:"note"`               // 备注
}

// LogisticsStatus is the 物流运单状态数据实体 (LogisticsStatus). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type LogisticsStatus struct {
	GUID            string  `xml:"guid"`            // 企业系统生成36位唯一序号（英文字母大写）
	AppType         string  `xml:"appType"`         // 企业报送类型
	AppTime         string  `xml:"appTime"`         // 企业报送时间
	AppStatus       string  `xml:"appStatus"`       // 业务状态:1-暂存,2-申报,默认为2
	LogisticsCode   string  `xml:"logisticsCode"`   // 物流企业的海关注册登记编号
	LogisticsName   string  `xml:"logisticsName"`   // 物流企业在海关注册登记的名称
	LogisticsNo     string  `xml:"logisticsNo"`     // 物流企业的运单包裹面单号
	LogisticsStatus string  `xml:"logisticsStatus"` // 物流签收状态
	LogisticsTime   string  `xml:"logisticsTime"`   // 物流状态发生的实际时间
	Note            *string `xml:"note"`            // 备注
}

// BaseTransfer is the 基础报文传输实体（需要与实际客户端传输企业一致） (BaseTransfer). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type BaseTransfer struct {
	CopCode string  `xml:"copCode"` // 报文传输的企业代码（需要与接入客户端的企业身份一致）
	CopName string  `xml:"copName"` // 报文传输的企业名称
	DxpMode string  `xml:"dxpMode"` // 默认为DXP；指中国电子口岸数据交换平台
	DxpID   string  `xml:"dxpId"`   // 向中国电子口岸数据中心申请数据交换平台的用户编号
	Note    *string `xml:"note"`    // 备注
}

// BaseSubscribe is the 基础回执订阅实体（用于第三方提供数据的订阅下发） (BaseSubscribe). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type BaseSubscribe struct {
	Status     string  `xml:"status"`     // 用户订阅单证业务状态的信息, ALL-订阅数据和回执,  DATA-只订阅数据,…
	DxpMode    string  `xml:"dxpMode"`    // 默认为DXP；指中国电子口岸数据交换平台
	DxpAddress string  `xml:"dxpAddress"` // 向中国电子口岸数据中心申请数据交换平台的用户编号
	Note       *string `xml:"note"`       // 备注
}
