package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tracegate/measure"
)

// TestMeasureCommands orders, lists and shows a measure over a running
// server's API, and reports a refused order with its field.
func TestMeasureCommands(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		base, key, owner, stop := serveWithRegulator(t, db)
		defer stop()
		api := []string{"--server", base, "--key", key}
		code, out, errOut := cli(t, nil, append([]string{"measure", "order", "--kind", "recall", "--gtin", "9421902960031", "--batch", "LNZ26A",
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
