package tracegate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ProductCSVColumns are the columns of a product import, in any order;
// owner_uscc is needed only when a regulator imports for others.
var ProductCSVColumns = []string{"gtin", "name", "name_zh", "brand", "specification", "hs_code",
	"origin_country", "manufacturer", "filing_number", "item_record_no", "owner_uscc"}

var productCSVRequired = []string{"gtin", "name", "name_zh", "brand", "specification", "hs_code", "origin_country", "manufacturer"}

// ProductRow is one parsed CSV row: the product and the owner it names.
type ProductRow struct {
	Line      int
	OwnerUSCC string
	Product   *Product
}

// ParseProductsCSV reads a product import (UTF-8 CSV with a header row, at
// most maxRows rows). Each product is validated (Product.Validate). It
// fails with EINVALID pointing at /rows/LINE/COLUMN for the first bad cell,
// or at the header.
func ParseProductsCSV(r io.Reader, maxRows int) ([]ProductRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, Invalidf("/rows/1", "the CSV is empty; the first row must name the columns (%s)", strings.Join(ProductCSVColumns, ","))
	} else if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !containsString(ProductCSVColumns, h) {
			return nil, Invalidf(fmt.Sprintf("/rows/1/%d", i+1), "unknown column %q (known: %s)", h, strings.Join(ProductCSVColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, Invalidf(fmt.Sprintf("/rows/1/%d", i+1), "column %q appears twice", h)
		}
		col[h] = i
	}
	for _, req := range productCSVRequired {
		if _, ok := col[req]; !ok {
			return nil, Invalidf("/rows/1", "column %q is missing", req)
		}
	}
	var out []ProductRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= maxRows {
			return nil, Errorf(ETOOLARGE, "more than %d rows; split the import", maxRows)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		p := &Product{GTIN: get("gtin"), Name: get("name"), NameZH: get("name_zh"), Brand: get("brand"),
			Specification: get("specification"), HSCode: get("hs_code"), OriginCountry: get("origin_country"),
			Manufacturer: get("manufacturer"), FilingNumber: get("filing_number"), ItemRecordNo: get("item_record_no")}
		if err := p.Validate(); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return nil, Invalidf(fmt.Sprintf("/rows/%d/%s", line, csvColumnOf(e.Pointer)), "line %d: %s", line, e.Message)
			}
			return nil, err
		}
		out = append(out, ProductRow{Line: line, OwnerUSCC: strings.TrimSpace(get("owner_uscc")), Product: p})
	}
	return out, nil
}

// csvColumnOf maps a Product field pointer to its CSV column.
func csvColumnOf(ptr string) string {
	switch ptr {
	case "/nameZh":
		return "name_zh"
	case "/hsCode":
		return "hs_code"
	case "/originCountry":
		return "origin_country"
	case "/filingNumber":
		return "filing_number"
	case "/itemRecordNo":
		return "item_record_no"
	}
	return strings.TrimPrefix(ptr, "/")
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Invalidf(fmt.Sprintf("/rows/%d", pe.Line), "malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("cannot read the CSV: %v", err), Err: err}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
