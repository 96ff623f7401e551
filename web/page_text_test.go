package web

import (
	"reflect"
	"strings"
	"testing"

	"tracegate/label"
	"tracegate/locale"
)

// TestPageTextsInCatalogs fails when a text of the home, error, product,
// complaint or blacklist page is missing from a catalog or empty (the
// texts are read at init), or when a placeholder the pages cut at is gone.
func TestPageTextsInCatalogs(t *testing.T) {
	if err := locale.Check(); err != nil {
		t.Fatal(err)
	}
	var check func(name string, v reflect.Value)
	check = func(name string, v reflect.Value) {
		switch {
		case v.Type() == reflect.TypeOf(around{}):
			// the text around a placeholder may begin or end at it
			if a := v.Interface().(around); strings.TrimSpace(a.Before+a.After) == "" {
				t.Errorf("%s is empty", name)
			}
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				check(name+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case v.Kind() == reflect.Map:
			for _, k := range v.MapKeys() {
				check(name+"["+k.String()+"]", v.MapIndex(k))
			}
		case v.Kind() == reflect.String:
			if s := v.String(); strings.TrimSpace(s) == "" || strings.Contains(s, "⟦") {
				t.Errorf("%s = %q", name, s)
			}
		}
	}
	for _, l := range locale.Langs() {
		for name, tx := range map[string]any{"home": homeTexts[l], "error": errorTexts[l], "product": productTexts[l],
			"complaint": complaintTextsIn[l], "blacklist": blacklistText[l]} {
			check(l.String()+" "+name, reflect.ValueOf(tx))
		}
		if n := len(errorTexts[l].Hints); n != len(errorHintCodes) {
			t.Errorf("%s: %d error hints, want %d", l, n, len(errorHintCodes))
		}
		if n := len(complaintTextsIn[l].Statuses); n != len(label.ComplaintStatuses) {
			t.Errorf("%s: %d complaint statuses, want %d", l, n, len(label.ComplaintStatuses))
		}
	}
	if got := homeTexts[locale.EN].CodeError; got.Before != "“" || !strings.HasPrefix(got.After, "” is not a label code") {
		t.Errorf("the English code error is cut at {code} into %q and %q", got.Before, got.After)
	}
	if got := productTexts[locale.ZH].PrefixIssuer; got.Before != "条码前缀由 " || !strings.HasPrefix(got.After, " 分配") {
		t.Errorf("the Chinese prefix note is cut at {issuer} into %q and %q", got.Before, got.After)
	}
	if got := homeTexts[locale.ZH].BlacklistText; !strings.Contains(string(got), `<a href="/credit/blacklist">`) {
		t.Errorf("the home page's blacklist paragraph lost its link: %s", got)
	}
}
