package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"tracegate"
)

func runRiskImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "risk import", "FILE", "Send the risk signals in FILE to a tracegate server (POST /api/risk/signals), all or none:\n"+
		"a CSV with a header row (columns kind, source, observedAt, gtin, batch, hsPrefix, origin,\n"+
		"manufacturer, enterprise, container, warehouse, producedFrom, producedTo, hazard, severity,\n"+
		"title, detail, ref; kind, hazard, severity and title required), or JSON: one signal, an\n"+
		"array of signals, or {\"signals\":[…]} (attachments as base64 data). The file is streamed with a\n"+
		"progress bar on stderr; the server checks every row before it stores any, so a bad row (named\n"+
		"by row and column, the header being row 1) or a signal (/signals/N/field, from 0) stores nothing\n"+
		"from the file. At most 100,000 signals and 64 MiB per file. Prints what was stored as JSON.")
	server, key := apiFlags(e, fs)
	quiet := fs.Bool("quiet", false, "no progress bar")
	format := fs.String("format", "", "csv or json (default: by the file's first byte: '{' or '[' is JSON)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return tracegate.Invalidf("FILE", "give one FILE")
	}
	if *key == "" {
		return tracegate.Invalidf("--key", "give --key (or TRACEGATE_KEY)")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	br := bufio.NewReader(f)
	kind, err := importFormat(br, *format)
	if err != nil {
		return err
	}
	body := io.Reader(br)
	size := st.Size()
	ctype := "text/csv"
	if kind == "json" {
		ctype = "application/json"
		if first, _ := firstByte(br); first == '[' {
			// An array is a list of signals: the API takes it as {"signals":[…]}.
			body = io.MultiReader(strings.NewReader(`{"signals":`), br, strings.NewReader("}"))
			size += int64(len(`{"signals":}`))
		}
	}
	var bar *progress
	if !*quiet {
		bar = newProgress(e.stderr, size)
		bar.unit = "bytes"
	}
	cr := &progressReader{r: body, bar: bar}
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(*server, "/")+"/api/risk/signals", cr)
	if err != nil {
		return tracegate.Invalidf("--server", "%v", err)
	}
	req.ContentLength = size
	req.Header.Set("Authorization", "Bearer "+*key)
	req.Header.Set("Content-Type", ctype)
	resp, err := (&http.Client{Timeout: 30 * time.Minute}).Do(req)
	if bar != nil {
		bar.update(cr.n, int(cr.n))
		bar.done()
	}
	if err != nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "%s: %v", *server, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("%s: nothing stored: %w", path, importProblem(resp, out))
	}
	var answer struct {
		ID      int64 `json:"id"`
		Signals []struct {
			ID int64 `json:"id"`
		} `json:"signals"`
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return fmt.Errorf("%s: the answer is not JSON: %w", path, err)
	}
	ids := []int64{}
	if answer.Signals == nil {
		ids = append(ids, answer.ID)
	}
	for _, s := range answer.Signals {
		ids = append(ids, s.ID)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		File    string  `json:"file"`
		Stored  int     `json:"stored"`
		Signals []int64 `json:"signals"`
	}{path, len(ids), ids})
}

// importFormat returns "csv" or "json": format when given, else JSON when
// the first byte that is not white space (or a BOM) is '{' or '['.
func importFormat(br *bufio.Reader, format string) (string, error) {
	switch format {
	case "csv", "json":
		return format, nil
	case "":
	default:
		return "", tracegate.Invalidf("--format", "--format is csv or json, not %q", format)
	}
	b, err := firstByte(br)
	if err != nil {
		return "", tracegate.Invalidf("FILE", "the file is empty")
	}
	if b == '{' || b == '[' {
		return "json", nil
	}
	return "csv", nil
}

// firstByte peeks at the first byte of br after white space and a UTF-8
// BOM, which it skips for JSON's sake (CSV's header tolerates a BOM).
func firstByte(br *bufio.Reader) (byte, error) {
	for i := 1; ; i++ {
		b, err := br.Peek(i)
		if err != nil {
			return 0, err
		}
		rest := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n")
		if len(rest) > 0 {
			return rest[0], nil
		}
		if i >= 4096 {
			return 0, io.EOF
		}
	}
}

// importProblem is the server's refusal as an error naming where it is: a
// CSV's row and column, or a JSON signal and field.
func importProblem(resp *http.Response, out []byte) error {
	var p struct {
		Detail  string `json:"detail"`
		Pointer string `json:"pointer"`
		Errors  []struct {
			Pointer string `json:"pointer"`
			Detail  string `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(out, &p) != nil || p.Detail == "" {
		p.Detail = strings.TrimSpace(string(out))
	}
	msg := resp.Status + ": " + where(p.Pointer) + p.Detail
	for _, fe := range p.Errors[min(1, len(p.Errors)):] {
		msg += "; " + where(fe.Pointer) + fe.Detail
	}
	return fmt.Errorf("%s", msg)
}

// where names the place a problem pointer points at: /row/5/severity is
// "row 5, column severity: ", /signals/2/title "signal 2, field title: ".
func where(ptr string) string {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "row":
		return "row " + parts[1] + ", column " + strings.Join(parts[2:], "/") + ": "
	case len(parts) == 2 && parts[0] == "row":
		return "row " + parts[1] + ": "
	case len(parts) >= 3 && parts[0] == "signals":
		return "signal " + parts[1] + ", field " + strings.Join(parts[2:], "/") + ": "
	case ptr != "":
		return "at " + ptr + ": "
	}
	return ""
}

// progressReader counts what is read from r and redraws bar.
type progressReader struct {
	r    io.Reader
	bar  *progress
	n    int64
	last time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.bar != nil && time.Since(p.last) > 100*time.Millisecond {
		p.bar.update(p.n, int(p.n))
		p.last = time.Now()
	}
	return n, err
}
