// Package label is the one-item-one-code (一物一码) part of tracegate: label
// codes, their QR codes and printable sheets, and the page a consumer sees
// when scanning one.
//
// # Codes
//
// A Code is 100 bits from crypto/rand, printed as 20 Crockford base32
// symbols (no I, L, O or U) and one check symbol, grouped by four:
// 7K3M-Q9XW-4HZP-R2BD-0TVG-E. The check is a weighted sum over GF(32) that
// catches every single mistyped symbol and every swap of two symbols, so
// ParseCode refuses a typo before any lookup. ParseCode reads codes as
// people type them (any case, spaces and hyphens, I/L for 1, O for 0) and
// fails with ErrNotGenuine only, whatever is wrong.
//
// Generate makes up to MaxBatch (1,000,000) codes per request quickly. What
// each layer keeps:
//
//   - the store keeps Code.Hash(secret), an HMAC-SHA256 under the
//     deployment's label key, with a unique index, and looks scans up by it;
//     it never stores the code itself;
//   - the ledger gets Code.Commitment(), a SHA-256 commitment that anyone
//     holding the label can recompute, and never the code;
//   - the enterprise receives the codes once, as the CSV of WriteCSV and the
//     sheets of WriteSheetPDF, streamed while they are generated.
//
// # Rendering
//
// QR codes hold URL(baseURL, code), https://host/l/{compact code}, so any
// phone camera opens the resolver. QRPNG and QRSVG draw one symbol at error
// correction level Q with its quiet zone, choosing the mask by the ISO 18004
// penalty rules. WriteSheetPDF lays labels out on A4 sheets (A4Layout) or on
// a label roll (RollLayout) with a small built-in PDF writer; Chinese
// captions use a predefined CJK font, so no font file is shipped or embedded.
//
// # The scan page
//
// A Resolver finds a scanned code's label and gathers its page (ScanInput)
// over a narrow ScanReader: the filing, the bindings, the release of the
// order (Releases, which customs answers), the notices of the holds in
// force (a step of its own), the events of the item, its batch and its
// waybill with their recorders and places, the scans (with those a
// ScanRecorder is still writing in group commits) and the ledger proof;
// whether the viewer sees the buyer is the caller's rule (SeesBuyer).
// BuildScanView turns that data (ScanInput) into
// what one Viewer may see (ScanView): the 21 items of DOMAIN.md in order,
// "未记录 / not recorded" where data is missing, the timeline from the EPCIS
// events, authenticity (Assess), notices and the ledger proof. Which viewer
// sees which personal or order field is one table, in tier.go. Assess,
// CoarsenPosition, IPPrefix and ClassifyDevice are the clone-detection
// parts the web layer calls when it records a scan.
//
// The package is pure: no I/O beyond the io.Writer it is handed, no SQL, no
// HTTP, no global mutable state.
//
// SPEC: https://www.crockford.com/base32.html (Crockford base32)
// SPEC: https://www.iso.org/standard/62021.html (ISO/IEC 18004:2015, QR Code)
// SPEC: https://opensource.adobe.com/dc-acrobat-sdk-docs/standards/pdfstandards/pdf/PDF32000_2008.pdf (PDF, §9.7.5.2 predefined CMaps)
// SPEC: https://ref.gs1.org/standards/cbv/ (CBV 2.0 business steps and dispositions)
// SPEC: https://www.rfc-editor.org/rfc/rfc2104 (HMAC)
package label
