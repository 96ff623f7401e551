package sqlite

import (
	"fmt"

	"tracegate"
	"tracegate/store/internal/consolesql"
)

// The console's users, sessions, audit trail and dashboard are
// store/internal/consolesql's (Open gives it the store's dialect, pool and
// transactions); this file keeps the expressions that differ.

var (
	_ tracegate.UserStore      = (*Store)(nil)
	_ tracegate.DashboardStore = (*Store)(nil)
)

// consoleStore is embedded in Store: its methods are the store's.
type consoleStore = consolesql.Store

// consoleExprs are sqlite's day number of a time column and port of entry
// of a declaration.
var consoleExprs = consolesql.Exprs{
	Day:  func(col string) string { return fmt.Sprintf("(%s / 86400000000)", col) },
	Port: `COALESCE(json_extract(CAST(c.inventory_doc AS TEXT), '$.Head.PortCode'), '')`,
}
