package postgres

import (
	"tracegate/measure"
	"tracegate/store/internal/measuresql"
)

// The measure store is store/internal/measuresql's (Open gives it the
// store's dialect, pool and transactions).

var _ measure.Store = (*Store)(nil)

// measureStore is embedded in Store: its methods are the store's.
type measureStore = measuresql.Store
