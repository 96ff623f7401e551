// Package credit grades enterprises by their record (企业信用分类管理): it
// gathers the entries tracegate already knows about an enterprise — customs
// refusals, manual reviews refused by an officer, product filings rejected
// by the regulator, recalls and stop-sales on its goods, labels whose scans
// look copied, consumer complaints about its products that a regulator
// substantiated, misdeclarations found by barcode analytics, measures it
// completed after their deadline, inspections of its goods that a regulator
// or an accredited lab found non-conformant — and the levels other agencies recognise (信用等级互认),
// scores them with a transparent, configurable rule set (points per kind of
// entry, decaying with age), maps the score to a level (by default the
// seeds' four levels, level 4 dishonest: 失信, the blacklist) and keeps the
// history of every level change, each committed to the ledger as a leaf of
// kind credit-level (ledger/LEAF-FORMAT.md).
//
// RecomputeAll, the daily run, stores the level changes a batch at a time,
// each batch in one transaction with its leaves appended as one group.
//
// Customs screening asks the level through customs.CreditLevels, by the
// enterprise codes a declaration names: with ResolveCodes, a confirmed
// 10-character customs code is answered by the level of the enterprise
// holding it (tracegate.PartyStore.CodeOwners); Levels
// also samples declarations for manual review by level with a keyed hash
// (customs.CreditSampler), so a re-screen gives the same answer and nobody
// without the secret can predict which declaration is sampled.
//
// The package imports no adapter: the stores implement Store.
package credit
