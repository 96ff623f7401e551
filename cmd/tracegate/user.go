package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"text/tabwriter"

	"tracegate"
	"tracegate/console"
)

// The operator's commands for the console's users. A password is taken
// from the environment variable --password-env names, or made at random and
// printed once.

// newPassword is 16 characters from an alphabet without look-alikes.
func newPassword() string {
	return rand.Text()[:16]
}

func passwordFrom(e *env, name string) (pw string, made bool, err error) {
	if name == "" {
		return newPassword(), true, nil
	}
	pw = e.getenv(name)
	if err := console.CheckPassword(pw); err != nil {
		return "", false, tracegate.Invalidf("--password-env", "$%s: %s", name, tracegate.ErrorMessage(err))
	}
	return pw, false, nil
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user add", "", "Add a console user to an enterprise, acting in one of its roles.\nThe password is read from the variable --password-env names, or made and printed once.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("enterprise", "", "enterprise ID or USCC (required)")
	login := fs.String("login", "", "the login (required)")
	name := fs.String("name", "", "the person's name (required)")
	role := fs.String("role", "", "one of the enterprise's roles (required)")
	admin := fs.Bool("admin", false, "the user manages the enterprise's users")
	pwEnv := fs.String("password-env", "", "the environment variable holding the password")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" || *login == "" || *name == "" || *role == "" {
		return tracegate.Invalidf("--enterprise", "--enterprise, --login, --name and --role are required")
	}
	l := tracegate.NormalizeLogin(*login)
	if err := tracegate.ValidateLogin(l); err != nil {
		return flagError("--login", err)
	}
	pw, made, err := passwordFrom(e, *pwEnv)
	if err != nil {
		return err
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
	if !ent.HasRole(tracegate.Role(*role)) {
		return tracegate.Invalidf("--role", "enterprise %s does not act as %q", ent.USCC, *role)
	}
	hash, err := console.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &tracegate.User{EnterpriseID: ent.ID, Login: l, Name: *name, Role: tracegate.Role(*role), Admin: *admin, PasswordHash: hash}
	if err := s.CreateUser(ctx, u); err != nil {
		return flagError("--login", err)
	}
	if made {
		fmt.Fprintf(e.stdout, "password: %s\n", pw)
	}
	return printJSON(e, u)
}

func runUserList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user list", "", "List the console users, of one enterprise or all.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("enterprise", "", "enterprise ID or USCC (default: all)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	var id int64
	if *ref != "" {
		ent, err := findEnterprise(ctx, s, *ref)
		if err != nil {
			return err
		}
		id = ent.ID
	}
	users, err := s.ListUsers(ctx, id)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLOGIN\tNAME\tENTERPRISE\tROLE\tADMIN\tDISABLED")
	for _, u := range users {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%v\t%v\n", u.ID, u.Login, u.Name, u.EnterpriseID, u.Role, u.Admin, u.Disabled)
	}
	return tw.Flush()
}

// findUser finds a user by ID or login.
func findUser(ctx context.Context, s tracegate.UserStore, ref string) (*tracegate.User, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.FindUser(ctx, id)
	}
	return s.FindUserByLogin(ctx, tracegate.NormalizeLogin(ref))
}

func runUserPasswd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user passwd", "", "Set a console user's password (ending its sessions and lock-out).")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("user", "", "user ID or login (required)")
	pwEnv := fs.String("password-env", "", "the environment variable holding the password")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return tracegate.Invalidf("--user", "--user is required")
	}
	pw, made, err := passwordFrom(e, *pwEnv)
	if err != nil {
		return err
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := findUser(ctx, s, *ref)
	if err != nil {
		return flagError("--user", err)
	}
	hash, err := console.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.SetUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	if made {
		fmt.Fprintf(e.stdout, "password: %s\n", pw)
	}
	fmt.Fprintf(e.stdout, "password of %s set; its sessions ended\n", u.Login)
	return nil
}

func runUserDisable(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user disable", "", "Disable a console user (ending its sessions), or enable it again with --enable.")
	var sf storeFlags
	sf.register(fs, e)
	ref := fs.String("user", "", "user ID or login (required)")
	enable := fs.Bool("enable", false, "enable the user again")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		return tracegate.Invalidf("--user", "--user is required")
	}
	s, _, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := findUser(ctx, s, *ref)
	if err != nil {
		return flagError("--user", err)
	}
	if err := s.SetUserDisabled(ctx, u.ID, !*enable); err != nil {
		return err
	}
	state := "disabled"
	if *enable {
		state = "enabled"
	}
	fmt.Fprintf(e.stdout, "%s %s\n", u.Login, state)
	return nil
}
