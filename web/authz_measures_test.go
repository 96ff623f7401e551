package web

// The measure routes are open to every authenticated caller but the ack,
// which is the enterprises': who may order, see and move which measure is
// measure.Service's rule (TestMeasureContract and TestMeasureBadInput check
// it over HTTP).
func init() {
	addMatrixRows(map[string]string{
		"POST /api/measures":             "U AAAAAAAAA",
		"GET /api/measures":              "U AAAAAAAAA",
		"GET /api/measures/{id}":         "U AAAAAAAAA",
		"POST /api/measures/{id}/status": "U AAAAAAAAA",
		"POST /api/measures/{id}/ack":    "U AAAAAAAAF",
	})
}
