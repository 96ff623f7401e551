package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"time"

	"tracegate"
	"tracegate/locale"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "tg_session"

// newToken returns 32 random bytes, base64url: a session id or CSRF token.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenHash(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// loopback reports whether r came to a loopback host name, where the
// session cookie may travel without TLS (a developer's machine).
func loopback(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (c *Console) setSessionCookie(w http.ResponseWriter, r *http.Request, id string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/console", MaxAge: maxAge,
		Secure: !loopback(r), HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// sessionOf finds r's session and its user, ending it when it is stale or
// its user is disabled: nil, nil, nil without a cookie; EUNAUTHORIZED for a
// session that is unknown or ended.
func (c *Console) sessionOf(r *http.Request) (*tracegate.Session, *tracegate.User, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil, nil
	}
	ended := tracegate.Errorf(tracegate.EUNAUTHORIZED, "your session has ended: sign in again")
	ctx := r.Context()
	hash := tokenHash(ck.Value)
	ss, err := c.store.FindSession(ctx, hash)
	if tracegate.IsCode(err, tracegate.ENOTFOUND) {
		return nil, nil, ended
	} else if err != nil {
		return nil, nil, err
	}
	now := c.clock.Now()
	if now.Sub(ss.SeenAt) > c.cfg.IdleTimeout || now.Sub(ss.CreatedAt) > c.cfg.AbsoluteTimeout {
		return nil, nil, c.end(r, hash, ended)
	}
	u, err := c.store.FindUser(ctx, ss.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, c.end(r, hash, ended)
	}
	if now.Sub(ss.SeenAt) > time.Minute {
		if err := c.store.TouchSession(ctx, hash, now); err != nil {
			return nil, nil, err
		}
	}
	return ss, u, nil
}

// end deletes a session and returns why.
func (c *Console) end(r *http.Request, hash []byte, why error) error {
	if err := c.store.DeleteSession(r.Context(), hash); err != nil {
		return err
	}
	return why
}

// principalOf is the principal a user acts as: its enterprise in its
// role, refused (EFORBIDDEN) when the enterprise is suspended or no longer
// has the role.
func (c *Console) principalOf(r *http.Request, u *tracegate.User) (*tracegate.Principal, error) {
	e, err := c.store.FindEnterprise(r.Context(), u.EnterpriseID)
	if err != nil {
		return nil, err
	}
	if e.Status != tracegate.EnterpriseActive {
		return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "enterprise %s is %s", e.USCC, e.Status)
	}
	if !e.HasRole(u.Role) {
		return nil, tracegate.Errorf(tracegate.EFORBIDDEN, "enterprise %s no longer acts as %s", e.USCC, u.Role)
	}
	return &tracegate.Principal{EnterpriseID: e.ID, USCC: e.USCC, Role: u.Role, UserID: u.ID, Enterprise: e}, nil
}

// Session returns the principal of r's session (web.Console).
func (c *Console) Session(r *http.Request) (*tracegate.Principal, error) {
	_, u, err := c.sessionOf(r)
	if err != nil || u == nil {
		return nil, err
	}
	return c.principalOf(r, u)
}

// req is one console request as a page handler sees it.
type req struct {
	w    http.ResponseWriter
	r    *http.Request
	p    *tracegate.Principal
	user *tracegate.User    // nil for an API key
	sess *tracegate.Session // nil for an API key
	lang locale.Lang
}

// regulator reports whether the caller is a regulator.
func (q *req) regulator() bool { return q.p.Role == tracegate.RoleRegulator }

// page turns a page handler into a route handler: the caller's session
// and user, the language, and for a state-changing method the
// cross-origin check and the session's CSRF token (a request with an API
// key carries no ambient credential, so it needs no token). An error is
// rendered as the console's error page.
func (c *Console) page(fn func(q *req) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := &req{w: w, r: r, p: tracegate.PrincipalFrom(r.Context()), lang: langOf(r, nil)}
		err := c.fill(q)
		if err == nil {
			err = fn(q)
		}
		if err != nil {
			c.renderError(q, err)
		}
	}
}

func (c *Console) fill(q *req) error {
	if q.p == nil {
		return tracegate.Errorf(tracegate.EUNAUTHORIZED, "sign in first")
	}
	if q.p.UserID != 0 {
		ss, u, err := c.sessionOf(q.r)
		if err != nil {
			return err
		}
		if u == nil || u.ID != q.p.UserID {
			return tracegate.Errorf(tracegate.EUNAUTHORIZED, "sign in first")
		}
		q.sess, q.user, q.lang = ss, u, langOf(q.r, u)
	}
	if q.r.Method == http.MethodGet || q.r.Method == http.MethodHead {
		return nil
	}
	if err := c.cop.Check(q.r); err != nil {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "this form was sent from another site")
	}
	if q.sess == nil {
		return nil
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, maxFormBytes)
	if subtle.ConstantTimeCompare([]byte(q.r.PostFormValue("csrf")), []byte(q.sess.CSRF)) != 1 {
		return tracegate.Errorf(tracegate.EFORBIDDEN, "this form is stale or was not sent from the console: reload the page and try again")
	}
	return nil
}

// maxFormBytes bounds a form's body (CSV uploads have their own bound).
const maxFormBytes = 1 << 20

// langOf is the language of a request: the user's choice, else the lang
// cookie of the sign-in page, else Chinese.
func langOf(r *http.Request, u *tracegate.User) locale.Lang {
	if u != nil {
		if u.Lang == "en" {
			return locale.EN
		}
		return locale.ZH
	}
	if ck, err := r.Cookie("tg_lang"); err == nil && ck.Value == "en" {
		return locale.EN
	}
	return locale.ZH
}

// Refuse writes the page of a request the route policy refused: the
// sign-in page for EUNAUTHORIZED (with the stale cookie cleared), else the
// error page (web.Console).
func (c *Console) Refuse(w http.ResponseWriter, r *http.Request, err error) {
	q := &req{w: w, r: r, lang: langOf(r, nil)}
	if tracegate.IsCode(err, tracegate.EUNAUTHORIZED) {
		msg := ""
		if _, e := r.Cookie(sessionCookie); e == nil {
			c.setSessionCookie(w, r, "", -1)
			msg = "console.signin.ended"
		}
		next := ""
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		c.renderSignIn(q, http.StatusUnauthorized, next, msg, "")
		return
	}
	c.renderError(q, err)
}
