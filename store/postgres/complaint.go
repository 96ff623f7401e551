package postgres

import (
	"tracegate/label"
	"tracegate/store/internal/complaintsql"
)

// The complaint store is store/internal/complaintsql's (Open gives it the
// store's dialect, pool and transactions).

var _ label.ComplaintStore = (*Store)(nil)

// complaintStore is embedded in Store: its methods are the store's.
type complaintStore = complaintsql.Store
