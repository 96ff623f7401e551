package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate/store/storetest"
)

// TestCreditCLI: recognise (bad input refused, nothing stored), recompute,
// show, publish; a bad rules file is refused naming its line; the audit
// re-derives the credit-level and credit-blacklist leaves.
func TestCreditCLI(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"TRACEGATE_DB": "sqlite:" + filepath.Join(dir, "t.db"), "TRACEGATE_DATA_DIR": filepath.Join(dir, "data")}
	ent, reg := storetest.USCC(31), storetest.USCC(32)
	for _, a := range [][]string{{"--uscc", ent, "--name", "深圳速达跨境电商有限公司", "--role", "ecommerce"}, {"--uscc", reg, "--name", "深圳海关", "--role", "regulator"}} {
		if code, out, errs := cli(t, vars, append([]string{"enterprise", "add"}, a...)...); code != 0 {
			t.Fatalf("enterprise add = %d %q %q", code, out, errs)
		}
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"future", []string{"--at", "2999-01-01"}, "future"},
		{"level 5", []string{"--level", "5"}, "outside the credit scheme"},
		{"no date", []string{"--at", "yesterday"}, "--at"},
		{"unknown", []string{"--uscc", storetest.USCC(99)}, "no enterprise"},
	} {
		args := map[string]string{"--uscc": ent, "--agency": "国家市场监督管理总局", "--level": "4", "--at": "2026-06-01", "--source": "国市监信〔2026〕12号"}
		for i := 0; i < len(c.args); i += 2 {
			args[c.args[i]] = c.args[i+1]
		}
		flat := []string{"credit", "recognise"}
		for k, v := range args {
			flat = append(flat, k, v)
		}
		if code, _, errs := cli(t, vars, flat...); code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: recognise = %d %q, want %q", c.name, code, errs, c.want)
		}
	}
	if code, out, _ := cli(t, vars, "credit", "show", ent); code != 0 || !strings.Contains(out, `"level": 1`) || !strings.Contains(out, `"recognitions": []`) {
		t.Fatalf("show after bad input = %d %s", code, out)
	}
	if code, out, errs := cli(t, vars, "credit", "recognise", "--uscc", ent, "--agency", "国家市场监督管理总局", "--level", "4",
		"--at", "2026-06-01", "--source", "国市监信〔2026〕12号"); code != 0 || !strings.Contains(out, "level 4") {
		t.Fatalf("recognise = %d %q %q", code, out, errs)
	}
	if code, out, errs := cli(t, vars, "credit", "recompute"); code != 0 || !strings.Contains(out, "1 changed level") {
		t.Fatalf("recompute = %d %q %q; want the regulator graded", code, out, errs)
	}
	if code, out, _ := cli(t, vars, "credit", "show", ent); code != 0 || !strings.Contains(out, `"level": 4`) || !strings.Contains(out, "raised from level 1 to level 4") {
		t.Fatalf("show = %d %s", code, out)
	}
	if code, out, errs := cli(t, vars, "credit", "publish"); code != 0 || !strings.Contains(out, "edition 1 of the credit blacklist: 1 listed, 0 removed") {
		t.Fatalf("publish = %d %q %q", code, out, errs)
	}
	bad := filepath.Join(dir, "rules.json")
	os.WriteFile(bad, []byte("{\n  \"halfLifeDays\": 365,\n  \"horizonDays\": 1095,\n  \"points\": {},\n  \"levels\": [\n    {\"level\": 1, \"from\": 0, \"to\": 5},\n    {\"level\": 2, \"from\": 6}\n  ]\n}\n"), 0o600)
	if code, _, errs := cli(t, vars, "credit", "recompute", "--credit-rules", bad); code != 1 || !strings.Contains(errs, "line 7: /levels/1/from") {
		t.Fatalf("bad rules = %d %q, want the line and field named", code, errs)
	}
	if code, out, errs := cli(t, vars, "audit"); code != 0 || !strings.Contains(out+errs, "agree") {
		t.Fatalf("audit = %d %q %q", code, out, errs)
	}
}
