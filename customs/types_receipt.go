// The entity types below follow fields-202205.txt element by element, in XSD
// sequence order (which is also the order Marshal writes). A pointer field is
// an optional element ([0..1] in the fields file).

package customs

// OrderReturn is the 电子订单回执实体 (OrderReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type OrderReturn struct {
	GUID         string `xml:"guid"`         // 电子口岸系统生成36位唯一序号（英文字母大写）
	EbpCode      string `xml:"ebpCode"`      // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbcCode      string `xml:"ebcCode"`      // 电商企业的海关注册登记编号
	OrderNo      string `xml:"orderNo"`      // 交易平台的订单编号
	ReturnStatus string `xml:"returnStatus"` // 操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/12…
	ReturnTime   string `xml:"returnTime"`   // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo   string `xml:"returnInfo"`   // 备注（如:退单原因）
}

// PaymentReturn is the 支付凭证回执实体 (PaymentReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type PaymentReturn struct {
	GUID             string `xml:"guid"`             // 电子口岸生成36位唯一序号（英文字母大写）
	PayCode          string `xml:"payCode"`          // 支付企业的海关注册登记编号
	PayTransactionID string `xml:"payTransactionId"` // 支付企业唯一的支付流水号
	ReturnStatus     string `xml:"returnStatus"`     // 操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/12…
	ReturnTime       string `xml:"returnTime"`       // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo       string `xml:"returnInfo"`       // 备注（如:退单原因）
}

// LogisticsReturn is the 物流运单回执实体 (LogisticsReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type LogisticsReturn struct {
	GUID          string `xml:"guid"`          // 电子口岸生成36位唯一序号（英文字母大写）
	LogisticsCode string `xml:"logisticsCode"` // 物流企业的海关注册登记编号
	LogisticsNo   string `xml:"logisticsNo"`   // 物流企业的运单包裹面单号
	ReturnStatus  string `xml:"returnStatus"`  // 操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/12…
	ReturnTime    string `xml:"returnTime"`    // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo    string `xml:"returnInfo"`    // 备注（如:退单原因）
}

// LogisticsStatusReturn is the 物流运单状态回执实体 (LogisticsStatusReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type LogisticsStatusReturn struct {
	GUID            string `xml:"guid"`            // 电子口岸生成36位唯一序号（英文字母大写）
	LogisticsCode   string `xml:"logisticsCode"`   // 物流企业的海关注册登记编号
	LogisticsNo     string `xml:"logisticsNo"`     // 物流企业的运单包裹面单号
	LogisticsStatus string `xml:"logisticsStatus"` // 物流签收状态
	ReturnStatus    string `xml:"returnStatus"`    // 操作结果（2电子口岸申报中/3发送海关成功/4发送海关失败/100海关退单/39…
	ReturnTime      string `xml:"returnTime"`      // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo      string `xml:"returnInfo"`      // 回执信息（如:退单原因）
}

// InventoryReturn is the 进口清单回执实体 (InventoryReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InventoryReturn struct {
	GUID         string  `xml:"guid"`         // 电子口岸生成36位唯一序号（英文字母大写）
	CustomsCode  *string `xml:"customsCode"`  // 申报口岸
	EbpCode      *string `xml:"ebpCode"`      // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbcCode      *string `xml:"ebcCode"`      // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	AgentCode    *string `xml:"agentCode"`    // 申报单位代码,10位海关代码或者18位信用代码(兼容考虑
	CopNo        string  `xml:"copNo"`        // 企业内部标识单证的编号
	PreNo        string  `xml:"preNo"`        // 电子口岸标识单证的编号
	InvtNo       *string `xml:"invtNo"`       // 海关审核反馈清单的编号
	ReturnStatus string  `xml:"returnStatus"` // 操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/1…
	ReturnTime   string  `xml:"returnTime"`   // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo   string  `xml:"returnInfo"`   // 回执信息（如:退单原因）
}

// InvtCancelReturn is the 撤销申请单回执实体 (InvtCancelReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InvtCancelReturn struct {
	GUID         string  `xml:"guid"`         // 电子口岸生成36位唯一序号（英文字母大写）
	CustomsCode  *string `xml:"customsCode"`  // 申报口岸
	AgentCode    *string `xml:"agentCode"`    // 申报单位代码,10位海关代码或者18位信用代码（兼容考虑
	EbpCode      *string `xml:"ebpCode"`      // 电商平台代码,10位海关代码或者18位信用代码(兼容考虑
	EbcCode      *string `xml:"ebcCode"`      // 电商企业代码,10位海关代码或者18位信用代码(兼容考虑
	CopNo        string  `xml:"copNo"`        // 企业内部标识单证的编号
	PreNo        string  `xml:"preNo"`        // 电子口岸标识单证的编号
	InvtNo       *string `xml:"invtNo"`       // 申请撤销的原始清单编号
	ReturnStatus string  `xml:"returnStatus"` // 操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/1…
	ReturnTime   string  `xml:"returnTime"`   // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo   string  `xml:"returnInfo"`   // 回执信息（如:退单原因）
}

// InvtRefundReturn is the 退货申请单回执实体 (InvtRefundReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type InvtRefundReturn struct {
	GUID         string  `xml:"guid"`         // 电子口岸生成36位唯一序号（英文字母大写）
	CustomsCode  *string `xml:"customsCode"`  // 申报口岸
	AgentCode    *string `xml:"agentCode"`    // 申报单位代码,10位海关代码或者18位信用代码（兼容考虑
	EbpCode      *string `xml:"ebpCode"`      // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	EbcCode      *string `xml:"ebcCode"`      // 电商平台的海关注册登记编号；电商平台未在海关注册登记
	CopNo        string  `xml:"copNo"`        // 企业内部标识单证的编号
	PreNo        string  `xml:"preNo"`        // 电子口岸标识单证的编号
	InvtNo       *string `xml:"invtNo"`       // 申请退货的原始清单编号
	ReturnStatus string  `xml:"returnStatus"` // 操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/1…
	ReturnTime   string  `xml:"returnTime"`   // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo   string  `xml:"returnInfo"`   // 备注（如不通过原因）
}

// DeliveryReturn is the 入库明细单回执实体 (DeliveryReturn). Every field holds the element text exactly as
// written; a pointer field is an optional element (nil when absent). The type
// itself never fails: Validate reports facet violations.
type DeliveryReturn struct {
	GUID         string  `xml:"guid"`         // 电子口岸生成36位唯一序号（英文字母大写）
	CustomsCode  *string `xml:"customsCode"`  // 主管海关
	OperatorCode *string `xml:"operatorCode"` // 监管场所经营人代码 监管场所经营人作为第三方对入场所的大包开拆核实包裹（兼容考虑
	CopNo        *string `xml:"copNo"`        // 企业内部标识单证的编号
	PreNo        *string `xml:"preNo"`        // 电子口岸标识单证的编号
	RkdNo        *string `xml:"rkdNo"`        // 海关审核生成的入库单编号
	ReturnStatus string  `xml:"returnStatus"` // 操作结果（1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/1…
	ReturnTime   string  `xml:"returnTime"`   // 操作时间(格式:YYYYMMDDhhmmssSSS)
	ReturnInfo   string  `xml:"returnInfo"`   // 备注（如不通过原因）
}
