package web

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"tracegate"
)

// outageRetryAfter is the Retry-After (seconds) of an answer refused because
// the database cannot be reached or has no space: a client retries, and a
// node recovers by itself when the database returns.
const outageRetryAfter = "2"

// infraCode classifies an unexpected error (EINTERNAL) by what failed below
// the server: EUNAVAILABLE when the database cannot be reached now (the
// connection refused, reset or closed, a timeout, PostgreSQL shutting down
// or refusing connections, SQLite busy or failing to read), EQUOTA when its
// disk is full; "" for a real internal error.
func infraCode(err error) string {
	var sqlState interface{ SQLState() string }
	if errors.As(err, &sqlState) {
		switch st := sqlState.SQLState(); {
		case st == "53100": // disk_full
			return tracegate.EQUOTA
		case strings.HasPrefix(st, "08"), strings.HasPrefix(st, "57P"), st == "53300", st == "53200":
			// connection exception; admin/crash shutdown, cannot connect now;
			// too many connections; out of memory
			return tracegate.EUNAVAILABLE
		}
		return ""
	}
	var sqliteErr interface{ Code() int }
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() & 0xff {
		case 13: // SQLITE_FULL
			return tracegate.EQUOTA
		case 5, 6, 10, 14: // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN
			return tracegate.EUNAVAILABLE
		}
		return ""
	}
	if errors.Is(err, syscall.ENOSPC) {
		return tracegate.EQUOTA
	}
	var netErr *net.OpError
	var retry interface{ SafeToRetry() bool }
	var timeout interface{ Timeout() bool }
	switch {
	case errors.As(err, &netErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &retry) && retry.SafeToRetry(),
		errors.As(err, &timeout) && timeout.Timeout():
		return tracegate.EUNAVAILABLE
	}
	return ""
}

// outage returns the problem of an error that infraCode classifies, with
// Retry-After set on w, or false.
func outage(w http.ResponseWriter, r *http.Request, err error) (Problem, bool) {
	if tracegate.ErrorCode(err) != tracegate.EINTERNAL {
		return Problem{}, false
	}
	code := infraCode(err)
	if code == "" {
		return Problem{}, false
	}
	detail := "the database cannot be reached now; retry shortly"
	if code == tracegate.EQUOTA {
		detail = "the database has no space left; nothing was stored; retry later"
	}
	w.Header().Set("Retry-After", outageRetryAfter)
	return Problem{Type: "/problems/" + code, Title: problemTitle[code], Status: problemStatus[code], Detail: detail,
		Instance: r.URL.Path, Code: code, RequestID: tracegate.RequestIDFrom(r.Context())}, true
}
