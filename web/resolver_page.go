package web

import (
	"net/http"
	"strings"

	"tracegate"
	"tracegate/gs1"
)

// productPage is the public product information of a GTIN: what the
// filings say, never who bought what.
type productPage struct {
	GTIN          string      `json:"gtin"`
	Name          string      `json:"name"`
	NameZH        string      `json:"nameZh"`
	Brand         string      `json:"brand"`
	Specification string      `json:"specification"`
	OriginCountry string      `json:"originCountry"`
	Manufacturer  string      `json:"manufacturer"`
	HSCode        string      `json:"hsCode"`
	Filings       int         `json:"filings"`
	PrefixIssuer  string      `json:"gs1PrefixIssuer,omitempty"`
	Lang          string      `json:"-"`
	T             productText `json:"-"`
}

// serveProductPage answers the product information page of a GTIN from its
// filings (at least one), as HTML for browsers (Chinese, ?lang=en for
// English) and JSON on request.
func (s *Server) serveProductPage(w http.ResponseWriter, r *http.Request, products []*tracegate.Product) {
	p := products[0]
	page := productPage{GTIN: p.GTIN, Name: p.Name, NameZH: p.NameZH, Brand: p.Brand, Specification: p.Specification,
		OriginCountry: p.OriginCountry, Manufacturer: p.Manufacturer, HSCode: p.HSCode, Filings: len(products)}
	page.PrefixIssuer, _ = gs1.IssuingOrganisation("01", p.GTIN)
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, page)
		return
	}
	page.Lang = pageLang(r)
	page.T = productTexts[catalogLang(page.Lang)]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	if err := templates.ExecuteTemplate(w, "product.html", page); err != nil {
		s.log.ErrorContext(r.Context(), "render product page", "err", err)
	}
}
