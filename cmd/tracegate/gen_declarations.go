package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tracegate/gen"
)

func runGenDeclarations(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "gen declarations", "", "Generate declaration lines for the barcode-analytics benchmark straight into the store\n"+
		"(declaration heads without documents or ledger leaves: a benchmark store, not one to audit), reproducibly from --seed:\n"+
		"GTIN popularity Zipf-distributed, a few percent of lines misdeclared. Use a fresh database.")
	var sf storeFlags
	sf.register(fs, e)
	var cfg gen.DeclarationsConfig
	fs.IntVar(&cfg.Lines, "lines", 1_000_000, "declared lines")
	fs.IntVar(&cfg.GTINs, "gtins", 50_000, "distinct GTINs")
	fs.IntVar(&cfg.Enterprises, "enterprises", 200, "declaring enterprises")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	fs.Float64Var(&cfg.Zipf, "zipf", 1, "Zipf exponent of GTIN popularity")
	fs.Float64Var(&cfg.Misdeclared, "misdeclared", 0.03, "share of lines misdeclared")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	ds, ok := s.(gen.DeclarationStore)
	if !ok {
		return fmt.Errorf("the store cannot bulk-load declared lines")
	}
	bar := newProgress(e.stderr, int64(cfg.Lines))
	bar.unit = "lines"
	start := time.Now()
	st, err := gen.Declarations(ctx, ds, cfg, func(done, total int64) {
		if !*quiet {
			bar.total = total
			bar.update(done, int(done))
		}
	})
	bar.done()
	if err != nil {
		return err
	}
	return json.NewEncoder(e.stdout).Encode(struct {
		gen.DeclarationsStats
		Took string `json:"took"`
	}{st, time.Since(start).Round(time.Millisecond).String()})
}
