// Package customs holds the pure parts of China Customs cross-border
// e-commerce retail import declarations: the CEB messages (统一版 import
// messages: order CEB311, payment CEB411, waybill CEB511, waybill status
// CEB513, inventory CEB621, cancel CEB623, refund CEB625, warehouse entry
// CEB711, tax bill CEB816, and their receipts), their validation against the
// published XSD facets, and the declaration rules: three-document match
// (三单对碰), the single-transaction and annual limits, and the retail import
// tax.
//
// Above those sits the screening of the two lines (一线入区, 二线出区): the
// regulator's tables loaded from CSV (ParsePositiveList and PositiveList,
// versioned by effective date; ParseTariffCSV; ParseProhibitedCSV), one rule
// engine (Screen) that turns a declaration and its lookups (barcode and HS
// risk, product filings, credit levels) into a Decision with stable rule
// names and the tax, the match state that waits for partner documents
// (MatchState), the CEB622 receipt of a decision (NewInventoryReceipt) and
// the receipts of orders, payments, waybills and cancels (NewOrderReceipt,
// NewPaymentReceipt, NewWaybillReceipt, NewCancelReceipt), the
// buyer-ID privacy helpers (BuyerKey, MaskID), and a generator of realistic
// traffic for tests and the demo (GenerateDay, DemoTables). All of it is
// pure: plain values in, plain values out, no clock and no storage.
//
// Two customs code tables are embedded as CSV with their sources
// (codes/): the country (region) codes of JGS-20 (国别(地区)代码表, 142
// China, 116 Japan, 304 Germany, 609 New Zealand, …) mapped to ISO 3166-1
// alpha-2 (LookupCountry; ParseValidated refuses a country field that is
// not in it), and the transport mode codes (运输方式代码, LookupTransportMode),
// which tell a real means of transport from the code of a supervised area.
//
// The package does no I/O beyond the io.Reader it is given and imports no
// adapter: no SQL, no net/http.
//
// SPEC: GACC Announcement 2018 No. 113 (跨境电子商务统一版信息化系统企业接入报文规范),
// and its 2022-05 revision; XSDs and samples in testdata/ceb/
// (https://github.com/Weasley-J/chinaport-data-signature, doc/).
// SPEC: 财关税〔2018〕49号 (limits: 5,000 RMB per transaction, 26,000 RMB per
// person per year) and 财关税〔2016〕18号 (tariff 0, VAT and consumption tax at
// 70% within the limits), http://gss.mof.gov.cn/
// SPEC: DXP transport envelope, dxp-terminal-node-202205.xsd (namespace
// http://www.chinaport.gov.cn/dxp).
package customs
