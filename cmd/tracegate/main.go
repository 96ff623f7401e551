// Command tracegate is the traceability and quality-supervision platform for
// cross-border e-commerce imports: one binary with a server and tools.
//
// Run `tracegate --help` for the commands; every command takes --help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"tracegate"
)

// command is one subcommand: a name, a line of help, and its run function.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
	sub     []*command
}

// env is what a command's run function may touch: its output streams and
// the process environment, so tests run commands in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, receives the base URL once a server listens (tests).
	ready func(baseURL string)
}

func commands() []*command {
	return []*command{
		{name: "serve", summary: "run the HTTP server", run: runServe},
		{name: "demo", summary: "run the server on a fresh embedded database with demo data, and print the URLs to open", run: runDemo},
		{name: "migrate", summary: "apply the database migrations and exit", run: runMigrate},
		{name: "init", summary: "create the keys and secrets every node of a deployment shares, in --data-dir", run: runInit},
		{name: "enterprise", summary: "register and list enterprises, their customs codes and client relations", sub: []*command{
			{name: "add", summary: "register an enterprise and print it as JSON", run: runEnterpriseAdd},
			{name: "list", summary: "list enterprises", run: runEnterpriseList},
			{name: "codes", summary: "the customs codes an enterprise acts under", sub: []*command{
				{name: "add", summary: "register a customs code (confirmed unless --claimed)", run: runCodesAdd},
				{name: "list", summary: "list an enterprise's customs codes and client relations", run: runCodesList},
				{name: "confirm", summary: "confirm a claimed customs code", run: runCodesConfirm},
			}},
			{name: "handlers", summary: "client relations: who handles whose goods", sub: []*command{
				{name: "grant", summary: "a client authorises a handler to bind its labels and filings", run: runHandlerGrant},
				{name: "revoke", summary: "end a client relation", run: runHandlerRevoke},
			}},
		}},
		{name: "user", summary: "add, list, disable console users and set their passwords", sub: []*command{
			{name: "add", summary: "add a console user to an enterprise", run: runUserAdd},
			{name: "list", summary: "list console users", run: runUserList},
			{name: "passwd", summary: "set a user's password", run: runUserPasswd},
			{name: "disable", summary: "disable (or --enable) a user", run: runUserDisable},
		}},
		{name: "apikey", summary: "create, list and revoke API keys", sub: []*command{
			{name: "create", summary: "create a key for an enterprise and role; prints the key once", run: runAPIKeyCreate},
			{name: "list", summary: "list an enterprise's keys (never their secrets)", run: runAPIKeyList},
			{name: "revoke", summary: "revoke a key", run: runAPIKeyRevoke},
		}},
		{name: "epcis", summary: "EPCIS 2.0 documents: validate, hash, import", sub: []*command{
			{name: "validate", summary: "validate an EPCIS document", run: runEPCISValidate},
			{name: "hash", summary: "print the CBV 2.0 event hash of each event", run: runEPCISHash},
			{name: "import", summary: "capture documents into a server, streaming, with a progress bar", run: runEPCISImport},
		}},
		{name: "customs", summary: "customs declarations (CEB messages): tables, import, timeout sweep", sub: []*command{
			{name: "tables", summary: "the regulator's tables", sub: []*command{
				{name: "load", summary: "load a positive-list, tariff, prohibited, barcode-risk or hs-risk CSV", run: runCustomsTablesLoad},
				{name: "show", summary: "read back the tables in force (with --kind, one table's CSV)", run: runCustomsTablesShow},
			}},
			{name: "import", summary: "take CEB message files into the database, with a progress bar", run: runCustomsImport},
			{name: "sweep", summary: "refuse declarations whose three-document match timed out", run: runCustomsSweep},
		}},
		{name: "credit", summary: "enterprise credit: regrade, recognise other agencies' levels, show a record", sub: []*command{
			{name: "recompute", summary: "regrade enterprises from their records (all, or the USCCs given)", run: runCreditRecompute},
			{name: "recognise", summary: "import a level recognised by another agency", run: runCreditRecognise},
			{name: "show", summary: "print an enterprise's credit record as JSON", run: runCreditShow},
			{name: "publish", summary: "publish a new numbered edition of the blacklist now", run: runCreditPublish},
		}},
		{name: "measure", summary: "measures on goods (recalls, stop sales, warehouse locks…) over a server's API", sub: measureCommands()},
		{name: "risk", summary: "risk monitoring: import signals, barcode analytics", sub: []*command{
			{name: "import", summary: "send a CSV or JSON file of risk signals to a server, all or none, with a progress bar", run: runRiskImport},
			{name: "analyse", summary: "run barcode analytics over the store's declared lines, with a progress bar", run: runRiskAnalyse},
		}},
		{name: "gen", summary: "generate benchmark data straight into the store", sub: []*command{
			{name: "declarations", summary: "declaration lines for barcode analytics (Zipf popularity, a few percent misdeclared)", run: runGenDeclarations},
		}},
		{name: "log", summary: "the tamper-evident ledger", sub: []*command{
			{name: "vkey", summary: "print the log's verifier key", run: runLogVKey},
		}},
		{name: "verify", summary: "check a ledger inclusion proof offline", run: runVerify},
		{name: "audit", summary: "check the ledger against the database records; exit 1 on any finding", run: runAudit},
		{name: "dl", summary: "GS1 Digital Link: parse and build URIs", sub: []*command{
			{name: "parse", summary: "parse a Digital Link URI and print it as JSON", run: runDLParse},
			{name: "build", summary: "build the Digital Link URI of an element string", run: runDLBuild},
		}},
		{name: "gs1", summary: "GS1 identification keys", sub: []*command{
			{name: "check", summary: "validate a GS1 key (check digit, length, characters)", run: runGS1Check},
		}},
		{name: "version", summary: "print the version", run: runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches args and returns the exit status: 0 success (and --help),
// 1 failure, 2 usage error.
func run(ctx context.Context, e *env, args []string) int {
	err := dispatch(ctx, e, "tracegate", commands(), args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(e.stderr, "tracegate: %s\n", cliMessage(err))
	return 1
}

var errUsage = errors.New("usage")

func dispatch(ctx context.Context, e *env, path string, cmds []*command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stdout, path, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		if c.sub != nil {
			return dispatch(ctx, e, path+" "+c.name, c.sub, args[1:])
		}
		return c.run(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "%s: unknown command %q\n\n", path, args[0])
	printUsage(e.stderr, path, cmds)
	return errUsage
}

func printUsage(w io.Writer, path string, cmds []*command) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", path)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags.\n", path)
}

// cliMessage is the one line a failed command prints: the user-safe message
// of a tracegate.Error, with its pointer, or the error text.
func cliMessage(err error) string {
	var te *tracegate.Error
	if errors.As(err, &te) {
		return te.Error()
	}
	return err.Error()
}

// newFlagSet makes a flag set for a command whose usage names it and its
// arguments; parse errors and --help come back from Parse.
func newFlagSet(e *env, name, argsUsage, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		usage := "tracegate " + name
		if hasFlags {
			usage += " [flags]"
		}
		if argsUsage != "" {
			usage += " " + argsUsage
		}
		fmt.Fprintf(e.stdout, "Usage: %s\n\n%s\n", usage, summary)
		if !hasFlags {
			return
		}
		fmt.Fprintf(e.stdout, "\nFlags:\n")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// parse parses args and maps flag errors to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
