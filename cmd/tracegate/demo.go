package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"
	"tracegate"

	"tracegate/demo"
	"tracegate/epcis"
	"tracegate/gs1"
	"tracegate/ledger"
	"tracegate/store/sqlite"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "demo", "", "Run the server on a fresh embedded SQLite database filled with realistic demo data,\nand print the URLs to open and the demo API keys. Stop it with Ctrl-C.")
	var lf logFlags
	lf.register(fs, e, "text")
	addr := fs.String("addr", envOr(e, "TRACEGATE_ADDR", defaultAddr), "listen address; only the default "+defaultAddr+" moves to a free port when busy (env TRACEGATE_ADDR)")
	dataDir := fs.String("data-dir", "", "directory for the demo database and keys (default: a new temporary directory, removed on exit unless --keep)")
	var nf natsFlags
	nf.register(fs, e)
	keep := fs.Bool("keep", false, "keep the demo's data after exit (the temporary directory, or --data-dir, which is always kept)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := nf.check(); err != nil {
		return err
	}
	log, err := lf.logger(e.stderr)
	if err != nil {
		return err
	}
	// Only the default address may give way to a free port: an address asked
	// for (flag or TRACEGATE_ADDR) that is busy is an error.
	ln, err := listen(*addr, *addr == defaultAddr && !flagSet(fs, "addr") && e.getenv("TRACEGATE_ADDR") == "")
	if err != nil {
		return err
	}
	defer ln.Close()
	if got := ln.Addr().String(); got != *addr {
		if _, port, _ := net.SplitHostPort(*addr); port != "0" {
			fmt.Fprintf(e.stderr, "Port %s is busy: the demo listens on %s instead (choose one with --addr).\n", *addr, got)
		}
	}
	base := localURL(ln.Addr())
	dir := *dataDir
	kept := *keep || dir != ""
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tracegate-demo-"); err != nil {
			return err
		}
		if !*keep {
			defer os.RemoveAll(dir)
		}
	} else if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return fmt.Errorf("--data-dir %s is not empty; the demo needs a fresh directory", dir)
	}
	// The demo's labels scan against the demo itself, unless the operator
	// names another origin (a LAN address a phone can reach, say).
	e = demoEnv(e, base)
	dbPath := filepath.Join(dir, "tracegate.db")
	s, err := sqlite.Open(ctx, sqlite.Config{Path: dbPath, LedgerStates: true})
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := loadLedger(dir, ledger.DefaultOrigin)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "Filling the demo database...")
	leafFor := func(uscc string) epcis.LeafFunc {
		return func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(l.committer, r, uscc) }
	}
	data, err := demo.Seed(ctx, s, leafFor)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	cs, err := openCustoms(e, s, dir)
	if err != nil {
		return err
	}
	cd, err := demo.SeedCustoms(ctx, s, cs, data, time.Now())
	if err != nil {
		return fmt.Errorf("demo customs: %w", err)
	}
	ls, err := openLabels(e, s, cs, dir, nil)
	if err != nil {
		return err
	}
	ld, err := demo.SeedLabels(ctx, s, ls, cs, data, leafFor, time.Now())
	if err != nil {
		return fmt.Errorf("demo labels: %w", err)
	}
	crd, err := seedCreditDemo(ctx, log, s, dir, data, leafFor, time.Now())
	if err != nil {
		return fmt.Errorf("demo credit: %w", err)
	}
	pub := &ledger.Publisher{Store: s, Signer: l.signer, Verifiers: l.verifiers, Seen: l.seen}
	if _, err := pub.PublishOnce(ctx); err != nil {
		return fmt.Errorf("demo checkpoint: %w", err)
	}
	users, err := demo.SeedConsole(ctx, s, data, tracegate.RoleWarehouse)
	if err != nil {
		return err
	}
	printDemo(e, base, dbPath, data, cd, ld)
	printConsoleDemo(e, base, users)
	printDemoChecks(e, base, dir, dbPath, l.vkey, ld, kept)
	printCreditDemo(e, base, crd)
	_, stats, _ := sqliteStats(s)
	return serve(ctx, e, log, s, stats, ln, l, &ledgerFlags{origin: ledger.DefaultOrigin}, serveOptions{nats: nf})
}

func printDemo(e *env, base, dbPath string, data *demo.Data, cd *demo.CustomsData, ld *demo.LabelData) {
	w := e.stdout
	fmt.Fprintf(w, "\ntracegate demo is running — 演示已启动\n\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  Home 首页\t%s/\n", base)
	fmt.Fprintf(tw, "  Home (English)\t%s/?lang=en\n", base)
	fmt.Fprintf(tw, "  API description\t%s/openapi.json\n", base)
	fmt.Fprintf(tw, "  Metrics\t%s/metrics\n", base)
	fmt.Fprintf(tw, "  Health\t%s/healthz  %s/readyz\n", base, base)
	fmt.Fprintf(tw, "  Ledger checkpoint\t%s/log/checkpoint\n", base)
	tw.Flush()
	if len(data.Products) > 0 {
		fmt.Fprintf(w, "\nProducts (GS1 Digital Link pages) — 商品:\n")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range data.Products {
			link, _ := gs1.BuildURI(base, []gs1.AIValue{{AI: "01", Value: p.GTIN}}) // the demo's GTINs are valid
			fmt.Fprintf(tw, "  %s\t%s\n", p.NameZH, link)
		}
		tw.Flush()
		fmt.Fprintf(w, "  %d EPCIS events of %d items from factory to delivery, all in the ledger.\n", data.Events, data.Events/8)
	}
	if cd != nil {
		fmt.Fprintf(w, "\nCustoms — 跨境申报: %d declarations screened today (%d pass, %d review, %d refuse, %d waiting), each decision in the ledger;\n  %d in the regulator's review queue: GET %s/api/customs/reviews\n",
			cd.Declarations, cd.Outcomes["pass"], cd.Outcomes["review"], cd.Outcomes["refuse"], cd.Outcomes["waiting"], cd.Reviews, base)
	}
	if ld != nil {
		fmt.Fprintf(w, "\nScan pages (one item, one code) — 一物一码扫码页: %d labels issued and bound; open one as a consumer would:\n", ld.Labels)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, it := range ld.Items {
			fmt.Fprintf(tw, "  %s\t%s\t%s/l/%s\n", it.Product.NameZH, it.Story, base, it.Code.Compact())
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nDemo API keys (one per enterprise) — 演示密钥:\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, k := range data.Keys {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Role, k.Enterprise.Name, k.Secret)
	}
	tw.Flush()
	if reg := data.Key("regulator"); reg != "" {
		fmt.Fprintf(w, "\nTry:\n  curl -H 'Authorization: Bearer %s' %s/api/me\n  curl -H 'Authorization: Bearer %s' %s/api/enterprises\n", reg, base, reg, base)
		if len(data.Products) > 0 {
			item, _ := gs1.BuildURI(gs1.DefaultStem, []gs1.AIValue{{AI: "01", Value: data.Products[0].GTIN}, {AI: "21", Value: "NZ0001"}})
			fmt.Fprintf(w, "  curl -H 'Authorization: Bearer %s' '%s/epcis/events?MATCH_epc=%s'\n", reg, base, item)
		}
	}
}
