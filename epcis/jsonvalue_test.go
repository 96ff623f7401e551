package epcis

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestReadJVal: the value parser gives what encoding/json reads (numbers as
// their literal text, key order kept), and refuses what it must.
func TestReadJVal(t *testing.T) {
	for _, in := range []string{
		`{"a":1,"b":[true,false,null,-1.5e3,"x"],"c":{}}`,
		` { "k" : "v\"q\\\u00e9\n" , "e" : [ ] , "n" : 0 } `,
		`"plain"`, `"中文 ✓"`, `12`, `[[],[{}]]`, `{"dup":1,"dup":2}`,
	} {
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		v, err := readJVal(dec)
		if err != nil {
			t.Errorf("readJVal(%s) = %v", in, err)
			continue
		}
		var want, got any
		json.Unmarshal([]byte(in), &want)
		json.Unmarshal(v.appendJSON(nil), &got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("readJVal(%s) re-encodes as %s", in, v.appendJSON(nil))
		}
	}
	dec := json.NewDecoder(strings.NewReader(`{"b":2,"a":1.50}`))
	dec.UseNumber()
	if v, _ := readJVal(dec); strings.Join(v.keys, ",") != "b,a" || v.vals[1].str != "1.50" {
		t.Errorf("readJVal kept keys %v and number %q; want b,a and 1.50", v.keys, v.vals[1].str)
	}
	for _, bad := range []string{`{"a":}`, `[1,]`, `{"a" 1}`, `tru`, `"open`} {
		dec := json.NewDecoder(strings.NewReader(bad))
		if _, err := readJVal(dec); err == nil {
			t.Errorf("readJVal(%s) succeeded", bad)
		}
	}
	deep := strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2)
	if _, err := readJVal(json.NewDecoder(strings.NewReader(deep))); !errors.Is(err, errTooDeep) {
		t.Errorf("readJVal(%d nested arrays) = %v, want errTooDeep", maxDepth+2, err)
	}
}
