package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/locale"
)

//go:embed templates
var templateFS embed.FS

// pages are the parsed views, each with the layout, once per language.
type pages struct {
	byLang map[locale.Lang]map[string]*template.Template
}

func funcs(l locale.Lang) template.FuncMap {
	return template.FuncMap{
		"t":  func(key string) string { return locale.T(l, key) },
		"tf": func(key string, args ...any) string { return fmt.Sprintf(locale.T(l, key), args...) },
		"time": func(t time.Time) string {
			return t.In(shanghai).Format("2006-01-02 15:04")
		},
		"lang": func() string { return l.String() },
		// item is what a part (a fragment that htmx also fetches alone)
		// sees: the session's CSRF token and its own data.
		"item": func(csrf string, d any) part { return part{CSRF: csrf, D: d} },
	}
}

// shanghai is the time zone the console shows times in (China Standard Time).
var shanghai = time.FixedZone("CST", 8*3600)

func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byLang: map[locale.Lang]map[string]*template.Template{}}
	for _, l := range locale.Langs() {
		p.byLang[l] = map[string]*template.Template{}
		for _, name := range names {
			base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
			if base == "layout" || base == "parts" {
				continue
			}
			t, err := template.New("layout.html").Funcs(funcs(l)).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", name)
			if err != nil {
				return nil, fmt.Errorf("console: template %s: %w", base, err)
			}
			p.byLang[l][base] = t
		}
	}
	return p, nil
}

// view is what the layout shows around a page.
type view struct {
	Title     string // a catalog key
	Page      string // the nav entry to mark
	User      *tracegate.User
	P         *tracegate.Principal
	Regulator bool
	Binder    bool // binds labels: the scanner screens
	CSRF      string
	Path      string
	Data      any
}

// part is the data of a named fragment of a page.
type part struct {
	CSRF string
	D    any
}

// htmx reports whether the request came from htmx, which wants only a
// fragment back.
func (q *req) htmx() bool { return q.r.Header.Get("HX-Request") == "true" }

// renderPart writes the fragment name of page, for htmx to swap in.
func (c *Console) renderPart(q *req, status int, page, name string, d any) {
	csrf := ""
	if q.sess != nil {
		csrf = q.sess.CSRF
	}
	c.write(q, status, page, name, part{CSRF: csrf, D: d})
}

// render writes page with data at status.
func (c *Console) render(q *req, status int, page, title string, data any) {
	v := view{Title: title, Page: page, User: q.user, P: q.p, Path: q.r.URL.RequestURI(), Data: data}
	if q.p != nil {
		v.Regulator = q.regulator()
		v.Binder = slices.Contains(binders, q.p.Role)
	}
	if q.sess != nil {
		v.CSRF = q.sess.CSRF
	}
	c.write(q, status, page, "layout.html", v)
}

// write executes the template name of page with data and writes it.
func (c *Console) write(q *req, status int, page, name string, data any) {
	t := c.pages.byLang[q.lang][page]
	if t == nil {
		c.log.ErrorContext(q.r.Context(), "console: no page", "page", page)
		http.Error(q.w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		c.log.ErrorContext(q.r.Context(), "console: render", "page", page, "err", err)
		http.Error(q.w, "internal error", http.StatusInternalServerError)
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	q.w.WriteHeader(status)
	q.w.Write(buf.Bytes())
}

type signInData struct {
	Next, Login, Msg string
}

func (c *Console) renderSignIn(q *req, status int, next, msg, login string) {
	c.render(q, status, "signin", "console.signin.title", signInData{Next: next, Login: login, Msg: msg})
}

type errorData struct {
	Status      int
	Code, Title string
	Detail, Ref string
	Internal    bool
}

// renderError writes the error page of err with the problem table's status;
// an internal error shows only the request ID, the log gets the detail.
func (c *Console) renderError(q *req, err error) {
	status, code, title := c.cfg.Status(err)
	d := errorData{Status: status, Code: code, Title: title, Ref: tracegate.RequestIDFrom(q.r.Context())}
	if code == tracegate.EINTERNAL {
		d.Internal = true
		c.log.ErrorContext(q.r.Context(), "console", "path", q.r.URL.Path, "err", err)
	} else {
		d.Detail = tracegate.ErrorMessage(err)
	}
	if q.htmx() {
		c.renderPart(q, status, "error", "problem", d)
		return
	}
	c.render(q, status, "error", "console.error.title", d)
}

var errNotFound = tracegate.Errorf(tracegate.ENOTFOUND, "there is no such page")
