package locale

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
)

// Fill sets every exported string field of the struct dst points to from
// the key prefix + "." + the field's name in snake case (Genuine reads
// "scan.genuine", BuyerIDNo "scan.buyer_id_no"); other fields are left as
// they are. A key the catalog lacks is recorded for Check and the field
// shows "⟦key⟧". It fails only when dst is not a pointer to a struct.
func Fill(l Lang, prefix string, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("locale: Fill needs a pointer to a struct, not %T", dst)
	}
	v = v.Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.String {
			v.Field(i).SetString(T(l, prefix+"."+Snake(f.Name)))
		}
	}
	return nil
}

// Snake writes a Go field name in snake case: "FirstScanLabel" is
// "first_scan_label", "BuyerIDNo" "buyer_id_no".
func Snake(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && !unicode.IsUpper(rs[i-1])
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
