package web

import (
	"mime"
	"net/http"
	"strconv"

	"tracegate"
)

// maxProductImportRows bounds one CSV import; maxProductImportBytes its body.
const (
	maxProductImportRows  = 100_000
	maxProductImportBytes = 64 << 20
)

// handleProductImport files the products of a CSV body (text/csv, columns
// tracegate.ProductCSVColumns) all or nothing, and answers the counts.
func (s *Server) handleProductImport(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNSUPPORTED, "send the products as text/csv"))
		return
	}
	limitBody(w, r, maxProductImportBytes)
	rows, err := tracegate.ParseProductsCSV(r.Body, maxProductImportRows)
	if err != nil {
		s.writeError(w, r, jsonBodyError(err))
		return
	}
	owners := map[string]*tracegate.Enterprise{}
	products := make([]*tracegate.Product, len(rows))
	for i, row := range rows {
		owner, ok := owners[row.OwnerUSCC]
		if !ok {
			if owner, err = s.productOwner(r, row.OwnerUSCC); err != nil {
				if te, isTE := err.(*tracegate.Error); isTE && te.Code == tracegate.EINVALID {
					err = tracegate.Invalidf("/rows/"+strconv.Itoa(row.Line)+"/owner_uscc", "line %d: %s", row.Line, te.Message)
				}
				s.writeError(w, r, err)
				return
			}
			owners[row.OwnerUSCC] = owner
		}
		row.Product.OwnerID = owner.ID
		products[i] = row.Product
	}
	created, err := s.products.SaveProducts(r.Context(), products)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"rows": len(products), "created": created, "updated": len(products) - created})
}
