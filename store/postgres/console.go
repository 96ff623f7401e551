package postgres

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

// consoleExprs are postgres's day number of a time column and port of entry
// of a declaration.
var consoleExprs = consolesql.Exprs{
	Day:  func(col string) string { return fmt.Sprintf("(EXTRACT(EPOCH FROM %s)::bigint / 86400)", col) },
	Port: `COALESCE(convert_from(c.inventory_doc, 'UTF8')::jsonb #>> '{Head,PortCode}', '')`,
}
