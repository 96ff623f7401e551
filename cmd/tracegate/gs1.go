package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"tracegate/gs1"
)

// exitError ends a command with code after it printed its own message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func runDLParse(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "dl parse", "URI", "Parse a GS1 Digital Link URI and print it as JSON: the primary key, its qualifiers,\nthe data attributes, the element string and the other query parameters.\nAn invalid URI prints 'invalid: <reason>' on stderr and exits 1.")
	lenient := fs.Bool("zero-suppressed", false, "accept a GTIN-8/12/13 as the value of AI 01 and pad it to 14 digits")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	p := gs1.Parser{PermitZeroSuppressedGTIN: *lenient}
	dl, err := p.ParseDigitalLink(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "invalid: %v\n", err)
		return exitError{1}
	}
	b, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, string(b))
	return nil
}

func runDLBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "dl build", `"(01)...(21)..."`, "Build the canonical GS1 Digital Link URI of a bracketed element string.")
	host := fs.String("host", gs1.DefaultStem, "the URI stem: scheme, host and any path prefix")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	ais, err := gs1.ParseElementString(fs.Arg(0))
	if err == nil {
		var uri string
		if uri, err = gs1.BuildURI(strings.TrimSuffix(*host, "/"), ais); err == nil {
			fmt.Fprintln(e.stdout, uri)
			return nil
		}
	}
	fmt.Fprintf(e.stderr, "invalid: %v\n", err)
	return exitError{1}
}

func runGS1Check(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "gs1 check", "KEY", "Check a GS1 identification key: bare digits are a GTIN-8/12/13/14; other keys\nas a one-AI element string such as (00)106141411234567897 or (414)9520123456788.\nPrints the key type and normal form, or 'invalid: <reason>' on stderr with exit 1.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	k, err := gs1.CheckKey(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "invalid: %v\n", err)
		return exitError{1}
	}
	org, _ := gs1.IssuingOrganisation(k.AI, k.Value)
	fmt.Fprintf(e.stdout, "valid %s (%s)%s", k.Type, k.AI, k.Value)
	if org != "" {
		fmt.Fprintf(e.stdout, ", prefix issued by %s (not the country of origin)", org)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
