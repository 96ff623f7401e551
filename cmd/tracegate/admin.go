package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"tracegate"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "migrate", "", "Apply the pending database migrations and exit.")
	var sf storeFlags
	sf.register(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema version %d\n", v)
	return nil
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "", "Print the version.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "tracegate %s\n", tracegate.Version)
	return nil
}

func runEnterpriseAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "enterprise add", "", "Register an enterprise and print it as JSON.")
	var sf storeFlags
	sf.register(fs, e)
	uscc := fs.String("uscc", "", "unified social credit code, 18 characters (GB 32100-2015) (required)")
	name := fs.String("name", "", "Chinese (registered) name (required)")
	nameEN := fs.String("name-en", "", "English name")
	roleList := fs.String("role", "", "roles, comma-separated: "+strings.Join(roleNames(), ", ")+" (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *uscc == "" || *name == "" || *roleList == "" {
		return tracegate.Invalidf("--uscc", "--uscc, --name and --role are required")
	}
	if _, err := tracegate.ValidateUSCC(*uscc); err != nil {
		return flagError("--uscc", err)
	}
	roles, err := tracegate.ParseRoles(*roleList)
	if err != nil {
		return flagError("--role", err)
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	ent := &tracegate.Enterprise{USCC: *uscc, Name: *name, NameEN: *nameEN, Roles: roles}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		return err
	}
	return printJSON(e, ent)
}

func runEnterpriseList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "enterprise list", "", "List enterprises as a table, or as JSON lines with --json.")
	var sf storeFlags
	sf.register(fs, e)
	role := fs.String("role", "", "only enterprises acting in this role")
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	if err := parse(fs, args); err != nil {
		return err
	}
	f := tracegate.EnterpriseFilter{Limit: 1 << 30}
	if *role != "" {
		r, err := tracegate.ParseRole(*role)
		if err != nil {
			return flagError("--role", err)
		}
		f.Role = r
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.ListEnterprises(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, ent := range list {
			enc.Encode(ent)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSCC\tSTATUS\tROLES\tNAME")
	for _, ent := range list {
		roles := make([]string, len(ent.Roles))
		for i, r := range ent.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", ent.ID, ent.USCC, ent.Status, strings.Join(roles, ","), ent.Name)
	}
	return tw.Flush()
}

func runAPIKeyCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "apikey create", "", "Create an API key for an enterprise acting in one role. The key is printed once,\nalone on its line on stdout; only its hash is stored.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("enterprise", "", "enterprise ID or USCC (required)")
	roleName := fs.String("role", "", "the role the key acts in; the enterprise must have it (required)")
	label := fs.String("label", "", "a note to tell keys apart")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" || *roleName == "" {
		return tracegate.Invalidf("--enterprise", "--enterprise and --role are required")
	}
	role, err := tracegate.ParseRole(*roleName)
	if err != nil {
		return flagError("--role", err)
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
	k, secret, err := tracegate.IssueAPIKey(ctx, s, ent, role, *label)
	if err != nil {
		return flagError("--role", err)
	}
	fmt.Fprintf(e.stderr, "created key %d (%s) for %s %s as %s; it is shown once:\n", k.ID, k.Hint, ent.USCC, ent.Name, role)
	fmt.Fprintln(e.stdout, secret)
	return nil
}

func runAPIKeyList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "apikey list", "", "List an enterprise's API keys (never their secrets).")
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
	keys, err := s.ListAPIKeys(ctx, ent.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHINT\tROLE\tCREATED\tREVOKED\tLABEL")
	for _, k := range keys {
		revoked := "-"
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.Format("2006-01-02T15:04:05Z")
		}
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\n", k.ID, k.Hint, k.Role, k.CreatedAt.Format("2006-01-02T15:04:05Z"), revoked, k.Label)
	}
	return tw.Flush()
}

func runAPIKeyRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "apikey revoke", "--id N | N", "Revoke an API key by its ID (see 'tracegate apikey list').")
	var sf storeFlags
	sf.register(fs, e)
	id := fs.Int64("id", 0, "the key's ID")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == 0 && fs.NArg() == 1 {
		n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return tracegate.Invalidf("--id", "key ID %q is not a number", fs.Arg(0))
		}
		*id = n
	}
	if *id <= 0 {
		return tracegate.Invalidf("--id", "--id is required")
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RevokeAPIKey(ctx, *id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked key %d\n", *id)
	return nil
}

// findEnterprise resolves an ID or a USCC.
func findEnterprise(ctx context.Context, s store, ref string) (*tracegate.Enterprise, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) < 18 {
		return s.FindEnterprise(ctx, id)
	}
	if _, err := tracegate.ValidateUSCC(ref); err != nil {
		return nil, flagError("--enterprise", err)
	}
	return s.FindEnterpriseByUSCC(ctx, ref)
}

// flagError re-points an EINVALID error at a command-line flag.
func flagError(flagName string, err error) error {
	if te, ok := err.(*tracegate.Error); ok && te.Code == tracegate.EINVALID {
		return &tracegate.Error{Code: te.Code, Pointer: flagName, Message: te.Message, Err: te.Err}
	}
	return err
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func roleNames() []string {
	out := make([]string, len(tracegate.Roles))
	for i, r := range tracegate.Roles {
		out[i] = string(r)
	}
	return out
}
