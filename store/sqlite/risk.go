package sqlite

import (
	"tracegate/risk"
	"tracegate/store/internal/risksql"
)

// The risk store is store/internal/risksql's (Open gives it the store's
// dialect, pool and transactions); this file keeps what differs.

var _ risk.Store = (*Store)(nil)

// riskStore is embedded in Store: its methods are the store's.
type riskStore = risksql.Store

// labelEPCSQL is the EPC of the label row l (label.EPC).
const labelEPCSQL = `'urn:tracegate:label:' || lower(hex(l.hash))`
