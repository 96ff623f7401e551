package web

import "strings"

// publicBaseURL is the origin the server writes into absolute links:
// cfg.PublicBaseURL, else the label service's base URL (the origin printed
// into labels, TRACEGATE_LABEL_BASE_URL), else http://localhost. It is
// fixed at start: a request's Host or X-Forwarded-Host header never reaches
// a link, so a forged Host cannot point a linkset at another site.
func publicBaseURL(cfg Config) string {
	switch {
	case cfg.PublicBaseURL != "":
		return strings.TrimSuffix(cfg.PublicBaseURL, "/")
	case cfg.Labels != nil:
		return strings.TrimSuffix(cfg.Labels.BaseURL(), "/")
	}
	return "http://localhost"
}
