package postgres

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
const rolesColumn = `COALESCE((SELECT string_agg(role, ',' ORDER BY position) FROM enterprise_roles r WHERE r.enterprise_id = e.id), '')`
