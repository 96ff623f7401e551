package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tracegate"
)

// Who manages whom: an enterprise's admin adds and disables the ordinary
// users of its own enterprise; a regulator admin also adds regulator users
// and the admins of any enterprise. Nobody disables themselves.

type usersData struct {
	Users       []*tracegate.User
	Enterprises map[int64]*tracegate.Enterprise
	Roles       []tracegate.Role
	Error       string
	Form        userForm
	Added       string
}

type userForm struct {
	Login, Name, Role, USCC string
	Admin                   bool
}

// canManage reports whether q's user may add or disable users of ent.
func canManage(q *req, entID int64, admin bool) error {
	if q.user == nil || !q.user.Admin {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "only an admin user manages users")
	}
	if q.regulator() {
		return nil
	}
	if entID != q.p.EnterpriseID {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no such user")
	}
	if admin {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "a regulator adds an enterprise's admins")
	}
	return nil
}

func (c *Console) usersPage(q *req, status int, form userForm, msg, added string) error {
	if q.user == nil || !q.user.Admin {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "only an admin user manages users")
	}
	scope := q.p.EnterpriseID
	if q.regulator() {
		scope = 0
	}
	users, err := c.store.ListUsers(q.r.Context(), scope)
	if err != nil {
		return err
	}
	ents := map[int64]*tracegate.Enterprise{}
	for _, u := range users {
		if ents[u.EnterpriseID] == nil {
			e, err := c.store.FindEnterprise(q.r.Context(), u.EnterpriseID)
			if err != nil {
				return err
			}
			ents[u.EnterpriseID] = e
		}
	}
	roles := q.p.Enterprise.Roles
	if q.regulator() {
		roles = tracegate.Roles
	}
	c.render(q, status, "users", "console.users.title", usersData{Users: users, Enterprises: ents, Roles: roles, Form: form, Error: msg, Added: added})
	return nil
}

func (c *Console) handleUsers(q *req) error { return c.usersPage(q, http.StatusOK, userForm{}, "", "") }

// handleUserAdd adds a user from the form; a refusal shows the form again
// with the reason and stores nothing.
func (c *Console) handleUserAdd(q *req) error {
	f := userForm{Login: tracegate.NormalizeLogin(q.r.PostFormValue("login")), Name: strings.TrimSpace(q.r.PostFormValue("name")),
		Role: q.r.PostFormValue("role"), USCC: strings.TrimSpace(q.r.PostFormValue("uscc")), Admin: q.r.PostFormValue("admin") == "on"}
	err := c.addUser(q, f, q.r.PostFormValue("password"))
	if err != nil && tracegate.ErrorCode(err) != tracegate.EINTERNAL {
		status, _, _ := c.cfg.Status(err)
		return c.usersPage(q, status, f, tracegate.ErrorMessage(err), "")
	} else if err != nil {
		return err
	}
	return c.usersPage(q, http.StatusOK, userForm{}, "", f.Login)
}

func (c *Console) addUser(q *req, f userForm, pw string) error {
	ctx := q.r.Context()
	ent := q.p.Enterprise
	if f.USCC != "" && f.USCC != ent.USCC {
		if !q.regulator() {
			return tracegate.Invalidf("/uscc", "you add users of your own enterprise")
		}
		e, err := c.store.FindEnterpriseByUSCC(ctx, f.USCC)
		if tracegate.IsCode(err, tracegate.ENOTFOUND) {
			return tracegate.Invalidf("/uscc", "no enterprise %s", f.USCC)
		} else if err != nil {
			return err
		}
		ent = e
	}
	if err := canManage(q, ent.ID, f.Admin); err != nil {
		return err
	}
	if q.regulator() && ent.ID != q.p.EnterpriseID && !f.Admin {
		return tracegate.Invalidf("/admin", "a regulator adds an enterprise's admin; its admin adds the others")
	}
	if err := tracegate.ValidateLogin(f.Login); err != nil {
		return err
	}
	if f.Name == "" || len(f.Name) > 200 {
		return tracegate.Invalidf("/name", "a name is required (at most 200 bytes)")
	}
	role := tracegate.Role(f.Role)
	if !slices.Contains(ent.Roles, role) {
		return tracegate.Invalidf("/role", "enterprise %s does not act as %q", ent.USCC, f.Role)
	}
	if err := CheckPassword(pw); err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	u := &tracegate.User{EnterpriseID: ent.ID, Login: f.Login, Name: f.Name, Role: role, Admin: f.Admin, Lang: "zh", PasswordHash: hash, CreatedBy: q.user.ID}
	if err := c.store.CreateUser(ctx, u); err != nil {
		return err
	}
	c.audit(ctx, q.user, "users", "add-user", u.Login+" ("+ent.USCC+", "+string(role)+")")
	return nil
}

func (c *Console) handleUserDisable(q *req) error {
	if q.user == nil || !q.user.Admin {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "only an admin user manages users")
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	ctx := q.r.Context()
	u, err := c.store.FindUser(ctx, id)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return errNotFound
	} else if err != nil {
		return err
	}
	if err := canManage(q, u.EnterpriseID, u.Admin && !q.regulator()); err != nil {
		return err
	}
	if q.user != nil && u.ID == q.user.ID {
		return tracegate.Errorf(tracegate.ECONFLICT, "you cannot disable yourself")
	}
	disable := q.r.PostFormValue("enable") != "1"
	if err := c.store.SetUserDisabled(ctx, u.ID, disable); err != nil {
		return err
	}
	action := "disable-user"
	if !disable {
		action = "enable-user"
	}
	c.audit(ctx, q.user, "users", action, u.Login)
	http.Redirect(q.w, q.r, "/console/users", http.StatusSeeOther)
	return nil
}

type auditData struct {
	Events []*tracegate.ConsoleEvent
	Next   int64
}

// handleAudit shows the console's audit trail to a regulator, newest first.
func (c *Console) handleAudit(q *req) error {
	before, _ := strconv.ParseInt(q.r.URL.Query().Get("before"), 10, 64)
	evs, err := c.store.ConsoleEvents(q.r.Context(), before, 100)
	if err != nil {
		return err
	}
	d := auditData{Events: evs}
	if len(evs) == 100 {
		d.Next = evs[len(evs)-1].ID
	}
	c.render(q, http.StatusOK, "audit", "console.audit.title", d)
	return nil
}
