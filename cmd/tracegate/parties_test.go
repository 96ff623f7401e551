package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tracegate"
	"tracegate/store/storetest"
)

// TestCodesAndHandlersCommands: the operator registers customs codes
// (confirmed, or claimed and then confirmed) and client relations.
func TestCodesAndHandlersCommands(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		vars := map[string]string{"TRACEGATE_DB": db}
		seller, wh := storetest.USCC(51), storetest.USCC(52)
		for _, a := range [][]string{{seller, "ecommerce"}, {wh, "warehouse"}} {
			if code, _, errOut := cli(t, vars, "enterprise", "add", "--uscc", a[0], "--name", "企业", "--role", a[1]); code != 0 {
				t.Fatalf("enterprise add: %s", errOut)
			}
		}
		code, out, errOut := cli(t, vars, "enterprise", "codes", "add", "--enterprise", seller, "--code", "4401960001", "--kind", "ebc")
		var c tracegate.CustomsCode
		if code != 0 || json.Unmarshal([]byte(out), &c) != nil || c.Status != tracegate.CodeConfirmed {
			t.Fatalf("codes add = %d %q %q", code, out, errOut)
		}
		if code, out, _ := cli(t, vars, "enterprise", "codes", "add", "--enterprise", wh, "--code", "4401630300", "--kind", "area", "--claimed"); code != 0 ||
			!strings.Contains(out, `"claimed"`) {
			t.Fatalf("codes add --claimed = %d %q", code, out)
		}
		for _, tt := range []struct {
			name string
			args []string
			want string
		}{
			{"held by another", []string{"enterprise", "codes", "add", "--enterprise", wh, "--code", "4401960001", "--kind", "ebc"}, "another enterprise"},
			{"bad code", []string{"enterprise", "codes", "add", "--enterprise", wh, "--code", "44019", "--kind", "ebc"}, "--code: "},
			{"bad kind", []string{"enterprise", "codes", "add", "--enterprise", wh, "--code", "4401960002", "--kind", "x"}, "--kind: "},
			{"confirm unclaimed", []string{"enterprise", "codes", "confirm", "--code", "9999999999"}, "no enterprise claimed"},
			{"self-handling", []string{"enterprise", "handlers", "grant", "--client", seller, "--handler", seller}, "--handler: "},
		} {
			t.Run(tt.name, func(t *testing.T) {
				code, out, errOut := cli(t, vars, tt.args...)
				if code != 1 || out != "" || !strings.Contains(errOut, tt.want) {
					t.Fatalf("%v = exit %d, stdout %q, stderr %q; want exit 1 saying %q", tt.args, code, out, errOut, tt.want)
				}
			})
		}
		if code, out, errOut := cli(t, vars, "enterprise", "codes", "confirm", "--code", "4401630300"); code != 0 || !strings.Contains(out, `"confirmed"`) {
			t.Fatalf("codes confirm = %d %q %q", code, out, errOut)
		}
		if code, _, errOut := cli(t, vars, "enterprise", "handlers", "grant", "--client", seller, "--handler", wh); code != 0 {
			t.Fatalf("handlers grant: %s", errOut)
		}
		if code, out, _ := cli(t, vars, "enterprise", "codes", "list", "--enterprise", wh); code != 0 || !strings.Contains(out, "4401630300") ||
			!strings.Contains(out, "has authorised this enterprise") {
			t.Fatalf("codes list = %d %q", code, out)
		}
		if code, _, errOut := cli(t, vars, "enterprise", "handlers", "revoke", "--client", seller, "--handler", wh); code != 0 {
			t.Fatalf("handlers revoke: %s", errOut)
		}
		if code, _, _ := cli(t, vars, "enterprise", "handlers", "revoke", "--client", seller, "--handler", wh); code != 1 {
			t.Fatal("revoking twice succeeded")
		}
	})
}
