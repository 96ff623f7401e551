package web

func init() {
	addMatrixRows(map[string]string{
		"GET /api/risk/findings":       "U AAAAAAAAA",
		"POST /api/risk/findings/runs": "U FFFFFFFFA",
	})
}
