package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/demo"
	"tracegate/epcis"
	"tracegate/lease"
)

// creditSecretFile holds the key of the credit sampling hash: kept out of
// the database, so nobody who reads it can predict which declaration is
// sampled.
const creditSecretFile = "credit.secret"

// creditFlags are the flags of the commands that grade.
type creditFlags struct{ rules string }

func (f *creditFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.rules, "credit-rules", envOr(e, "TRACEGATE_CREDIT_RULES", ""),
		"credit rules file (JSON, see credit/rules.json); empty: the embedded default (env TRACEGATE_CREDIT_RULES)")
}

// loadCreditRules reads the rules file, or the default for "". It fails
// with EINVALID naming the file, line and field.
func loadCreditRules(path string) (*credit.Rules, error) {
	if path == "" {
		return credit.DefaultRules(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, tracegate.Invalidf("--credit-rules", "%v", err)
	}
	r, err := credit.ParseRules(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// openCredit returns the grading service over s and the levels table
// (loaded from the store) that customs screening asks.
func openCredit(ctx context.Context, log *slog.Logger, s any, dataDir, rulesPath string) (*credit.Service, *credit.Levels, error) {
	cs, ok := s.(credit.Store)
	if !ok {
		return nil, nil, fmt.Errorf("the store does not keep credit records")
	}
	rules, err := loadCreditRules(rulesPath)
	if err != nil {
		return nil, nil, err
	}
	secret, err := loadOrCreateSecret(filepath.Join(dataDir, creditSecretFile))
	if err != nil {
		return nil, nil, err
	}
	lv, err := credit.NewLevels(rules, secret)
	if err != nil {
		return nil, nil, err
	}
	if codes, ok := s.(credit.CodeStore); ok {
		// Declarations name their enterprises by customs code.
		lv.ResolveCodes(codes, 2*time.Second)
	}
	svc := credit.NewService(cs, rules, lv, nil, log)
	if err := svc.Reload(ctx); err != nil {
		return nil, nil, err
	}
	return svc, lv, nil
}

// creditPublisher returns the USCC that names the blacklist's editions in
// the ledger: TRACEGATE_CREDIT_PUBLISHER, else the first regulator
// enterprise; "" when there is none.
func creditPublisher(ctx context.Context, e *env, s tracegate.EnterpriseStore) (string, error) {
	if v := e.getenv("TRACEGATE_CREDIT_PUBLISHER"); v != "" {
		return v, nil
	}
	regs, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{Role: tracegate.RoleRegulator, Limit: 1})
	if err != nil || len(regs) == 0 {
		return "", err
	}
	return regs[0].USCC, nil
}

// startCreditDaily regrades every enterprise and publishes an edition of
// the blacklist every interval until ctx is done (entries decay with age).
// It runs on the one node holding the lease "credit-daily" (its writes carry
// the lease's fence). The first run is one interval after the lease is
// taken, so a restart adds no leaves
// of its own; `tracegate credit recompute` and `credit publish` (or POST
// /api/credit/blacklist/editions) run it on demand.
func startCreditDaily(ctx context.Context, e *env, log *slog.Logger, leases *lease.Runner, s tracegate.EnterpriseStore, svc *credit.Service, every time.Duration) {
	go leases.Every(ctx, leaseCreditDaily, every, false, func(ctx context.Context) error {
		if n, err := svc.RecomputeAll(ctx); err != nil {
			log.ErrorContext(ctx, "credit recompute", slog.Any("err", err))
		} else {
			log.InfoContext(ctx, "credit recomputed", slog.Int("changed", n))
		}
		pub, err := creditPublisher(ctx, e, s)
		switch {
		case err != nil:
			return fmt.Errorf("credit publisher: %w", err)
		case pub == "":
			log.WarnContext(ctx, "no regulator enterprise to publish the credit blacklist under; set TRACEGATE_CREDIT_PUBLISHER")
		default:
			if _, err := svc.Publish(ctx, pub); err != nil {
				return fmt.Errorf("credit blacklist: %w", err)
			}
		}
		return nil
	})
}

// openCreditCommand opens the store of a credit command and the credit
// service over it; the caller closes the store.
func openCreditCommand(ctx context.Context, sf *storeFlags, cf *creditFlags) (store, *credit.Service, error) {
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return nil, nil, err
	}
	svc, _, err := openCredit(ctx, nil, s, sf.dataDir, cf.rules)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, svc, nil
}

func runCreditPublish(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "credit publish", "", "Publish a new numbered edition of the credit blacklist now and commit it to the ledger.")
	var sf storeFlags
	var cf creditFlags
	sf.register(fs, e)
	cf.register(fs, e)
	publisher := fs.String("publisher", "", "USCC of the regulator publishing (default: env TRACEGATE_CREDIT_PUBLISHER, else the first regulator enterprise)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, svc, err := openCreditCommand(ctx, &sf, &cf)
	if err != nil {
		return err
	}
	defer s.Close()
	if *publisher == "" {
		if *publisher, err = creditPublisher(ctx, e, s); err != nil {
			return err
		}
		if *publisher == "" {
			return tracegate.Invalidf("--publisher", "no regulator enterprise: give --publisher")
		}
	}
	saved, err := svc.Publish(ctx, *publisher)
	if err != nil {
		return err
	}
	ed, err := svc.Edition(ctx, saved.Edition)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "published edition %d of the credit blacklist: %d listed, %d removed (ledger index %d)\n",
		ed.Edition, len(ed.Entries), len(ed.Removals), ed.LedgerIndex)
	return nil
}

func runCreditRecompute(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "credit recompute", "[USCC...]", "Regrade enterprises from their records: the given ones, or every enterprise.\nEach level change is stored with its reasons and committed to the ledger.")
	var sf storeFlags
	var cf creditFlags
	sf.register(fs, e)
	cf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, svc, err := openCreditCommand(ctx, &sf, &cf)
	if err != nil {
		return err
	}
	defer s.Close()
	if fs.NArg() == 0 {
		start := time.Now()
		n, err := svc.RecomputeAll(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "regraded every enterprise in %s: %d changed level\n", time.Since(start).Round(time.Millisecond), n)
		return nil
	}
	for _, u := range fs.Args() {
		rec, g, err := svc.Recompute(ctx, u)
		if err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		fmt.Fprintf(e.stdout, "%s %s: level %d, score %.2f\n", rec.USCC, rec.Name, g.Level, g.Score)
	}
	return nil
}

func runCreditShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "credit show", "USCC", "Print an enterprise's credit record as JSON: level, score, entries and history.")
	var sf storeFlags
	var cf creditFlags
	sf.register(fs, e)
	cf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return tracegate.Invalidf("USCC", "give one USCC")
	}
	s, svc, err := openCreditCommand(ctx, &sf, &cf)
	if err != nil {
		return err
	}
	defer s.Close()
	rec, g, err := svc.Record(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(credit.NewView(rec, g))
}

func runCreditRecognise(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "credit recognise", "", "Import a level recognised by another agency (信用等级互认) and regrade the enterprise.")
	var sf storeFlags
	var cf creditFlags
	sf.register(fs, e)
	cf.register(fs, e)
	uscc := fs.String("uscc", "", "the enterprise's USCC (required)")
	agency := fs.String("agency", "", "the recognising agency (required)")
	level := fs.Int("level", 0, "the recognised level in the scheme (required)")
	at := fs.String("at", "", "the date of the recognition, YYYY-MM-DD or RFC 3339 (required)")
	source := fs.String("source", "", "the agency's source document: number or URL (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, *at)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, *at); err != nil {
			return tracegate.Invalidf("--at", "not a date: %q", *at)
		}
	}
	s, svc, err := openCreditCommand(ctx, &sf, &cf)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := svc.Recognise(ctx, credit.Recognition{USCC: *uscc, Agency: *agency, Level: *level, At: t, Source: *source})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "recognised %s at level %d by %s (recognition %d)\n", r.USCC, r.Level, r.Agency, r.ID)
	return nil
}

// seedCreditDemo grades the demo enterprises from real records
// (demo.SeedCredit) under the first demo regulator.
func seedCreditDemo(ctx context.Context, log *slog.Logger, s store, dir string, data *demo.Data, leafFor func(uscc string) epcis.LeafFunc, now time.Time) (*demo.CreditData, error) {
	svc, _, err := openCredit(ctx, log, s, dir, "")
	if err != nil {
		return nil, err
	}
	cs, ok := s.(demo.CreditStore)
	if !ok {
		return nil, fmt.Errorf("the store keeps no holds")
	}
	var reg *tracegate.Enterprise
	for _, e := range data.Enterprises {
		if reg == nil && e.HasRole(tracegate.RoleRegulator) {
			reg = e
		}
	}
	if reg == nil {
		return nil, fmt.Errorf("no demo regulator")
	}
	return demo.SeedCredit(ctx, cs, svc, reg, leafFor, now)
}

func printCreditDemo(e *env, base string, d *demo.CreditData) {
	fmt.Fprintf(e.stdout, "\nCredit — 企业信用: enterprises by level 1/2/3/4: %d/%d/%d/%d; blacklist edition %d lists %d, %d removed:\n  %s/credit/blacklist  (.json .csv .atom, ?lang=en)\n",
		d.Levels[1], d.Levels[2], d.Levels[3], d.Levels[4], d.Editions, d.Listed, d.Removed, base)
}
