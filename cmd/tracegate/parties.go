package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"tracegate"
)

// The operator's commands for the parties: customs codes of enterprises and
// client relations. The operator acts as a regulator: a code it adds is
// confirmed unless --claimed says otherwise.

func runCodesAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "enterprise codes add", "", "Register a customs code (海关注册编码, 10 characters) an enterprise acts under.\nIt is confirmed (it counts) unless --claimed is given; a code belongs to one enterprise.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("enterprise", "", "enterprise ID or USCC (required)")
	code := fs.String("code", "", "the 10-character customs code (required)")
	kind := fs.String("kind", "", "ebp, ebc, logistics, pay, agent, assure or area (required)")
	claimed := fs.Bool("claimed", false, "record the code as claimed only, for a regulator to confirm")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" || *code == "" || *kind == "" {
		return tracegate.Invalidf("--enterprise", "--enterprise, --code and --kind are required")
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	ent, err := findEnterprise(ctx, s, *ref)
	if err != nil {
		return err
	}
	c := &tracegate.CustomsCode{Code: *code, Kind: tracegate.CodeKind(*kind), EnterpriseID: ent.ID, Status: tracegate.CodeConfirmed}
	if *claimed {
		c.Status = tracegate.CodeClaimed
	}
	if err := s.SaveCustomsCode(ctx, c); err != nil {
		return flagError("--"+codeFlag(err), err)
	}
	return printJSON(e, c)
}

// codeFlag names the flag of a customs code's field error.
func codeFlag(err error) string {
	if te, ok := err.(*tracegate.Error); ok && te.Pointer == "/kind" {
		return "kind"
	}
	return "code"
}

func runCodesList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "enterprise codes list", "", "List an enterprise's customs codes, claimed and confirmed, and its client relations.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("enterprise", "", "enterprise ID or USCC (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return tracegate.Invalidf("--enterprise", "--enterprise is required")
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	ent, err := findEnterprise(ctx, s, *ref)
	if err != nil {
		return err
	}
	cs, err := s.CustomsCodes(ctx, ent.ID)
	if err != nil {
		return err
	}
	hs, err := s.Handlings(ctx, ent.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tKIND\tSTATUS")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Code, c.Kind, c.Status)
	}
	for _, h := range hs {
		if h.ClientID == ent.ID {
			fmt.Fprintf(tw, "handler\t%d\tauthorised by this enterprise\n", h.HandlerID)
		} else {
			fmt.Fprintf(tw, "client\t%d\thas authorised this enterprise\n", h.ClientID)
		}
	}
	return tw.Flush()
}

func runCodesConfirm(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "enterprise codes confirm", "--code C", "Confirm a claimed customs code, as a regulator would.")
	var sf storeFlags
	sf.register(fs, e)
	code := fs.String("code", "", "the claimed code (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *code == "" {
		return tracegate.Invalidf("--code", "--code is required")
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.ConfirmCustomsCode(ctx, *code)
	if err != nil {
		return err
	}
	return printJSON(e, c)
}

func runHandlerGrant(ctx context.Context, e *env, args []string) error {
	return handlerCommand(ctx, e, args, "grant", "Record that a client (the owner of the goods) authorises a handler (its bonded warehouse,\nlogistics firm or another seller) to bind its labels and filings.")
}

func runHandlerRevoke(ctx context.Context, e *env, args []string) error {
	return handlerCommand(ctx, e, args, "revoke", "End a client relation: the handler binds none of the client's labels or filings any more.")
}

func handlerCommand(ctx context.Context, e *env, args []string, verb, help string) error {
	fs := newFlagSet(e, "enterprise handlers "+verb, "", help)
	var sf storeFlags
	sf.register(fs, e)
	clientRef := fs.String("client", "", "the client enterprise, ID or USCC (required)")
	handlerRef := fs.String("handler", "", "the handler enterprise, ID or USCC (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *clientRef == "" || *handlerRef == "" {
		return tracegate.Invalidf("--client", "--client and --handler are required")
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	client, err := findEnterprise(ctx, s, *clientRef)
	if err != nil {
		return flagError("--client", err)
	}
	handler, err := findEnterprise(ctx, s, *handlerRef)
	if err != nil {
		return flagError("--handler", err)
	}
	if verb == "revoke" {
		if err := s.RevokeHandling(ctx, client.ID, handler.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s no longer handles the goods of %s\n", handler.Name, client.Name)
		return nil
	}
	h := &tracegate.Handling{ClientID: client.ID, HandlerID: handler.ID, CreatedBy: client.ID}
	if err := s.GrantHandling(ctx, h); err != nil {
		return flagError("--handler", err)
	}
	return printJSON(e, h)
}
