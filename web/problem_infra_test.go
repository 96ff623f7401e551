package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"tracegate"
)

type sqlStateErr string

func (e sqlStateErr) Error() string    { return "pg error " + string(e) }
func (e sqlStateErr) SQLState() string { return string(e) }

type sqliteCodeErr int

func (e sqliteCodeErr) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteCodeErr) Code() int     { return int(e) }

// TestOutageProblems: a database that cannot be reached is 503 with
// Retry-After, a full one 507 with Retry-After; other failures stay 500
// and coded errors keep their status.
func TestOutageProblems(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name  string
		err   error
		want  int
		retry bool
	}{
		{"connection refused", fmt.Errorf("postgres: begin: %w", refused), 503, true},
		{"connection reset", fmt.Errorf("postgres: find: %w", syscall.ECONNRESET), 503, true},
		{"connection closed mid-query", fmt.Errorf("postgres: query: %w", io.ErrUnexpectedEOF), 503, true},
		{"admin shutdown", fmt.Errorf("postgres: insert: %w", sqlStateErr("57P01")), 503, true},
		{"cannot connect now", sqlStateErr("57P03"), 503, true},
		{"connection exception", sqlStateErr("08006"), 503, true},
		{"pg disk full", sqlStateErr("53100"), 507, true},
		{"deadline", fmt.Errorf("postgres: acquire: %w", context.DeadlineExceeded), 503, true},
		{"sqlite full", fmt.Errorf("sqlite: commit: %w", sqliteCodeErr(13)), 507, true},
		{"sqlite ioerr", sqliteCodeErr(10 | 3<<8), 503, true},
		{"sqlite busy", sqliteCodeErr(5), 503, true},
		{"disk full errno", fmt.Errorf("write: %w", syscall.ENOSPC), 507, true},
		{"unique violation is a bug here", sqlStateErr("23505"), 500, false},
		{"sqlite constraint", sqliteCodeErr(19), 500, false},
		{"plain bug", errors.New("nil map"), 500, false},
		{"coded conflict", tracegate.Errorf(tracegate.ECONFLICT, "exists"), 409, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/epcis/capture", nil)
			s.writeError(w, r, tc.err)
			if w.Code != tc.want {
				t.Errorf("writeError(%v) status = %d, want %d", tc.err, w.Code, tc.want)
			}
			if got := w.Header().Get("Retry-After") != ""; got != tc.retry {
				t.Errorf("writeError(%v) Retry-After = %q, want set %v", tc.err, w.Header().Get("Retry-After"), tc.retry)
			}
			if w.Code >= 500 && strings.Contains(w.Body.String(), tc.err.Error()) {
				t.Errorf("the answer shows the internal error: %s", w.Body)
			}
		})
	}
}
