package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"tracegate"
	"tracegate/console"
)

// ConsoleUser is a demo user of the console, with its password.
type ConsoleUser struct {
	Login, Password string
	Role            tracegate.Role
	Enterprise      *tracegate.Enterprise
}

// SeedConsole adds the console's demo users: an admin officer of the
// regulator and an admin of the first enterprise of each other role given,
// each with a new random password (printed by the demo, never stored
// unhashed).
func SeedConsole(ctx context.Context, s tracegate.UserStore, data *Data, roles ...tracegate.Role) ([]ConsoleUser, error) {
	var out []ConsoleUser
	for _, role := range append([]tracegate.Role{tracegate.RoleRegulator}, roles...) {
		var ent *tracegate.Enterprise
		for _, e := range data.Enterprises {
			if e.HasRole(role) {
				ent = e
				break
			}
		}
		if ent == nil {
			return nil, fmt.Errorf("demo console: no enterprise acts as %s", role)
		}
		pw := rand.Text()[:16]
		hash, err := console.HashPassword(pw)
		if err != nil {
			return nil, err
		}
		login := string(role)
		if role == tracegate.RoleRegulator {
			login = "officer"
		}
		u := &tracegate.User{EnterpriseID: ent.ID, Login: login, Name: ent.Name + " · " + login, Role: role, Admin: true, PasswordHash: hash}
		if err := s.CreateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("demo console user %s: %w", login, err)
		}
		out = append(out, ConsoleUser{Login: login, Password: pw, Role: role, Enterprise: ent})
	}
	return out, nil
}
