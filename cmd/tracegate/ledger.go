package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/audit"
	"tracegate/label"
	"tracegate/lease"
	"tracegate/ledger"
	"tracegate/ledger/witness"
	"tracegate/web"
)

// secretFile holds the server secret of the item commitments.
const secretFile = "ledger.secret"

// ledgerFlags configure the log of serve and demo.
type ledgerFlags struct {
	origin    string
	witnesses stringList
	quorum    int
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (f *ledgerFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.origin, "log-origin", envOr(e, "TRACEGATE_LOG_ORIGIN", ledger.DefaultOrigin), "the log's checkpoint origin, e.g. trace.example.cn/log (env TRACEGATE_LOG_ORIGIN)")
	fs.Var(&f.witnesses, "witness", "a witness as VKEY=URL (C2SP tlog-witness); repeat for several")
	fs.IntVar(&f.quorum, "witness-quorum", 0, "how many witnesses must cosign a checkpoint before it is published (k of n)")
}

// ledgerSetup is the loaded log: keys, committer, and its publisher.
type ledgerSetup struct {
	vkey      string
	verifiers note.Verifiers
	signer    *ledger.Signer
	committer *ledger.Committer
	dataDir   string
	// seen is the last checkpoint this node has seen, kept in dataDir.
	seen *ledger.LastSeen
}

// loadLedger reads (creating on first use) the log's key and the item
// secret in dataDir.
func loadLedger(dataDir, origin string) (*ledgerSetup, error) {
	skey, vkey, err := ledger.LoadOrCreateKey(dataDir, origin)
	if err != nil {
		return nil, err
	}
	signer, err := ledger.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	v, err := ledger.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	secret, err := loadOrCreateSecret(filepath.Join(dataDir, secretFile))
	if err != nil {
		return nil, err
	}
	c, err := ledger.NewCommitter(secret)
	if err != nil {
		return nil, err
	}
	vs := note.VerifierList(v)
	return &ledgerSetup{vkey: vkey, verifiers: vs, signer: signer, committer: c, dataDir: dataDir, seen: ledger.NewLastSeen(dataDir, vs)}, nil
}

func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) < ledger.MinSecret {
			return nil, fmt.Errorf("%s: the ledger secret is too short", path)
		}
		return b, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	b = make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, err
	}
	return b, f.Close()
}

func (l *ledgerSetup) web() *web.Ledger {
	return &web.Ledger{Committer: l.committer, VKey: l.vkey, Verifiers: l.verifiers}
}

// publisher returns the checkpoint publisher, with witnesses when asked.
func (l *ledgerSetup) publisher(s store, f *ledgerFlags) (*ledger.Publisher, error) {
	p := &ledger.Publisher{Store: s, Signer: l.signer, Verifiers: l.verifiers, Seen: l.seen}
	if len(f.witnesses) == 0 {
		return p, nil
	}
	var ws []*witness.Witness
	var keys []string
	for _, spec := range f.witnesses {
		vkey, url, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, tracegate.Invalidf("--witness", "want VKEY=URL, got %q", spec)
		}
		w, err := witness.NewWitness(vkey, url)
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
		keys = append(keys, vkey)
	}
	policy, err := ledger.NewPolicy(l.vkey, keys, f.quorum)
	if err != nil {
		return nil, err
	}
	client := witness.NewClient(&http.Client{Timeout: 30 * time.Second})
	p.Cosign = func(ctx context.Context, signed []byte) ([]byte, error) {
		return client.Cosign(ctx, s, signed, ws, policy)
	}
	return p, nil
}

// startPublisher runs the publisher until ctx is done, on the one node
// holding the lease "checkpoint": its checkpoint writes carry the lease's
// fence, so a node that lost the lease cannot store one.
func startPublisher(ctx context.Context, log *slog.Logger, leases *lease.Runner, p *ledger.Publisher) {
	go leases.Run(ctx, leaseCheckpoint, func(ctx context.Context) error {
		p.Run(ctx, 2*time.Second, func(err error) {
			log.Error("publish checkpoint", slog.Any("err", err))
		})
		return nil
	})
}

func runLogVKey(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "log vkey", "", "Print the log's verifier key from the key in --data-dir. Refuses when there is no key,\nunless --create makes one.")
	var sf storeFlags
	var lf ledgerFlags
	sf.register(fs, e)
	lf.register(fs, e)
	create := fs.Bool("create", false, "create the log's key in --data-dir when there is none")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*create {
		if err := mustExist(filepath.Join(sf.dataDir, ledger.KeyFile), "key", "point --data-dir at the server's, or pass --create to make one"); err != nil {
			return err
		}
	}
	_, vkey, err := ledger.LoadOrCreateKey(sf.dataDir, lf.origin)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, vkey)
	fmt.Fprintf(e.stderr, "fingerprint %s (publish it where verifiers can compare it)\n", vkeyFingerprint(vkey))
	return nil
}

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "verify", "PROOF-FILE-or-URL", "Check a ledger inclusion proof (c2sp.org/tlog-proof text or its JSON form) offline with the\nlog's verifier key, and print what it proves. Exits 1 when it does not verify.")
	vkey := fs.String("vkey", envOr(e, "TRACEGATE_VKEY", ""), "the log's verifier key, as printed by 'tracegate log vkey' (env TRACEGATE_VKEY)")
	code := fs.String("label", "", "a label code (as printed); also check that the proof's leaf commits to it (a label-issuance proof from /l/CODE/proof)")
	fetch := fs.Bool("fetch-vkey", false, "take the verifier key from the server the proof URL names (GET /log/vkey) and print its fingerprint: compare it with one published elsewhere")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if *vkey == "" {
		k, err := fetchVKey(ctx, e, fs.Arg(0), *fetch)
		if err != nil {
			return err
		}
		*vkey = k
	}
	doc, err := readDocument(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	v, err := ledger.VerifyInclusion(doc, *vkey)
	if err != nil {
		fmt.Fprintf(e.stderr, "not verified: %s\n", cliMessage(err))
		return exitError{1}
	}
	if *code != "" {
		c, err := label.ParseCode(*code)
		if err != nil {
			fmt.Fprintf(e.stderr, "not verified: %s is not a label code\n", *code)
			return exitError{1}
		}
		if v.Leaf == nil || v.Leaf.Kind != ledger.KindLabelIssuance || !v.Leaf.HasItem(c.Commitment()) {
			fmt.Fprintf(e.stderr, "not verified: the proven leaf is not an issuance of label %s\n", c)
			return exitError{1}
		}
		fmt.Fprintf(e.stdout, "label %s: its commitment %x is in the proven issuance leaf\n", c, c.Commitment())
	}
	fmt.Fprintln(e.stdout, v.Summary())
	return nil
}

// readDocument reads a file, or fetches an http(s) URL.
func readDocument(ctx context.Context, src string) ([]byte, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		return os.ReadFile(src)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", src, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", src, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

func runAudit(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "audit", "", "Re-derive every ledger leaf from the database records and check them, the stored tree and entries,\nthe signed checkpoints and the last checkpoint --data-dir has seen against each other; rebuild the\nindex and current-state rows the server answers from (EPCIS index and containment, declarations,\nlabels and bindings, holds, filings, master data, customs messages) and compare. Prints each\nfinding; exits 1 on any.")
	var sf storeFlags
	var lf ledgerFlags
	sf.register(fs, e)
	lf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	committer, verifiers, err := auditLedger(ctx, s, sf.dataDir, lf.origin)
	if err != nil {
		return err
	}
	findings, err := audit.Run(ctx, s, committer, verifiers, audit.WithLastSeen(ledger.NewLastSeen(sf.dataDir, verifiers)))
	if err != nil {
		return err
	}
	size, _ := s.LedgerSize(ctx)
	if len(findings) > 0 {
		for _, f := range findings {
			fmt.Fprintln(e.stdout, f.String())
		}
		fmt.Fprintf(e.stderr, "audit: %d findings in a log of %d leaves\n", len(findings), size)
		return exitError{1}
	}
	fmt.Fprintf(e.stdout, "audit: ok: %d leaves, the records, the tree and the checkpoints agree\n", size)
	return nil
}

// checkLastSeen refuses to serve a database whose tree does not extend the
// last checkpoint this node has seen (a rollback of database and log
// together), or whose last-checkpoint file does not verify; a node that has
// seen none starts.
func checkLastSeen(ctx context.Context, s store, seen *ledger.LastSeen) error {
	cp, err := seen.Read()
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil
	} else if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	size, err := s.LedgerSize(ctx)
	if err != nil {
		return err
	}
	if err := ledger.CheckTree(ctx, s, size, cp); err != nil {
		return fmt.Errorf("serve: %w; run tracegate audit", err)
	}
	return nil
}
