package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
)

func runEPCISValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "epcis validate", "FILE", "Validate an EPCIS 2.0 document (JSON-LD or XML): syntax, the JSON Schema (JSON up to 16 MB),\nthe XML structure, and the CBV rules. Prints one line per problem and exits 1, or exits 0.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	// One problem per field: the document rules (in tracegate's words) are
	// reported first, and the JSON Schema adds only fields they did not name.
	var problems []string
	seen := map[string]bool{}
	report := func(err error) {
		var te *tracegate.Error
		if !errors.As(err, &te) || len(te.Details) == 0 && te.Pointer == "" {
			problems = append(problems, cliMessage(err))
			return
		}
		details := te.Details
		if len(details) == 0 {
			details = []tracegate.FieldError{{Pointer: te.Pointer, Detail: te.Message}}
		}
		for _, d := range details {
			if seen[d.Pointer] {
				continue
			}
			seen[d.Pointer] = true
			problems = append(problems, d.Pointer+": "+d.Detail)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := epcis.ValidateDocument(f); err != nil {
		report(err)
	}
	if isJSONFile(path) && st.Size() <= 16<<20 {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if err := epcis.ValidateJSONSchema(f); err != nil {
			report(err)
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stderr, "invalid:", p)
		}
		return exitError{1}
	}
	fmt.Fprintf(e.stdout, "valid: %s\n", path)
	return nil
}

func runEPCISHash(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "epcis hash", "FILE", "Print the CBV 2.0 event hash (ni:///sha-256;…?ver=CBV2.0) of every event of an EPCIS\ndocument, one per line, in document order.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	dec, err := epcis.NewDecoder(f)
	if err != nil {
		return err
	}
	for {
		ev, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, epcis.EventHash(ev))
	}
}

func runEPCISImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "epcis import", "FILE...", "Capture EPCIS documents into a tracegate server. Each document is read as a stream and sent\nin batches of --batch events (so a document of any size fits the capture limits), with a\nprogress bar on stderr. Exits 1 at the first batch the server refuses.")
	server := fs.String("server", envOr(e, "TRACEGATE_SERVER", "http://127.0.0.1:8080"), "server base URL (env TRACEGATE_SERVER)")
	key := fs.String("key", envOr(e, "TRACEGATE_KEY", ""), "API key (env TRACEGATE_KEY)")
	batch := fs.Int("batch", 5000, "events per capture request (1 to 100000)")
	behaviour := fs.String("behaviour", "rollback", "GS1-Capture-Error-Behaviour of each batch: rollback or proceed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 || *key == "" {
		return tracegate.Invalidf("--key", "give --key (or TRACEGATE_KEY) and at least one FILE")
	}
	if *batch < 1 || *batch > epcis.MaxCaptureEvents {
		return tracegate.Invalidf("--batch", "--batch must be from 1 to %d", epcis.MaxCaptureEvents)
	}
	imp := &importer{server: strings.TrimSuffix(*server, "/"), key: *key, behaviour: *behaviour, client: &http.Client{Timeout: 10 * time.Minute}}
	for _, path := range fs.Args() {
		if err := imp.file(ctx, e, path, *batch); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// importer sends documents to a capture endpoint in batches.
type importer struct {
	server, key, behaviour string
	client                 *http.Client
	captured, duplicates   int
}

func (imp *importer) file(ctx context.Context, e *env, path string, batch int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, _ := f.Stat()
	counter := &countingReader{r: f}
	dec, err := epcis.NewDecoder(counter)
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, st.Size())
	var events []epcis.Event
	flush := func() error {
		if len(events) == 0 {
			return nil
		}
		var buf bytes.Buffer
		doc := &epcis.Document{Kind: epcis.KindDocument, SchemaVersion: "2.0", CreationDate: time.Now().UTC(), Namespaces: dec.Document().Namespaces}
		if err := epcis.EncodeJSON(&buf, doc, events, epcis.EncodeOptions{}); err != nil {
			return err
		}
		if err := imp.post(ctx, &buf); err != nil {
			return err
		}
		events = events[:0]
		return nil
	}
	n := 0
	for {
		ev, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		events = append(events, *ev)
		n++
		if len(events) == batch {
			if err := flush(); err != nil {
				return err
			}
			bar.update(counter.n, n)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	bar.update(counter.n, n)
	bar.done()
	fmt.Fprintf(e.stdout, "%s: %d events read, %d stored, %d already stored\n", path, n, imp.captured, imp.duplicates)
	return nil
}

func (imp *importer) post(ctx context.Context, body io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, "POST", imp.server+"/epcis/capture", body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/ld+json")
	req.Header.Set("Authorization", "Bearer "+imp.key)
	req.Header.Set("GS1-Capture-Error-Behaviour", imp.behaviour)
	resp, err := imp.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("the server refused a batch: %s %s", resp.Status, strings.TrimSpace(string(out)))
	}
	var job struct{ CapturedEvents, DuplicateEvents int }
	if err := json.Unmarshal(out, &job); err == nil {
		imp.captured += job.CapturedEvents
		imp.duplicates += job.DuplicateEvents
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func isJSONFile(path string) bool {
	return strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonld")
}
