package web

func init() {
	w, rd, reg, all := "U AFFFFFFAA", "U FFFFFFFAA", "U FFFFFFFFA", "U AAAAAAAAA"
	addMatrixRows(map[string]string{
		"POST /api/risk/signals":                         w,
		"GET /api/risk/signals":                          w,
		"GET /api/risk/signals/{id}":                     w,
		"GET /api/risk/attachments/{id}":                 w,
		"GET /api/risk/assessments":                      rd,
		"GET /api/risk/assessments/{kind}/{value...}":    rd,
		"GET /api/risk/config":                           rd,
		"PUT /api/risk/config":                           reg,
		"GET /api/risk/warnings":                         reg,
		"GET /api/risk/warnings/{id}":                    reg,
		"POST /api/risk/warnings/{id}/confirm":           reg,
		"POST /api/risk/warnings/{id}/dismiss":           reg,
		"GET /api/risk/stock":                            all,
		"GET /api/risk/overview":                         reg,
		"POST /api/risk/lab-orders":                      "U AFFFFFFFA",
		"GET /api/risk/lab-orders":                       w,
		"GET /api/risk/lab-orders/{id}":                  w,
		"POST /api/risk/lab-orders/{id}/results":         "U FFFFFFFAF",
		"GET /api/risk/lab-orders/{id}/reports/{report}": w,
		"GET /api/risk/pre-listing":                      "U AFFFFFFFF",
		"PUT /api/risk/pre-listing":                      "U AFFFFFFFF",
	})
}
