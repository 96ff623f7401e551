package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/lease"
	"tracegate/risk"
)

// customsSecretFile holds the key of the buyers' quota keys (BuyerKey),
// beside the ledger's secret in --data-dir; the database never sees it.
const customsSecretFile = "customs.secret"

// openCustoms returns the customs intake over s with the secret in dataDir
// (created on first use), the match timeout of
// TRACEGATE_CUSTOMS_MATCH_TIMEOUT (a Go duration; default 24h) and the
// signing certificates of TRACEGATE_CEB_CERTS.
func openCustoms(e *env, s customs.Store, dataDir string) (*customs.Service, error) {
	return openCustomsCredit(e, s, dataDir, nil, nil)
}

// openCustomsCredit is openCustoms with the credit levels screening asks
// (nil: the credit rule is skipped) and the risk assessment's barcode and
// HS lookups (nil: the loaded risk tables alone).
func openCustomsCredit(e *env, s customs.Store, dataDir string, levels *credit.Levels, rl *risk.Lookups) (*customs.Service, error) {
	secret, err := loadOrCreateSecret(filepath.Join(dataDir, customsSecretFile))
	if err != nil {
		return nil, err
	}
	timeout := customs.DefaultMatchTimeout
	if v := e.getenv("TRACEGATE_CUSTOMS_MATCH_TIMEOUT"); v != "" {
		if timeout, err = time.ParseDuration(v); err != nil || timeout <= 0 {
			return nil, tracegate.Invalidf("TRACEGATE_CUSTOMS_MATCH_TIMEOUT", "not a positive duration: %q", v)
		}
	}
	// TRACEGATE_CEB_CERTS names a PEM file of the SM2 certificates CEB
	// signatures are verified against; without it every answer says
	// "unverified".
	var sigs *customs.Signatures
	if path := e.getenv("TRACEGATE_CEB_CERTS"); path != "" {
		pemData, err := os.ReadFile(path)
		if err != nil {
			return nil, tracegate.Invalidf("TRACEGATE_CEB_CERTS", "cannot read %s: %v", path, err)
		}
		if sigs, err = customs.NewSignatures(pemData); err != nil {
			return nil, tracegate.Invalidf("TRACEGATE_CEB_CERTS", "%s: %s", path, tracegate.ErrorMessage(err))
		}
	}
	cfg := customs.ServiceConfig{Secret: secret, MatchTimeout: timeout, Signatures: sigs}
	if levels != nil {
		cfg.Credit = levels // a nil *Levels in the interface would fake a level
	}
	if rl != nil {
		cfg.Barcodes, cfg.HSRisk = rl, rl
	}
	return customs.NewService(cfg, s)
}

// startCustomsSweep re-screens timed-out waiting declarations every
// minute until ctx is done, on the one node holding the lease
// "customs-sweep" (its decisions are written under the lease's fence).
func startCustomsSweep(ctx context.Context, log *slog.Logger, leases *lease.Runner, cs *customs.Service) {
	go leases.Every(ctx, leaseCustomsSweep, time.Minute, false, func(ctx context.Context) error {
		n, err := cs.Sweep(ctx, time.Now(), customs.Sender{})
		if err == nil && n > 0 {
			log.InfoContext(ctx, "customs sweep", slog.Int("timed_out", n))
		}
		return err
	})
}

func runCustomsTablesLoad(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "customs tables load", "FILE.csv", "Load a new version of a customs table into the database.\nKinds and columns: positive-list (hs8,name,modes,note,effective_from), tariff\n(hs,duty_rate,vat_rate,ct_rate,ct_threshold,ct_threshold_unit), prohibited (hs_prefix,category,reason),\nbarcode-risk (gtin,tag,severity,note), hs-risk (hs_prefix,tag,severity,note).")
	var sf storeFlags
	sf.register(fs, e)
	kind := fs.String("kind", "", "table kind: "+strings.Join(customs.TableKinds, ", "))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *kind == "" {
		return tracegate.Invalidf("--kind", "give --kind and one CSV file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := openCustoms(e, s, sf.dataDir)
	if err != nil {
		return err
	}
	t, err := cs.LoadTable(ctx, *kind, data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(e.stdout, "loaded %s version %d: %d rows\n", t.Kind, t.ID, t.Rows)
	return nil
}

func runCustomsImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "customs import", "FILE-or-DIR...", "Take CEB messages (one per .xml file; a directory is read for *.xml, in name order) into the\ndatabase through the customs intake: match, screening, quota, ledger. A progress bar goes to\nstderr and a one-line summary to stdout. Refused messages are listed on stderr; exit 1 if any.")
	var sf storeFlags
	sf.register(fs, e)
	uscc := fs.String("uscc", envOr(e, "TRACEGATE_CUSTOMS_USCC", ""), "USCC the ledger leaves name when a declaration's ebcCode is not one (env TRACEGATE_CUSTOMS_USCC)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return tracegate.Invalidf("FILE", "give at least one file or directory")
	}
	if *uscc != "" {
		u, err := tracegate.ValidateUSCC(*uscc)
		if err != nil {
			return tracegate.Invalidf("--uscc", "%v", err)
		}
		*uscc = u
	}
	files, total, err := customsFiles(fs.Args())
	if err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := openCustoms(e, s, sf.dataDir)
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, total)
	bar.unit = "messages"
	var done int64
	var sum importSummary
	// Messages go to the intake in batches (one transaction each, parsed on
	// every core); a result is counted only after its batch committed.
	var paths []string
	var bodies [][]byte
	size := 0
	flush := func() {
		for i, r := range cs.IntakeBatch(ctx, customs.Sender{USCC: *uscc}, bodies) {
			done += int64(len(bodies[i]))
			if r.Err != nil {
				sum.refused = append(sum.refused, fmt.Sprintf("%s: %s", paths[i], cliMessage(r.Err)))
			} else {
				sum.add(r.Result)
			}
		}
		bar.update(done, sum.messages+len(sum.refused))
		paths, bodies, size = paths[:0], bodies[:0], 0
	}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		paths, bodies, size = append(paths, path), append(bodies, body), size+len(body)
		if len(bodies) == importBatch || size >= importBatchBytes {
			flush()
		}
	}
	if len(bodies) > 0 {
		flush()
	}
	bar.done()
	for _, r := range sum.refused {
		fmt.Fprintln(e.stderr, "refused:", r)
	}
	fmt.Fprintln(e.stdout, sum.String())
	if len(sum.refused) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// An import takes messages in batches of at most importBatch messages or
// importBatchBytes of XML, one transaction each.
const (
	importBatch      = 256
	importBatchBytes = 16 << 20
)

// customsFiles lists the .xml files of paths (directories walked) and their
// total size.
func customsFiles(paths []string) ([]string, int64, error) {
	var files []string
	var total int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, 0, err
		}
		if !st.IsDir() {
			files, total = append(files, p), total+st.Size()
			continue
		}
		var in []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".xml") {
				info, err := d.Info()
				if err != nil {
					return err
				}
				in, total = append(in, path), total+info.Size()
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		slices.Sort(in)
		files = append(files, in...)
	}
	return files, total, nil
}

// importSummary counts what an import did.
type importSummary struct {
	messages, documents int
	outcomes            map[customs.Outcome]int
	refused             []string
}

func (s *importSummary) add(res *customs.IntakeResult) {
	s.messages++
	if s.outcomes == nil {
		s.outcomes = map[customs.Outcome]int{}
	}
	for _, d := range res.Documents {
		s.documents++
		if d.Decision != nil {
			s.outcomes[d.Decision.Status]++
		}
	}
}

func (s *importSummary) String() string {
	return fmt.Sprintf("%d messages taken (%d documents), %d refused; decisions: %d pass, %d review, %d refuse, %d waiting, %d cancelled",
		s.messages, s.documents, len(s.refused), s.outcomes[customs.OutcomePass], s.outcomes[customs.OutcomeReview],
		s.outcomes[customs.OutcomeRefuse], s.outcomes[customs.OutcomeWaiting], s.outcomes[customs.OutcomeCancelled])
}

func runCustomsSweep(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "customs sweep", "", "Refuse the declarations whose three-document match timed out (the server does this every minute).")
	var sf storeFlags
	sf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := openCustoms(e, s, sf.dataDir)
	if err != nil {
		return err
	}
	n, err := cs.Sweep(ctx, time.Now(), customs.Sender{})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d declarations timed out\n", n)
	return nil
}
