package console

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"tracegate"
)

// signInLimits counts sign-in attempts per client network (IPv4 /24,
// IPv6 /56) in fixed windows, in memory on each node.
type signInLimits struct {
	limit  int
	window time.Duration
	mu     sync.Mutex
	m      map[netip.Prefix]*attempts
}

type attempts struct {
	start time.Time
	n     int
}

func newSignInLimits(limit int, window time.Duration) *signInLimits {
	return &signInLimits{limit: limit, window: window, m: map[netip.Prefix]*attempts{}}
}

// allow counts an attempt from r's network and reports whether it is
// within the limit.
func (l *signInLimits) allow(r *http.Request, now time.Time) bool {
	p := clientNetwork(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 100_000 {
		clear(l.m)
	}
	a := l.m[p]
	if a == nil || now.Sub(a.start) > l.window {
		a = &attempts{start: now}
		l.m[p] = a
	}
	a.n++
	return a.n <= l.limit
}

func clientNetwork(r *http.Request) netip.Prefix {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	addr = addr.Unmap()
	bits := 24
	if addr.Is6() {
		bits = 56
	}
	p, _ := addr.Prefix(bits)
	return p
}

// safeNext is where to go after signing in: a console path of this
// server, never another site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console/"
}

func (c *Console) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	q := &req{w: w, r: r, lang: langOf(r, nil)}
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		http.SetCookie(w, &http.Cookie{Name: "tg_lang", Value: l, Path: "/console", MaxAge: 365 * 86400,
			Secure: !loopback(r), HttpOnly: true, SameSite: http.SameSiteLaxMode})
		q.lang = langOf(&http.Request{Header: http.Header{"Cookie": {"tg_lang=" + l}}}, nil)
	}
	c.renderSignIn(q, http.StatusOK, r.URL.Query().Get("next"), "", "")
}

// handleSignIn checks a login and password. Every refusal — unknown
// login, wrong password, locked or disabled account — is one answer after
// one argon2id verification, so neither the page nor its time tells which
// accounts exist.
func (c *Console) handleSignIn(w http.ResponseWriter, r *http.Request) {
	q := &req{w: w, r: r, lang: langOf(r, nil)}
	if err := c.cop.Check(r); err != nil {
		c.renderError(q, tracegate.Errorf(tracegate.EFORBIDDEN, "this form was sent from another site"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	login := tracegate.NormalizeLogin(r.PostFormValue("login"))
	pw := r.PostFormValue("password")
	next := r.PostFormValue("next")
	if login == "" || pw == "" {
		c.renderSignIn(q, http.StatusBadRequest, next, "console.signin.missing", login)
		return
	}
	now := c.clock.Now()
	if !c.limits.allow(r, now) {
		c.renderSignIn(q, http.StatusTooManyRequests, next, "console.signin.limited", login)
		return
	}
	ctx := r.Context()
	u, err := c.store.FindUserByLogin(ctx, login)
	if err != nil && !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		c.renderError(q, err)
		return
	}
	hash := c.dummy
	if u != nil {
		hash = u.PasswordHash
	}
	ok := verifyPassword(hash, pw) && u != nil
	if u != nil {
		locked := u.LockedUntil != nil && now.Before(*u.LockedUntil)
		if !locked {
			if _, err := c.store.RecordSignIn(ctx, u.ID, ok, c.cfg.MaxFailures, now.Add(c.cfg.LockOut)); err != nil {
				c.renderError(q, err)
				return
			}
		}
		ok = ok && !locked && !u.Disabled
	}
	if !ok {
		c.log.InfoContext(ctx, "console sign-in refused", "login", login)
		c.renderSignIn(q, http.StatusUnauthorized, next, "console.signin.failed", login)
		return
	}
	if _, err := c.principalOf(r, u); err != nil {
		c.renderError(q, err)
		return
	}
	id, err1 := newToken()
	csrf, err2 := newToken()
	if err1 != nil || err2 != nil {
		c.renderError(q, tracegate.Errorf(tracegate.EINTERNAL, "no randomness"))
		return
	}
	ss := &tracegate.Session{Hash: tokenHash(id), UserID: u.ID, CSRF: csrf, CreatedAt: now, SeenAt: now}
	if err := c.store.CreateSession(ctx, ss); err != nil {
		c.renderError(q, err)
		return
	}
	c.setSessionCookie(w, r, id, int(c.cfg.AbsoluteTimeout.Seconds()))
	c.audit(ctx, u, "sign-in", "sign-in", u.Login)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (c *Console) handleSignOut(q *req) error {
	if q.sess != nil {
		if err := c.store.DeleteSession(q.r.Context(), q.sess.Hash); err != nil {
			return err
		}
		c.audit(q.r.Context(), q.user, "sign-out", "sign-out", q.user.Login)
	}
	c.setSessionCookie(q.w, q.r, "", -1)
	http.Redirect(q.w, q.r, "/console/sign-in", http.StatusSeeOther)
	return nil
}

func (c *Console) handleSignOutEverywhere(q *req) error {
	if q.user != nil {
		if _, err := c.store.DeleteUserSessions(q.r.Context(), q.user.ID); err != nil {
			return err
		}
		c.audit(q.r.Context(), q.user, "account", "sign-out-everywhere", q.user.Login)
	}
	c.setSessionCookie(q.w, q.r, "", -1)
	http.Redirect(q.w, q.r, "/console/sign-in", http.StatusSeeOther)
	return nil
}

func (c *Console) handleLang(q *req) error {
	lang := q.r.PostFormValue("lang")
	if lang != "zh" && lang != "en" {
		return tracegate.Invalidf("/lang", "the console speaks zh or en")
	}
	if q.user != nil {
		if err := c.store.SetUserLang(q.r.Context(), q.user.ID, lang); err != nil {
			return err
		}
	}
	http.Redirect(q.w, q.r, safeNext(q.r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
