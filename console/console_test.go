package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tracegate"
	"tracegate/console"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
	"tracegate/web"
)

type fixture struct {
	t     *testing.T
	store *sqlite.Store
	srv   *web.Server
	reg   *tracegate.Enterprise
	wh    *tracegate.Enterprise
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "console.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{t: t, store: s}
	f.reg = &tracegate.Enterprise{USCC: storetest.USCC(1), Name: "南沙海关", Roles: []tracegate.Role{tracegate.RoleRegulator}}
	f.wh = &tracegate.Enterprise{USCC: storetest.USCC(2), Name: "南沙保税仓", Roles: []tracegate.Role{tracegate.RoleWarehouse}}
	for _, e := range []*tracegate.Enterprise{f.reg, f.wh} {
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	f.addUser(f.reg, "officer", tracegate.RoleRegulator, true)
	f.addUser(f.wh, "dock.admin", tracegate.RoleWarehouse, true)
	cons, err := console.New(console.Config{Store: s, Status: web.ProblemStatus, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = web.New(web.Config{Store: s, Console: cons})
	return f
}

const password = "correct horse battery"

func (f *fixture) addUser(e *tracegate.Enterprise, login string, role tracegate.Role, admin bool) *tracegate.User {
	h, err := console.HashPassword(password)
	if err != nil {
		f.t.Fatal(err)
	}
	u := &tracegate.User{EnterpriseID: e.ID, Login: login, Name: login, Role: role, Admin: admin, PasswordHash: h}
	if err := f.store.CreateUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// do sends a request as a browser on host would; form, when set, is the
// urlencoded body.
func (f *fixture) do(method, path, cookie string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, "https://console.example"+path, body)
	r.Header.Set("Accept", "text/html")
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		r.Header.Set("Cookie", "tg_session="+cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}

// signIn signs in and returns the session cookie's value.
func (f *fixture) signIn(login string) string {
	f.t.Helper()
	w := f.do("POST", "/console/sign-in", "", url.Values{"login": {login}, "password": {password}, "next": {"/console/users"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/users" {
		f.t.Fatalf("sign in as %s = %d %s, want 303 to /console/users", login, w.Code, w.Header().Get("Location"))
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "tg_session" {
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/console" {
				f.t.Fatalf("session cookie %+v: want HttpOnly, Secure, SameSite=Lax, Path=/console", c)
			}
			return c.Value
		}
	}
	f.t.Fatal("no session cookie")
	return ""
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("page has no CSRF token")
	}
	return m[1]
}

var requestID = regexp.MustCompile(`<code>[0-9a-f]+</code>`)

func TestSignIn(t *testing.T) {
	f := newFixture(t)
	// Unknown login and wrong password: one answer.
	unknown := f.do("POST", "/console/sign-in", "", url.Values{"login": {"nobody"}, "password": {password}})
	wrong := f.do("POST", "/console/sign-in", "", url.Values{"login": {"nobody"}, "password": {"wrong password!"}})
	known := f.do("POST", "/console/sign-in", "", url.Values{"login": {"officer"}, "password": {"wrong password!"}})
	if unknown.Code != 401 || wrong.Code != 401 || known.Code != 401 {
		t.Fatalf("bad sign-ins = %d %d %d, want 401", unknown.Code, wrong.Code, known.Code)
	}
	norm := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "officer", "X"), "nobody", "X") }
	if norm(unknown.Body.String()) != norm(known.Body.String()) {
		t.Fatal("the page for an unknown login differs from the page for a wrong password")
	}
	if w := f.do("POST", "/console/sign-in", "", url.Values{}); w.Code != 400 {
		t.Fatalf("empty sign-in = %d, want 400", w.Code)
	}
	// A cross-site form is refused.
	if w := f.do("POST", "/console/sign-in", "", url.Values{"login": {"officer"}, "password": {password}}, "Sec-Fetch-Site", "cross-site"); w.Code != 403 {
		t.Fatalf("cross-site sign-in = %d, want 403", w.Code)
	}
	cookie := f.signIn("officer")
	w := f.do("GET", "/console/", cookie, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="h-declarations"`) || !strings.Contains(w.Body.String(), "officer") {
		t.Fatalf("dashboard = %d %.300s", w.Code, w.Body)
	}
	// Without a session: the sign-in page, 401.
	if w := f.do("GET", "/console/", "", nil); w.Code != 401 || !strings.Contains(w.Body.String(), `name="password"`) {
		t.Fatalf("dashboard without a session = %d", w.Code)
	}
	if w := f.do("GET", "/console/", "forged", nil); w.Code != 401 {
		t.Fatalf("dashboard with a forged session = %d", w.Code)
	}
	// Sign out ends the session.
	tok := csrfOf(t, w.Body.String())
	if w := f.do("POST", "/console/sign-out", cookie, url.Values{"csrf": {tok}}); w.Code != 303 {
		t.Fatalf("sign out = %d", w.Code)
	}
	if w := f.do("GET", "/console/", cookie, nil); w.Code != 401 {
		t.Fatalf("dashboard after sign-out = %d, want 401", w.Code)
	}
}

func TestLockOut(t *testing.T) {
	f := newFixture(t)
	for range 3 {
		f.do("POST", "/console/sign-in", "", url.Values{"login": {"officer"}, "password": {"wrong password!"}})
	}
	w := f.do("POST", "/console/sign-in", "", url.Values{"login": {"officer"}, "password": {password}})
	if w.Code != 401 {
		t.Fatalf("right password while locked = %d, want 401", w.Code)
	}
	unknown := f.do("POST", "/console/sign-in", "", url.Values{"login": {"officer"}, "password": {"wrong password!"}})
	if requestID.ReplaceAllString(w.Body.String(), "") != requestID.ReplaceAllString(unknown.Body.String(), "") {
		t.Fatal("a locked account answers differently from a wrong password")
	}
}

func TestUsersAndCSRF(t *testing.T) {
	f := newFixture(t)
	admin := f.signIn("dock.admin")
	page := f.do("GET", "/console/users", admin, nil)
	if page.Code != 200 {
		t.Fatalf("users page = %d", page.Code)
	}
	tok := csrfOf(t, page.Body.String())
	add := url.Values{"login": {"scanner.1"}, "name": {"扫码员"}, "role": {"warehouse"}, "password": {password}}
	if w := f.do("POST", "/console/users", admin, add); w.Code != 403 {
		t.Fatalf("add user without the CSRF token = %d, want 403", w.Code)
	}
	add.Set("csrf", "stale")
	if w := f.do("POST", "/console/users", admin, add); w.Code != 403 {
		t.Fatalf("add user with a stale token = %d, want 403", w.Code)
	}
	if _, err := f.store.FindUserByLogin(context.Background(), "scanner.1"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Fatal("a refused form stored the user")
	}
	add.Set("csrf", tok)
	bad := url.Values{"csrf": {tok}, "login": {"x"}, "name": {"n"}, "role": {"warehouse"}, "password": {"another long password"}}
	if w := f.do("POST", "/console/users", admin, bad); w.Code != 400 || !strings.Contains(w.Body.String(), "3 to 64") {
		t.Fatalf("add user with a bad login = %d", w.Code)
	}
	adm := url.Values{"csrf": {tok}, "login": {"boss"}, "name": {"n"}, "role": {"warehouse"}, "admin": {"on"}, "password": {"another long password"}}
	if w := f.do("POST", "/console/users", admin, adm); w.Code != 403 {
		t.Fatalf("an enterprise admin adding an admin = %d, want 403", w.Code)
	}
	if w := f.do("POST", "/console/users", admin, add); w.Code != 200 || !strings.Contains(w.Body.String(), "scanner.1") {
		t.Fatalf("add user = %d", w.Code)
	}
	u, err := f.store.FindUserByLogin(context.Background(), "scanner.1")
	if err != nil || u.EnterpriseID != f.wh.ID || u.Admin {
		t.Fatalf("added user = %+v, %v", u, err)
	}
	// The new user signs in; not an admin, it may not manage users, nor
	// see the regulator's audit trail.
	scanner := f.signIn("scanner.1")
	if w := f.do("GET", "/console/users", scanner, nil); w.Code != 403 {
		t.Fatalf("users page for a non-admin = %d, want 403", w.Code)
	}
	if w := f.do("GET", "/console/audit", admin, nil); w.Code != 403 {
		t.Fatalf("audit for a warehouse = %d, want 403", w.Code)
	}
	// Disabling ends the user's sessions at once.
	path := "/console/users/" + itoa(u.ID) + "/disable"
	if w := f.do("POST", path, admin, url.Values{"csrf": {tok}}); w.Code != 303 {
		t.Fatalf("disable = %d %s", w.Code, w.Body)
	}
	if w := f.do("GET", "/console/", scanner, nil); w.Code != 401 {
		t.Fatalf("a disabled user's session = %d, want 401", w.Code)
	}
	// Another enterprise's user is not found for this admin.
	other := f.addUser(f.reg, "other", tracegate.RoleRegulator, false)
	if w := f.do("POST", "/console/users/"+itoa(other.ID)+"/disable", admin, url.Values{"csrf": {tok}}); w.Code != 404 {
		t.Fatalf("disabling another enterprise's user = %d, want 404", w.Code)
	}
	// The regulator sees what was done.
	officer := f.signIn("officer")
	w := f.do("GET", "/console/audit", officer, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "add-user") || !strings.Contains(w.Body.String(), "disable-user") {
		t.Fatalf("audit = %d %s", w.Code, w.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
