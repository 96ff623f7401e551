package web

func init() {
	addMatrixRows(map[string]string{
		"GET /api/scope":               "U FFFFFFFFA",
		"GET /api/measures/{id}/scope": "U AAAAAAAAA",
	})
}
