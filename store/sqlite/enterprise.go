package sqlite

import (
	"tracegate"
	"tracegate/store/internal/enterprisesql"
)

// The enterprise and API key store is store/internal/enterprisesql's (Open
// gives it the store's dialect, pool and transactions); this file keeps its
// dialect: an enterprise's roles as one column.

var _ tracegate.EnterpriseStore = (*Store)(nil)

// enterpriseStore is embedded in Store: its methods are the store's.
type enterpriseStore = enterprisesql.Store

// rolesColumn is an enterprise e's roles in position order, comma-separated.
const rolesColumn = `(SELECT group_concat(role, ',') FROM (SELECT role FROM enterprise_roles r WHERE r.enterprise_id = e.id ORDER BY position))`
