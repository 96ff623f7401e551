package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tracegate/measure"
	"tracegate/store/storetest"
)

// TestMeasureCommands orders, lists and shows a measure over a running
// server's API, and reports a refused order with its field.
func TestMeasureCommands(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		dataDir := t.TempDir()
		if isPostgres(db) {
			if code, _, errOut := cli(t, nil, "init", "--data-dir", dataDir); code != 0 {
				t.Fatalf("init: %s", errOut)
			}
		}
		vars := map[string]string{"TRACEGATE_DB": db, "TRACEGATE_DATA_DIR": dataDir}
		reg, owner := storetest.USCC(61), storetest.USCC(62)
		for _, a := range [][]string{{"--uscc", reg, "--name", "海关", "--role", "regulator"}, {"--uscc", owner, "--name", "跨境电商", "--role", "ecommerce"}} {
			if code, _, errOut := cli(t, vars, append([]string{"enterprise", "add"}, a...)...); code != 0 {
				t.Fatalf("enterprise add: %s", errOut)
			}
		}
		code, out, errOut := cli(t, vars, "apikey", "create", "--enterprise", reg, "--role", "regulator")
		if code != 0 {
			t.Fatalf("apikey create: %s", errOut)
		}
		key := strings.TrimSpace(out)
		base, _, stop := startInProcess(t, vars, "serve", "--addr", "127.0.0.1:0")
		defer stop()
		api := []string{"--server", base, "--key", key}
		code, out, errOut = cli(t, nil, append([]string{"measure", "order", "--kind", "recall", "--gtin", "9421902960031", "--batch", "LNZ26A",
			"--owner", owner, "--reason", "召回", "--reason-en", "recall", "--deadline", "2099-01-01T00:00:00Z"}, api...)...)
		var m measure.Measure
		if err := json.Unmarshal([]byte(out), &m); code != 0 || err != nil || m.ID == "" || m.Status != measure.Ordered || m.Selector.Batch != "LNZ26A" {
			t.Fatalf("measure order = %d %q %q", code, out, errOut)
		}
		if code, out, errOut = cli(t, nil, append([]string{"measure", "list", "--kind", "recall"}, api...)...); code != 0 || !strings.Contains(out, m.ID) {
			t.Fatalf("measure list = %d %q %q", code, out, errOut)
		}
		if code, out, errOut = cli(t, nil, append(append([]string{"measure", "show"}, api...), m.ID)...); code != 0 || !strings.Contains(out, `"history"`) || !strings.Contains(out, owner) {
			t.Fatalf("measure show = %d %q %q", code, out, errOut)
		}
		code, out, errOut = cli(t, nil, append([]string{"measure", "order", "--kind", "ban", "--gtin", "9421902960031", "--owner", owner, "--reason", "r", "--reason-en", "r"}, api...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, "/kind") {
			t.Fatalf("measure order of an unknown kind = %d %q %q; want exit 1 naming /kind", code, out, errOut)
		}
	})
}
