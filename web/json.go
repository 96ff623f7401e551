package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"tracegate"
)

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	writeJSONRaw(w, status, v)
}

// writeJSONRaw answers v as JSON with the Content-Type already set.
func writeJSONRaw(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decodeJSON reads one JSON object from r's body into v. Unknown fields,
// trailing data, a wrong Content-Type and an over-long body are refused with
// a problem that points at the offending field.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return tracegate.Errorf(tracegate.EUNSUPPORTED, "Content-Type %q is not supported here; send application/json", ct)
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return tracegate.Invalidf("", "the body holds more than one JSON value")
	}
	return nil
}

// jsonError turns an encoding/json error into an EINVALID pointing at the
// field, or ETOOLARGE for an over-long body.
func jsonError(err error) error {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &maxErr):
		return tracegate.Errorf(tracegate.ETOOLARGE, "the body is larger than %d bytes", maxErr.Limit)
	case errors.As(err, &typeErr):
		ptr := "/" + strings.ReplaceAll(typeErr.Field, ".", "/")
		return tracegate.Invalidf(ptr, "%s must be a JSON %s, not %s", ptr, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return tracegate.Invalidf("", "malformed JSON at byte %d: %v", syntaxErr.Offset, err)
	case errors.Is(err, io.EOF):
		return tracegate.Invalidf("", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return tracegate.Invalidf("", "the JSON body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return tracegate.Invalidf("/"+name, "unknown field %q", name)
	}
	return tracegate.Invalidf("", "cannot read the JSON body: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	}
	return k
}

// pathID reads a positive integer path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, tracegate.Invalidf("/"+name, "%s must be a positive integer", name)
	}
	return id, nil
}

// jsonBodyError maps an over-long body to ETOOLARGE and passes others on.
func jsonBodyError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return tracegate.Errorf(tracegate.ETOOLARGE, "the body is larger than %d bytes", maxErr.Limit)
	}
	return err
}
