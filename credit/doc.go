// Package credit grades enterprises by their record (企业信用分类管理): it
// gathers the entries tracegate already knows about an enterprise — customs
// refusals, manual reviews refused by an officer, product filings rejected
// by the regulator, recalls and stop-sales on its goods, labels whose scans
// look copied — and the levels other agencies recognise (信用等级互认),
// scores them with a transparent, configurable rule set (points per kind of
// entry, decaying with age), maps the score to a level (by default the
// seeds' four levels, level 4 dishonest: 失信, the blacklist) and keeps the
// history of every level change, each committed to the ledger as a leaf of
// kind credit-level (ledger/LEAF-FORMAT.md).
//
// Customs screening asks the level through customs.CreditLevels; Levels
// also samples declarations for manual review by level with a keyed hash
// (customs.CreditSampler), so a re-screen gives the same answer and nobody
// without the secret can predict which declaration is sampled.
//
// The package imports no adapter: the stores implement Store.
package credit
