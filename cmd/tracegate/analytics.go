package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"tracegate/risk"
)

// analyticsFlags tune barcode analytics.
type analyticsFlags struct {
	k float64
}

func (f *analyticsFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&f.k, "analytics-k", 5, "barcode analytics: flag unit prices beyond this many median absolute deviations from the GTIN's median")
}

// openAnalytics returns barcode analytics over s.
func openAnalytics(s any, f analyticsFlags, log *slog.Logger) (*risk.Analytics, error) {
	as, ok := s.(risk.AnalyticsStore)
	if !ok {
		return nil, fmt.Errorf("the store does not keep declared lines for barcode analytics")
	}
	return risk.NewAnalytics(risk.AnalyticsConfig{K: f.k}, as, nil, log), nil
}

func runRiskAnalyse(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "risk analyse", "", "Run barcode analytics over the declared lines in the store: incremental (the GTINs\n"+
		"touched since the last run) unless --full, with a progress bar on stderr; prints what it did as JSON.")
	var sf storeFlags
	var af analyticsFlags
	sf.register(fs, e)
	af.register(fs)
	full := fs.Bool("full", false, "recompute every GTIN")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := openAnalytics(s, af, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	var bar *progress
	report := func(done, total int64) {
		if *quiet {
			return
		}
		if bar == nil || bar.total != total {
			bar = newProgress(e.stderr, total)
			bar.unit = "lines"
		}
		bar.update(done, int(done))
	}
	st, err := a.Run(ctx, *full, report)
	if bar != nil {
		bar.done()
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	return enc.Encode(struct {
		risk.RunStats
		Took string `json:"took"`
	}{st, st.Took.Round(time.Millisecond).String()})
}
