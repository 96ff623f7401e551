package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/store/storetest"
)

// serveWithRegulator registers a regulator and a platform in db, starts a
// server on it and returns its base URL, a regulator's API key, the
// platform's USCC and a function that stops the server.
func serveWithRegulator(t *testing.T, db string) (base, key, owner string, stop func() int) {
	t.Helper()
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
	base, _, stop = startInProcess(t, vars, "serve", "--addr", "127.0.0.1:0")
	return base, strings.TrimSpace(out), owner, stop
}

// signalsOf returns how many signals the server holds on the GTIN.
func signalsOf(t *testing.T, base, key, gtin string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/risk/signals?subject=gtin:"+gtin, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Signals []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET signals = %d %v", resp.StatusCode, err)
	}
	return len(got.Signals)
}

// TestRiskImport sends CSV and JSON files of signals over the API: all of a
// good file is stored; a bad row is named by row and column and nothing
// of its file is stored.
func TestRiskImport(t *testing.T) {
	dbs(t, func(t *testing.T, db string) {
		base, key, _, stop := serveWithRegulator(t, db)
		defer stop()
		api := []string{"--server", base, "--key", key}
		dir := t.TempDir()
		write := func(name, body string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}
		const gtin, other = "09421902960031", "04006381333931"
		good := write("good.csv", "\ufeffkind,source,observedAt,gtin,batch,hazard,severity,title,ref\n"+
			"inspection,Port of Ningbo CIQ,2026-11-02,9421902960031,LNZ26A,microbial,high,Enterobacter sakazakii in sample,CIQ-1\n"+
			"spot_check,Hangzhou SAMR,2026-11-20T08:00:00Z,9421902960031,,labelling,low,\"Label lacks Chinese importer, address\",SAMR-7\n"+
			"external_notice,RASFF,2026-10-01,9421902960031,,chemical,serious,Chlorate above limit,2026.1234\n")
		code, out, errOut := cli(t, nil, append(append([]string{"risk", "import"}, api...), good)...)
		var res struct {
			Stored  int
			Signals []int64
		}
		if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Stored != 3 || len(res.Signals) != 3 {
			t.Fatalf("risk import good.csv = %d %q %q", code, out, errOut)
		}
		if !strings.Contains(errOut, "100%") {
			t.Errorf("no progress bar on stderr: %q", errOut)
		}
		if n := signalsOf(t, base, key, gtin); n != 3 {
			t.Fatalf("%d signals on the GTIN after the import, want 3", n)
		}

		// Row 3 has an unknown severity: the file's good row 2 is not stored either.
		bad := write("bad.csv", "kind,gtin,hazard,severity,title\n"+
			"complaint,4006381333931,physical,medium,Glass splinter\n"+
			"complaint,4006381333931,physical,grave,Broken seal\n")
		code, out, errOut = cli(t, nil, append(append([]string{"risk", "import", "--quiet"}, api...), bad)...)
		if code != 1 || out != "" || !strings.Contains(errOut, "row 3, column severity") || !strings.Contains(errOut, "nothing stored") {
			t.Fatalf("risk import bad.csv = %d %q %q; want exit 1 naming row 3, column severity", code, out, errOut)
		}
		badGTIN := write("badgtin.csv", "kind,gtin,hazard,severity,title\ncomplaint,4006381333931,physical,low,ok\ncomplaint,4006381333932,physical,low,check digit\n")
		if code, _, errOut = cli(t, nil, append(append([]string{"risk", "import", "--quiet"}, api...), badGTIN)...); code != 1 || !strings.Contains(errOut, "row 3, column gtin") {
			t.Fatalf("risk import badgtin.csv = %d %q; want row 3, column gtin", code, errOut)
		}
		if n := signalsOf(t, base, key, other); n != 0 {
			t.Fatalf("%d signals stored from refused files, want 0", n)
		}

		// JSON: an array, and a second signal with a bad field.
		arr := write("two.json", `  [{"kind":"epidemic","selector":{"origin":"NZ"},"hazard":"disease","severity":"medium","title":"Avian influenza H5N1 outbreak"},
			{"kind":"trade_measure","selector":{"gtin":"4006381333931"},"hazard":"other","severity":"low","title":"New EU labelling rule"}]`)
		if code, out, errOut = cli(t, nil, append(append([]string{"risk", "import", "--quiet"}, api...), arr)...); code != 0 || !strings.Contains(out, `"stored":2`) {
			t.Fatalf("risk import two.json = %d %q %q", code, out, errOut)
		}
		badJSON := write("bad.json", `{"signals":[{"kind":"complaint","selector":{"gtin":"4006381333931"},"hazard":"physical","severity":"low","title":"a"},
			{"kind":"rumour","selector":{"gtin":"4006381333931"},"hazard":"physical","severity":"low","title":"b"}]}`)
		if code, _, errOut = cli(t, nil, append(append([]string{"risk", "import", "--quiet"}, api...), badJSON)...); code != 1 || !strings.Contains(errOut, "signal 1, field kind") {
			t.Fatalf("risk import bad.json = %d %q; want signal 1, field kind", code, errOut)
		}
		if n := signalsOf(t, base, key, other); n != 1 {
			t.Fatalf("%d signals on %s, want the one of two.json", n, other)
		}
		if code, _, errOut = cli(t, nil, "risk", "import", "--server", base, good); code != 1 || !strings.Contains(errOut, "--key") {
			t.Fatalf("risk import without a key = %d %q", code, errOut)
		}
	})
}
