package sqlite

import (
	"tracegate/credit"
	"tracegate/store/internal/creditsql"
)

// The credit store is store/internal/creditsql's (Open gives it the
// store's dialect, pool and transactions); this file keeps its dialect.

var (
	_ credit.Store        = (*Store)(nil)
	_ credit.EditionStore = (*Store)(nil)
)

// creditStore is embedded in Store: its methods are the store's.
type creditStore = creditsql.Store

// holdFactsSQL is the query of the recalls and stop-sales on each
// enterprise's products.
const holdFactsSQL = `SELECT DISTINCT p.owner_id, h.id, h.since FROM label_holds h
	JOIN products p ON p.gtin = h.gtin
	WHERE h.kind IN ('recall', 'stop_sale') AND p.owner_id BETWEEN ? AND ?`
