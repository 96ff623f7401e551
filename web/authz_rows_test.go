package web

import "fmt"

// matrixRows are the authorization matrix rows of the route groups, each
// domain adding its own from a test file (authz_<domain>_test.go) through
// addMatrixRows, in the matrix's notation: anonymous, then tracegate.Roles
// in order (platform ecommerce logistics warehouse payment manufacturer
// importer lab regulator); A allowed, F 403, U 401.
var matrixRows = map[string]string{}

func addMatrixRows(rows map[string]string) {
	for pattern, row := range rows {
		if _, dup := matrixRows[pattern]; dup {
			panic(fmt.Sprintf("authorization matrix: %s is given twice", pattern))
		}
		matrixRows[pattern] = row
	}
}

func init() {
	addMatrixRows(map[string]string{
		"POST /api/notifications/webhooks":        "U AAAAAAAAA",
		"GET /api/notifications/webhooks":         "U AAAAAAAAA",
		"DELETE /api/notifications/webhooks/{id}": "U AAAAAAAAA",
	})
}
