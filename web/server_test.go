package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/customs"
	"tracegate/label"
	"tracegate/measure"
	"tracegate/risk"
	"tracegate/store/sqlite"
	"tracegate/store/storetest"
)

// fixture is a server over a fresh store with one enterprise and key per
// role, a revoked key and a suspended enterprise's key.
type fixture struct {
	t         *testing.T
	srv       *Server
	store     Store
	logs      *bytes.Buffer
	keys      map[tracegate.Role]string
	ents      map[tracegate.Role]*tracegate.Enterprise
	revoked   string
	suspended string
	ledger    *fixtureLedger
	labels    *label.Service
	customs   *customs.Service
	tables    bool // the customs tables and the demo filings are loaded
}

// stores runs fn once per store backend: SQLite always, PostgreSQL when
// TRACEGATE_TEST_POSTGRES is set.
func stores(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, storetest.OpenPostgres(t, tracegate.SystemClock{}))
	})
}

func newFixture(t *testing.T, s Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, store: s, logs: &bytes.Buffer{}, keys: map[tracegate.Role]string{}, ents: map[tracegate.Role]*tracegate.Enterprise{}}
	log := slog.New(LogHandler{slog.NewJSONHandler(f.logs, nil)})
	f.ledger = testLedger(t)
	cs, err := customs.NewService(customs.ServiceConfig{Secret: storetest.CustomsSecret, MatchTimeout: 24 * time.Hour}, s)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := measure.NewService(measure.Config{Enterprises: s, Products: s}, s.(measure.Store))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := label.NewService(label.ServiceConfig{Secret: storetest.LabelSecret, BaseURL: "https://tg.example",
		Parties: s, Declarations: cs, Measures: ms}, s, s)
	if err != nil {
		t.Fatal(err)
	}
	f.labels = labels
	f.customs = cs
	f.srv = New(Config{Store: s, Logger: log, MaxBodyBytes: 4096, Ledger: f.ledger.web, Labels: labels, Customs: cs, UnknownCodeLimit: 5,
		Credit: credit.NewService(s.(credit.Store), nil, nil, nil, log), Analytics: risk.NewAnalytics(risk.AnalyticsConfig{}, s.(risk.AnalyticsStore), nil, log), Measures: ms})
	for i, role := range tracegate.Roles {
		e := &tracegate.Enterprise{USCC: storetest.USCC(1000 + i), Name: "企业 " + string(role), Roles: []tracegate.Role{role}}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		_, secret, err := tracegate.IssueAPIKey(ctx, s, e, role, "")
		if err != nil {
			t.Fatal(err)
		}
		f.keys[role], f.ents[role] = secret, e
	}
	k, secret, _ := tracegate.IssueAPIKey(ctx, s, f.ents[tracegate.RolePlatform], tracegate.RolePlatform, "old")
	if err := s.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	f.revoked = secret
	susp := &tracegate.Enterprise{USCC: storetest.USCC(2000), Name: "暂停企业", Roles: []tracegate.Role{tracegate.RoleEcommerce}}
	if err := s.CreateEnterprise(ctx, susp); err != nil {
		t.Fatal(err)
	}
	_, f.suspended, _ = tracegate.IssueAPIKey(ctx, s, susp, tracegate.RoleEcommerce, "")
	if err := s.SetEnterpriseStatus(ctx, susp.ID, tracegate.EnterpriseSuspended); err != nil {
		t.Fatal(err)
	}
	setupParties(t, f)
	return f
}

// do sends one request through the whole middleware stack.
func (f *fixture) do(method, path, key, contentType, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func TestScenarios(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		reg, plat := f.keys[tracegate.RoleRegulator], f.keys[tracegate.RolePlatform]
		newUSCC := storetest.USCC(3000)
		tests := []struct {
			name        string
			method      string
			path        string
			key         string
			ct          string
			body        string
			wantStatus  int
			wantContent string // a substring of the body
			wantPointer string // for problems: the pointer member
		}{
			{"healthz", "GET", "/healthz", "", "", "", 200, `"ok"`, ""},
			{"readyz", "GET", "/readyz", "", "", "", 200, `"ready"`, ""},
			{"home zh", "GET", "/", "", "", "", 200, "一物一码", ""},
			{"home en", "GET", "/?lang=en", "", "", "", 200, "one code per item", ""},
			{"openapi", "GET", "/openapi.json", "", "", "", 200, `"openapi": "3.1.0"`, ""},
			{"problem type", "GET", "/problems/invalid", "", "", "", 200, `"status":400`, ""},
			{"me without key", "GET", "/api/me", "", "", "", 401, `"code":"unauthorized"`, ""},
			{"me with key", "GET", "/api/me", plat, "", "", 200, `"role":"platform"`, ""},
			{"me bad scheme", "GET", "/api/me", "", "", "", 401, "", ""},
			{"me garbage key", "GET", "/api/me", "tgk_notakey", "", "", 401, "invalid API key", ""},
			{"me unknown key", "GET", "/api/me", "tgk_" + strings.Repeat("a", 32), "", "", 401, "invalid API key", ""},
			{"me revoked key", "GET", "/api/me", f.revoked, "", "", 401, "revoked", ""},
			{"me suspended enterprise", "GET", "/api/me", f.suspended, "", "", 403, "suspended", ""},
			{"public route with bad key", "GET", "/healthz", "tgk_nope", "", "", 401, "", ""},
			{"unknown api path", "GET", "/api/nothing", reg, "", "", 404, `"code":"not_found"`, ""},
			{"create enterprise", "POST", "/api/enterprises", reg, "application/json",
				`{"uscc":"` + newUSCC + `","name":"考拉海购","nameEn":"Kaola","roles":["platform","ecommerce"]}`, 201, `"nameEn":"Kaola"`, ""},
			{"duplicate enterprise", "POST", "/api/enterprises", reg, "application/json",
				`{"uscc":"` + newUSCC + `","name":"again","roles":["platform"]}`, 409, "already registered", ""},
			{"bad check character", "POST", "/api/enterprises", reg, "application/json",
				`{"uscc":"` + newUSCC[:17] + `Y","name":"x","roles":["platform"]}`, 400, "check character", "/uscc"},
			{"unknown role", "POST", "/api/enterprises", reg, "application/json",
				`{"uscc":"` + storetest.USCC(3001) + `","name":"x","roles":["platform","pirate"]}`, 400, "pirate", "/roles/1"},
			{"wrong type", "POST", "/api/enterprises", reg, "application/json", `{"uscc":5}`, 400, "", "/uscc"},
			{"unknown field", "POST", "/api/enterprises", reg, "application/json", `{"usc":"x"}`, 400, "unknown field", "/usc"},
			{"malformed json", "POST", "/api/enterprises", reg, "application/json", `{"uscc":`, 400, "", ""},
			{"wrong content type", "POST", "/api/enterprises", reg, "text/plain", `{}`, 415, "", ""},
			{"body too large", "POST", "/api/enterprises", reg, "application/json", `{"name":"` + strings.Repeat("x", 5000) + `"}`, 413, "", ""},
			{"platform may not create", "POST", "/api/enterprises", plat, "application/json", `{}`, 403, `"code":"forbidden"`, ""},
			{"list by role", "GET", "/api/enterprises?role=warehouse", reg, "", "", 200, "企业 warehouse", ""},
			{"list bad limit", "GET", "/api/enterprises?limit=0", reg, "", "", 400, "", "/query/limit"},
			{"get by uscc", "GET", "/api/enterprises/" + f.ents[tracegate.RolePlatform].USCC, plat, "", "", 200, "企业 platform", ""},
			{"get other enterprise", "GET", "/api/enterprises/" + f.ents[tracegate.RoleLab].USCC, plat, "", "", 403, "", ""},
			{"get absent", "GET", "/api/enterprises/999999", reg, "", "", 404, "", ""},
			{"get bad ref", "GET", "/api/enterprises/NOPE", reg, "", "", 400, "", "/id"},
			{"issue key", "POST", "/api/enterprises/" + f.ents[tracegate.RoleLab].USCC + "/apikeys", reg, "application/json", `{"role":"lab","label":"bench 2"}`, 201, `"key":"tgk_`, ""},
			{"issue key wrong role", "POST", "/api/enterprises/" + f.ents[tracegate.RoleLab].USCC + "/apikeys", reg, "application/json", `{"role":"platform"}`, 400, "does not act", "/role"},
			{"revoke absent key", "DELETE", "/api/apikeys/999999", reg, "", "", 404, "", ""},
			{"revoke bad id", "DELETE", "/api/apikeys/abc", reg, "", "", 400, "", "/id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := tt.key
				w := f.do(tt.method, tt.path, key, tt.ct, tt.body)
				if tt.name == "me bad scheme" {
					req := httptest.NewRequest("GET", "/api/me", nil)
					req.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
					w = httptest.NewRecorder()
					f.srv.ServeHTTP(w, req)
				}
				if w.Code != tt.wantStatus {
					t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, w.Code, w.Body, tt.wantStatus)
				}
				if !strings.Contains(w.Body.String(), tt.wantContent) {
					t.Fatalf("%s %s body = %s, want it to contain %q", tt.method, tt.path, w.Body, tt.wantContent)
				}
				if w.Header().Get(RequestIDHeader) == "" {
					t.Fatalf("%s %s: no %s header", tt.method, tt.path, RequestIDHeader)
				}
				if w.Code >= 400 {
					checkProblem(t, w, tt.wantStatus, tt.wantPointer)
				}
			})
		}
		// Refused creates stored nothing: only the one good enterprise was added.
		all, _ := s.ListEnterprises(context.Background(), tracegate.EnterpriseFilter{})
		if want := len(tracegate.Roles) + 2; len(all) != want {
			t.Fatalf("after scenarios: %d enterprises, want %d", len(all), want)
		}
	})
}

func checkProblem(t *testing.T, w *httptest.ResponseRecorder, status int, pointer string) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %s: %v", w.Body, err)
	}
	if p.Status != status || p.Type != "/problems/"+p.Code || p.Title == "" || p.RequestID != w.Header().Get(RequestIDHeader) {
		t.Fatalf("problem = %+v, want status %d, type /problems/<code>, a title and the request ID", p, status)
	}
	if pointer != "" && p.Pointer != pointer {
		t.Fatalf("problem pointer = %q, want %q (%s)", p.Pointer, pointer, w.Body)
	}
	if status == 401 && w.Header().Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
}

func TestRequestIDInLogs(t *testing.T) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := newFixture(t, s)
	req := httptest.NewRequest("GET", "/api/me", nil)
	req.Header.Set(RequestIDHeader, "client-abc.123")
	req.Header.Set("Authorization", "Bearer "+f.keys[tracegate.RoleLab])
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	if got := w.Header().Get(RequestIDHeader); got != "client-abc.123" {
		t.Fatalf("echoed request ID = %q, want the client's", got)
	}
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(f.logs.Bytes()), &line); err != nil {
		t.Fatalf("access log %q: %v", f.logs, err)
	}
	if line["request_id"] != "client-abc.123" || line["route"] != "GET /api/me" || line["status"] != float64(200) || line["role"] != "lab" {
		t.Fatalf("access log = %v, want request_id, route, status and role", line)
	}
	// An unsafe client ID is replaced.
	req = httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set(RequestIDHeader, "bad id\n")
	w = httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	if got := w.Header().Get(RequestIDHeader); got == "bad id\n" || len(got) != 24 {
		t.Fatalf("request ID for an unsafe client ID = %q, want a fresh one", got)
	}
}

func TestMetrics(t *testing.T) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := New(Config{Store: s, DBStats: func() []PoolStats { return []PoolStats{{Pool: "sqlite-writer", Max: 1, Open: 1}} }})
	for range 3 {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/me", nil))
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`tracegate_http_requests_total{code="401",route="GET /api/me"} 3`,
		`tracegate_http_request_duration_seconds_count{route="GET /api/me"} 3`,
		`tracegate_db_pool_open_connections{pool="sqlite-writer"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestPanicIsProblem(t *testing.T) {
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	logs := &bytes.Buffer{}
	srv := New(Config{Store: s, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	srv.handle("GET", "/boom", public, func(http.ResponseWriter, *http.Request) { panic("secret detail") })
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "secret detail") {
		t.Fatalf("panic answered %d %s; want 500 without the detail", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "secret detail") {
		t.Fatal("the panic's detail is not in the log")
	}
}
