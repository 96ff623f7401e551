package web

// The console's routes (issue 16): pages need a session or a key; the
// regulator's screens refuse every other role. A key needs no CSRF token
// (it is no ambient credential); a session does (console/console_test.go).
func init() {
	addMatrixRows(map[string]string{
		"GET /console/static/{name}":        "A AAAAAAAAA",
		"GET /console/sign-in":              "A AAAAAAAAA",
		"POST /console/sign-in":             "A AAAAAAAAA",
		"POST /console/sign-out":            "U AAAAAAAAA",
		"POST /console/sign-out-everywhere": "U AAAAAAAAA",
		"POST /console/lang":                "U AAAAAAAAA",
		"GET /console/{$}":                  "U AAAAAAAAA",
		"GET /console/users":                "U FFFFFFFFF",
		"POST /console/users":               "U FFFFFFFFF",
		"POST /console/users/{id}/disable":  "U FFFFFFFFF",
		"GET /console/audit":                "U FFFFFFFFA",
	})
}

// The officers' queues (issue 16): regulators only.
func init() {
	addMatrixRows(map[string]string{
		"GET /console/reviews":                 "U FFFFFFFFA",
		"POST /console/reviews/{id}":           "U FFFFFFFFA",
		"GET /console/warnings":                "U FFFFFFFFA",
		"POST /console/warnings/{id}/{action}": "U FFFFFFFFA",
	})
}

// The scanner binding screens: those who bind labels (e-commerce
// enterprises and warehouses), as the binding API.
func init() {
	addMatrixRows(map[string]string{
		"GET /console/scan/{mode}":       "U FAFAFFFFF",
		"POST /console/scan/{mode}":      "U FAFAFFFFF",
		"POST /console/scan/{mode}/undo": "U FAFAFFFFF",
	})
}

// Search, the item view and the measures: every role (measure.Service and
// the resolver decide what each sees and may do).
func init() {
	addMatrixRows(map[string]string{
		"GET /console/search":                "U AAAAAAAAA",
		"GET /console/items/{code}":          "U AAAAAAAAA",
		"GET /console/measures":              "U AAAAAAAAA",
		"POST /console/measures":             "U AAAAAAAAA",
		"GET /console/measures/{id}":         "U AAAAAAAAA",
		"POST /console/measures/{id}/{step}": "U AAAAAAAAA",
	})
}
