package tracegate

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in web's table and to one exit
// status in the CLI. They are stable identifiers: clients may switch on them.
const (
	EINVALID      = "invalid"              // the input breaks a rule; Pointer says where
	EUNAUTHORIZED = "unauthorized"         // no valid credentials
	EFORBIDDEN    = "forbidden"            // credentials valid, action not allowed
	ENOTFOUND     = "not_found"            // the thing asked for does not exist
	ECONFLICT     = "conflict"             // the thing exists already, or its state forbids the action
	ETOOLARGE     = "too_large"            // the body or a list exceeds a limit
	EUNSUPPORTED  = "unsupported"          // media type or feature not supported
	ERATELIMIT    = "rate_limited"         // too many requests from this client
	EQUOTA        = "insufficient_storage" // a storage quota is used up (attachments)
	EUNAVAILABLE  = "unavailable"          // a dependency (the database) cannot be reached
	EINTERNAL     = "internal"             // a bug or an unexpected failure; details only in the log
)

// Error is the one coded error of tracegate. Message is written for the
// person who sent the input and is safe to show them; internal errors carry
// their cause in Err, which is logged and never shown.
type Error struct {
	Code    string
	Message string
	// Pointer locates the offending input: a JSON pointer ("/roles/1"), a
	// command-line flag ("--uscc") or an XPath, as fits the input.
	Pointer string
	// Details lists further problems found in the same input, each with its
	// own pointer, when more than one rule was broken.
	Details []FieldError
	// Err is the underlying cause, for errors.Is/As and for the log.
	Err error
}

// FieldError is one problem with one part of the input.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// Error returns the message, prefixed by the pointer when there is one.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Pointer != "" {
		return fmt.Sprintf("%s: %s", e.Pointer, msg)
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID *Error pointing at pointer.
func Invalidf(pointer, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Pointer: pointer, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the Message of an *Error
// that is not internal, or a generic sentence otherwise.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Error()
	}
	return "An internal error has occurred."
}

// IsCode reports whether err carries code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }
