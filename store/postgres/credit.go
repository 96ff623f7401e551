package postgres

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
// enterprise's products, through the holds of each product by the gtin
// index (OFFSET 0 keeps the lateral join a nested loop): the planner,
// misled by the many holds of few GTINs, otherwise scans every hold for
// each batch.
const holdFactsSQL = `SELECT DISTINCT p.owner_id, h.id, h.since FROM products p
	CROSS JOIN LATERAL (SELECT x.id, x.since FROM label_holds x
		WHERE x.gtin = p.gtin AND x.kind IN ('recall', 'stop_sale') OFFSET 0) h
	WHERE p.owner_id BETWEEN ? AND ?`
