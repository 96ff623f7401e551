package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"tracegate"
)

// problemStatus is the one table from error code to HTTP status.
var problemStatus = map[string]int{
	tracegate.EINVALID:      http.StatusBadRequest,
	tracegate.EUNAUTHORIZED: http.StatusUnauthorized,
	tracegate.EFORBIDDEN:    http.StatusForbidden,
	tracegate.ENOTFOUND:     http.StatusNotFound,
	tracegate.ECONFLICT:     http.StatusConflict,
	tracegate.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	tracegate.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	tracegate.ERATELIMIT:    http.StatusTooManyRequests,
	tracegate.EQUOTA:        http.StatusInsufficientStorage,
	tracegate.EUNAVAILABLE:  http.StatusServiceUnavailable,
	tracegate.EINTERNAL:     http.StatusInternalServerError,
}

// problemTitle is the short, stable title of each problem type, in English
// and Chinese.
var problemTitle = map[string]string{
	tracegate.EINVALID:      "Invalid input / 输入无效",
	tracegate.EUNAUTHORIZED: "Authentication required / 需要认证",
	tracegate.EFORBIDDEN:    "Not allowed / 无权操作",
	tracegate.ENOTFOUND:     "Not found / 未找到",
	tracegate.ECONFLICT:     "Conflict / 冲突",
	tracegate.ETOOLARGE:     "Too large / 超出大小限制",
	tracegate.EUNSUPPORTED:  "Unsupported media type / 不支持的媒体类型",
	tracegate.ERATELIMIT:    "Too many requests / 请求过于频繁",
	tracegate.EQUOTA:        "Storage quota used up / 存储配额已满",
	tracegate.EUNAVAILABLE:  "Service unavailable / 服务不可用",
	tracegate.EINTERNAL:     "Internal error / 内部错误",
}

// Problem is an RFC 9457 problem details object with tracegate's extension
// members: code, pointer, errors and requestId.
type Problem struct {
	Type      string                 `json:"type"`
	Title     string                 `json:"title"`
	Status    int                    `json:"status"`
	Detail    string                 `json:"detail,omitempty"`
	Instance  string                 `json:"instance,omitempty"`
	Code      string                 `json:"code"`
	Pointer   string                 `json:"pointer,omitempty"`
	Errors    []tracegate.FieldError `json:"errors,omitempty"`
	RequestID string                 `json:"requestId,omitempty"`
}

// problemFor builds the problem for err. Internal errors say nothing of
// their cause: the client gets the request ID, the log gets the detail.
func problemFor(r *http.Request, err error) Problem {
	code := tracegate.ErrorCode(err)
	status, ok := problemStatus[code]
	if !ok {
		code, status = tracegate.EINTERNAL, http.StatusInternalServerError
	}
	p := Problem{
		Type:      "/problems/" + code,
		Title:     problemTitle[code],
		Status:    status,
		Detail:    tracegate.ErrorMessage(err),
		Instance:  r.URL.Path,
		Code:      code,
		RequestID: tracegate.RequestIDFrom(r.Context()),
	}
	if e, ok := asError(err); ok && code != tracegate.EINTERNAL {
		p.Pointer = e.Pointer
		p.Errors = e.Details
		if e.Pointer != "" {
			p.Detail = e.Message
		}
	}
	return p
}

// writeError answers err as problem+json and logs internal errors with
// their cause.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p, down := outage(w, r, err) // the database down or full: 503 or 507 with Retry-After, never 500
	if !down {
		p = problemFor(r, err)
	}
	if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("route", r.Pattern), slog.Any("err", err))
	}
	s.writeProblem(w, r, p)
}

// writeProblem answers p: problem+json, or an HTML error page for a browser
// (Accept: text/html), so a person never reads raw JSON.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tracegate"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "Accept")
	if prefersHTML(r) {
		s.writeErrorPage(w, r, p)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
}

func asError(err error) (*tracegate.Error, bool) {
	var e *tracegate.Error
	ok := errors.As(err, &e)
	return e, ok
}
