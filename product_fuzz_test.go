package tracegate

import (
	"bytes"
	"testing"
)

// FuzzParseProductsCSV feeds the product import anything: nothing panics,
// every refusal is a coded error pointing at a row, and every row it accepts
// is a valid filing within the row limit.
func FuzzParseProductsCSV(f *testing.F) {
	head := "gtin,name,name_zh,brand,specification,hs_code,origin_country,manufacturer,filing_number,owner_uscc\n"
	f.Add([]byte(head + "9421902960031,a2 Platinum,a2 白金,a2,900g,1901101000,NZ,Synlait,,\n"))
	f.Add([]byte(head + "\"9421902960031\",\"a,b\",\"c\"\"d\",a2,900g,19011010,nz,Synlait,GZ-1,91350100M000100Y43\n"))
	f.Add([]byte("gtin,name\n"))
	f.Add([]byte("\xef\xbb\xbf" + head))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseProductsCSV(bytes.NewReader(data), 50)
		if err != nil {
			if ErrorCode(err) == EINTERNAL {
				t.Fatalf("ParseProductsCSV error %v is not coded", err)
			}
			return
		}
		if len(rows) > 50 {
			t.Fatalf("%d rows past the limit of 50", len(rows))
		}
		for _, r := range rows {
			if r.Product == nil || len(r.Product.GTIN) != 14 || r.Product.Name == "" {
				t.Fatalf("accepted an invalid row: %+v", r)
			}
		}
	})
}
